//! Staff sign-in for tests: the demo accounts, an authenticator code, signing in all the way,
//! and a GET with a session cookie.

use app::staff::access::Role;
use app::staff::{auth, totp};
use chrono::Utc;
use entity::school;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Posted, TestApp, location_of};

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
        .one(&app.db)
        .await
        .expect("query")
        .expect("demo school")
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
