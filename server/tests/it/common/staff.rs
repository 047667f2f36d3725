//! Staff sign-in for tests: the demo accounts, an authenticator code, signing in all the way,
//! and a GET with a session cookie.

use super::Found;
use app::rules::access::Role;
use app::services::staff::{auth, totp};
use chrono::Utc;
use entity::school;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Posted, RunSpec, TestApp, location_of, make_run};

/// The demo coordinator and administrator (see `server::demo`), who use the demo
/// authenticator key.
pub const COORDINATOR: (&str, &str) = (
    "koordinator.randers@recoveryskole.example",
    "demo-koordinator",
);
pub const ADMIN: (&str, &str) = ("admin@recoveryskole.example", "demo-administrator");
/// The demo teacher (Lone Bech, peer, Randers); no authenticator app.
pub const TEACHER: (&str, &str) = ("lone.bech@recoveryskole.example", "demo-underviser");
pub const MANAGEMENT: (&str, &str) = ("ledelse@recoveryskole.example", "demo-ledelse-2026");

pub const COOKIE: &str = "sb_personale";

/// The current code for a base32 secret, `steps` 30-second steps from now.
pub fn code_for(secret: &str, steps: i64) -> String {
    let bytes = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("base32 secret");
    format!(
        "{:06}",
        totp::code(&bytes, Utc::now().timestamp() / totp::STEP + steps)
    )
}

pub async fn school_id(app: &TestApp, slug: &str) -> i32 {
    school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .found(&app.db, "demo school")
        .await
        .id
}

/// Creates an account with a password and roles, directly in the database.
pub async fn make_staff(
    app: &TestApp,
    email: &str,
    roles: &[(Option<i32>, Role)],
) -> (String, String) {
    let password = format!("en lang adgangskode til {email}");
    let id = auth::ensure_account(&app.db, email, "Test Person", roles, Utc::now())
        .await
        .expect("account");
    auth::set_password(&app.db, id, &password)
        .await
        .expect("password");
    (email.to_string(), password)
}

/// A coordinator of `school` who has set up the authenticator app with the demo key, so
/// [`sign_in`] can sign them in all the way.
pub async fn make_coordinator(app: &TestApp, email: &str, school: i32) -> (String, String) {
    use entity::staff_account;
    use sea_orm::sea_query::Expr;
    let who = make_staff(app, email, &[(Some(school), Role::Coordinator)]).await;
    staff_account::Entity::update_many()
        .col_expr(
            staff_account::Column::TotpSecret,
            Expr::value(server::demo::DEMO_TOTP_SECRET),
        )
        .col_expr(staff_account::Column::TotpEnabled, Expr::value(true))
        .filter(staff_account::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .expect("totp");
    who
}

/// Posts e-mail and password; returns the response.
pub async fn password_step(app: &TestApp, email: &str, password: &str) -> Posted {
    app.post_form(
        "/api/personale_log_ind",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

/// Signs in all the way (with the demo authenticator key where the account uses it) and
/// returns the `Cookie` header value of the full session.
pub async fn sign_in(app: &TestApp, who: (&str, &str)) -> String {
    let first = password_step(app, who.0, who.1).await;
    let token = first.cookie(COOKIE).expect("session cookie");
    if first.location == "/personale" {
        return format!("{COOKIE}={token}");
    }
    assert_eq!(first.location, "/personale/log-ind/kode", "{}", who.0);
    // A code step may already have been used by an earlier sign-in in this test: try the
    // next step too.
    for step in [0, 1] {
        let code = code_for(server::demo::DEMO_TOTP_SECRET, step);
        let second = app
            .post_form(
                "/api/personale_kode",
                &[("code", code.as_str())],
                Some(&format!("{COOKIE}={token}")),
            )
            .await;
        if second.location == "/personale" {
            return format!("{COOKIE}={}", second.cookie(COOKIE).expect("full session"));
        }
    }
    panic!("could not sign in {}", who.0);
}

/// Status and `Location` of a GET.
pub async fn get_page(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String, String) {
    let mut request = app
        .client
        .get(format!("{}{}", app.base, path))
        .header("accept", "text/html");
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.expect("get");
    let status = response.status().as_u16();
    let location = location_of(&response);
    (status, location, response.text().await.expect("body"))
}

/// A published run of the Randers course "Recovery og håb" with `sessions` weekly sessions and
/// five seats, open for sign-up (the demo coordinator runs Randers).
pub async fn randers_run(app: &TestApp, sessions: u32) -> i32 {
    use entity::{course, run};
    use sea_orm::sea_query::Expr;
    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 5,
            sessions,
            ..RunSpec::default()
        },
    )
    .await;
    let course = course::Entity::find()
        .filter(course::Column::Slug.eq("recovery-og-haab"))
        .found(&app.db, "demo course")
        .await;
    run::Entity::update_many()
        .col_expr(run::Column::CourseId, Expr::value(course.id))
        .col_expr(run::Column::SchoolId, Expr::value(course.school_id))
        .filter(run::Column::Id.eq(t.id))
        .exec(&app.db)
        .await
        .expect("move the run to Randers");
    t.id
}

/// Time passes: the run's first session starts at `first` and the others weekly after it, and
/// everyone signed up three days before. Returns the sessions in order.
pub async fn held(
    app: &TestApp,
    run_id: i32,
    first: chrono::DateTime<Utc>,
) -> Vec<entity::session::Model> {
    use chrono::Duration;
    use entity::{booking, session};
    use sea_orm::QueryOrder;
    use sea_orm::sea_query::Expr;
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .order_by_asc(session::Column::StartsAt)
        .rows(&app.db)
        .await;
    for (i, s) in sessions.iter().enumerate() {
        let starts = first + Duration::weeks(i64::try_from(i).expect("small"));
        session::Entity::update_many()
            .col_expr(session::Column::StartsAt, Expr::value(starts))
            .col_expr(
                session::Column::EndsAt,
                Expr::value(starts + Duration::hours(3)),
            )
            .filter(session::Column::Id.eq(s.id))
            .exec(&app.db)
            .await
            .expect("move session");
    }
    booking::Entity::update_many()
        .col_expr(
            booking::Column::CreatedAt,
            Expr::value(first - Duration::days(3)),
        )
        .filter(booking::Column::RunId.eq(run_id))
        .exec(&app.db)
        .await
        .expect("sign-ups came first");
    session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .order_by_asc(session::Column::StartsAt)
        .rows(&app.db)
        .await
}
