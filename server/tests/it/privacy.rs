//! Who takes part stays private: no answer tells whether an address is signed up.

use crate::common::{Found, Posted, RunSpec, TestApp, make_run};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

const KEY_A: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const KEY_B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const KEY_C: &str = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

async fn post_form(app: &TestApp, run_id: i32, email: &str, key: &str) -> Posted {
    let run = run_id.to_string();
    app.post_form(
        "/api/tilmeld",
        &[
            ("run", run.as_str()),
            ("name", "Prøve"),
            ("email", email),
            ("consent", "ja"),
            ("key", key),
        ],
        None,
    )
    .await
}

/// What a stranger sees of a form post: status, where it leads, the names of the cookies set.
fn seen(posted: &Posted) -> (u16, String, Vec<String>) {
    let mut names: Vec<String> = posted
        .cookies
        .iter()
        .map(|c| c.split('=').next().unwrap_or_default().to_string())
        .collect();
    names.sort();
    (posted.status, posted.location.clone(), names)
}

async fn post_api(app: &TestApp, run_id: i32, email: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/runs/{run_id}/bookings", app.base))
        .json(&json!({ "name": "Prøve", "email": email, "consent": true }))
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let body = response.json().await.expect("json");
    (status, body)
}

/// A probe with a known and an unknown address, on the form and the API, gets the same
/// answers. The unknown addresses are fresh each time, as a prober's would be.
async fn probe_is_blind(app: &TestApp, run_id: i32, known: &str, round: &str) {
    let by_known = post_form(app, run_id, known, KEY_B).await;
    let by_new = post_form(app, run_id, &format!("ny-{round}@example.dk"), KEY_C).await;
    assert_eq!(seen(&by_known), seen(&by_new), "form, {round}");
    let api_known = post_api(app, run_id, known).await;
    let api_new = post_api(app, run_id, &format!("ny-api-{round}@example.dk")).await;
    assert_eq!(api_known, api_new, "API, {round}");
}

async fn set_run(app: &TestApp, run_id: i32, change: impl FnOnce(&mut entity::run::ActiveModel)) {
    let mut run: entity::run::ActiveModel = entity::run::Entity::find_by_id(run_id)
        .found(&app.db, "run")
        .await
        .into();
    change(&mut run);
    run.update(&app.db).await.expect("update run");
}

both_backends!(no_answer_tells_whether_an_address_is_signed_up, |app| {
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 3,
            waitlist: false,
            ..RunSpec::default()
        },
    )
    .await;
    let known = "kendt@example.dk";
    let posted = post_form(app, run.id, known, KEY_A).await;
    app.booked(&posted, run.id, known).await;

    // Open with a seat left: both are "Tak" (the known one is told by e-mail).
    probe_is_blind(app, run.id, known, "open").await;
    // Now full, without a waiting list: both are refused as full.
    probe_is_blind(app, run.id, known, "full").await;
    // Sign-up closed (the class has begun or ended): both are refused as closed.
    set_run(app, run.id, |r| {
        r.signup_closes_at = Set(Some(Utc::now() - Duration::hours(1)));
    })
    .await;
    probe_is_blind(app, run.id, known, "closed").await;
    // Cancelled.
    set_run(app, run.id, |r| {
        r.status = Set(entity::RunStatus::Cancelled)
    })
    .await;
    probe_is_blind(app, run.id, known, "cancelled").await;
});

both_backends!(the_privacy_notice_states_the_real_periods, |app| {
    use sea_orm::{ColumnTrait, QueryFilter};
    entity::school::Entity::update_many()
        .col_expr(
            entity::school::Column::RetentionMonths,
            sea_orm::sea_query::Expr::value(9),
        )
        .filter(entity::school::Column::Slug.eq("randers"))
        .exec(&app.db)
        .await
        .expect("period");
    let (status, page) = app.get("/privatliv").await;
    assert_eq!(status, 200);
    assert!(page.contains("Hvor længe hver skole gemmer dine oplysninger"));
    assert!(
        page.contains(": 9 måneder efter kursets sidste gang"),
        "{page}"
    );
    assert!(page.contains(": 6 måneder efter kursets sidste gang"));
    assert!(page.contains(app::rules::signup::PRIVACY_NOTICE_VERSION));
});

both_backends!(
    the_roster_shows_neither_perspective_nor_evaluation_mail,
    |app| {
        use crate::common::staff::{COORDINATOR, get_page, sign_in};
        use sea_orm::{ColumnTrait, QueryFilter};
        let run = make_run(&app.db, RunSpec::default()).await;
        let run_text = run.id.to_string();
        let posted = app
            .post_form(
                "/api/tilmeld",
                &[
                    ("run", run_text.as_str()),
                    ("name", "Vera"),
                    ("email", "vera@example.dk"),
                    ("perspective", "relative"),
                    ("consent", "ja"),
                    ("key", KEY_A),
                ],
                None,
            )
            .await;
        let booking = app.booked(&posted, run.id, "vera@example.dk").await;
        let cookie = sign_in(app, COORDINATOR).await;
        let page = format!("/personale/hold/{}/deltagere", run.id);
        let (status, _, before) = get_page(app, &page, Some(&cookie)).await;
        assert_eq!(status, 200);
        assert!(before.contains("Vera"));
        assert!(
            !before.contains("Deltager som pårørende"),
            "perspective in aggregates only"
        );
        // An evaluation reminder on its way does not show next to the name.
        entity::outbox_message::Entity::update_many()
            .col_expr(
                entity::outbox_message::Column::Kind,
                sea_orm::sea_query::Expr::value("evaluation_reminder"),
            )
            .filter(entity::outbox_message::Column::BookingId.eq(booking))
            .exec(&app.db)
            .await
            .expect("kind");
        let (_, _, after) = get_page(app, &page, Some(&cookie)).await;
        assert!(after.contains("Vera"));
        assert!(
            !after.contains("evaluation_reminder"),
            "not even in the page's data"
        );
    }
);
