//! Fremmøde over HTTP, as a teacher's phone without JavaScript posts it: taps per person, "mark
//! the rest present", afbud given in advance, corrections in the audit log, someone who came
//! without signing up, refusals for cancelled and future sessions, drop-in headcounts, and
//! evaluation invitations going only to those who came.

use crate::common::Found;
use crate::common::TestApp;
use crate::common::staff::*;
use chrono::{Duration, Utc};
use entity::{
    AttendanceStatus, CourseFormat, attendance, audit_log, booking, course, headcount,
    outbox_message, run, session, session_absence,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

/// A run of a Randers course with three seats taken and two sessions: the first began an hour
/// ago, the second is next week. Returns the run, its sessions and the bookings (Aase, Bent,
/// Carl).
async fn class_under_way(app: &TestApp) -> (i32, Vec<session::Model>, [i32; 3]) {
    let run_id = randers_run(app, 2).await;
    let people = [
        app.sign_up(run_id, "Aase", "aase@example.org").await,
        app.sign_up(run_id, "Bent", "bent@example.org").await,
        app.sign_up(run_id, "Carl", "carl@example.org").await,
    ];
    let sessions = held(app, run_id, Utc::now() - Duration::hours(1)).await;
    (run_id, sessions, people)
}

async fn status_of(app: &TestApp, session: i32, booking: i32) -> Option<AttendanceStatus> {
    attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session))
        .filter(attendance::Column::BookingId.eq(booking))
        .one(&app.db)
        .await
        .expect("query")
        .map(|a| a.status)
}

async fn audited(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .rows(&app.db)
        .await
}

both_backends!(attendance_is_taken_and_corrected, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, sessions, [aase, bent, carl]) = class_under_way(app).await;
    let (one, two) = (&sessions[0], &sessions[1]);
    // Carl gave afbud for the first session in advance.
    session_absence::ActiveModel {
        booking_id: Set(carl),
        session_id: Set(one.id),
        created_at: Set(Utc::now() - Duration::days(1)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("afbud");

    // The page opens on the session under way, with everyone on it.
    let page = format!("/personale/hold/{run_id}/fremmoede");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    for name in ["Aase", "Bent", "Carl", "meldte afbud på forhånd", "1 af 3"] {
        assert!(body.contains(name), "{name} in {body}");
    }
    assert!(
        body.contains(&format!(
            r#"id="s{carl}-afbud" name="status[b{carl}]" value="afbud" checked"#
        )),
        "afbud in advance shows as afbud"
    );

    // Aase came late; "the rest present" marks Bent; Carl's afbud is posted as the browser
    // sends the checked radio.
    let session = one.id.to_string();
    let saved = app
        .post_form(
            "/api/personale_fremmoede_gem",
            &[
                ("session", session.as_str()),
                (&format!("status[b{aase}]"), "late"),
                (&format!("status[b{carl}]"), "afbud"),
                ("all", "present"),
            ],
            Some(&cookie),
        )
        .await;
    let back = format!("{page}?gang={}&", one.id);
    assert_eq!(saved.location, format!("{back}besked=gemt#besked"));
    assert_eq!(
        status_of(app, one.id, aase).await,
        Some(AttendanceStatus::Late)
    );
    assert_eq!(
        status_of(app, one.id, bent).await,
        Some(AttendanceStatus::Present)
    );
    assert_eq!(
        status_of(app, one.id, carl).await,
        Some(AttendanceStatus::Afbud)
    );
    let recorded = audited(app, "attendance.record").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].detail, "3 registreret");
    assert!(audited(app, "attendance.correct").await.is_empty());

    // "The rest present" again changes nobody already recorded.
    app.post_form(
        "/api/personale_fremmoede_gem",
        &[("session", session.as_str()), ("all", "present")],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        status_of(app, one.id, aase).await,
        Some(AttendanceStatus::Late)
    );
    assert_eq!(audited(app, "attendance.record").await.len(), 1);

    // A correction later is logged with what it was.
    app.post_form(
        "/api/personale_fremmoede_gem",
        &[
            ("session", session.as_str()),
            (&format!("status[b{aase}]"), "present"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        status_of(app, one.id, aase).await,
        Some(AttendanceStatus::Present)
    );
    let corrected = audited(app, "attendance.correct").await;
    assert_eq!(corrected.len(), 1);
    assert_eq!(
        corrected[0].detail,
        format!("tilmelding {aase}: late → present"),
        "the log names the booking, not the person"
    );

    // A value the form does not offer changes nothing.
    let odd = app
        .post_form(
            "/api/personale_fremmoede_gem",
            &[
                ("session", session.as_str()),
                (&format!("status[b{aase}]"), "maybe"),
                (&format!("status[b{bent}]"), "absent"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(odd.location, format!("{back}fejl=valg"));
    assert_eq!(
        status_of(app, one.id, bent).await,
        Some(AttendanceStatus::Present)
    );

    // Next week's session cannot be recorded yet; a cancelled one never.
    let future = app
        .post_form(
            "/api/personale_fremmoede_gem",
            &[("session", two.id.to_string().as_str()), ("all", "present")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        future.location,
        format!("{page}?gang={}&fejl=fremtid", two.id)
    );
    let mut cancelled = one.clone().into_active_model();
    cancelled.cancelled = Set(true);
    cancelled.update(&app.db).await.expect("cancel");
    let refused = app
        .post_form(
            "/api/personale_fremmoede_gem",
            &[("session", session.as_str()), ("all", "present")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.location, format!("{back}fejl=aflyst"));
    session::Entity::update_many()
        .col_expr(session::Column::Cancelled, Expr::value(false))
        .filter(session::Column::Id.eq(one.id))
        .exec(&app.db)
        .await
        .expect("uncancel");
    assert_eq!(
        attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(two.id))
            .counted(&app.db)
            .await,
        0
    );

    // Someone who came without signing up: a name is enough, and no e-mail is kept.
    let nameless = app
        .post_form(
            "/api/personale_fremmoede_ny",
            &[("session", session.as_str()), ("name", "  ")],
            Some(&cookie),
        )
        .await;
    assert_eq!(nameless.location, format!("{back}fejl=navn-mangler#ny"));
    let walked_in = app
        .post_form(
            "/api/personale_fremmoede_ny",
            &[
                ("session", session.as_str()),
                ("name", "Dorte"),
                ("perspective", "relative"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(walked_in.location, format!("{back}besked=tilfoejet#besked"));
    let dorte = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .filter(booking::Column::Name.eq("Dorte"))
        .found(&app.db, "walk-in booking")
        .await;
    assert_eq!(dorte.source, "walk_in");
    assert_eq!(dorte.email, "");
    assert_eq!(dorte.perspective, Some(entity::Perspective::Relative));
    assert_eq!(
        status_of(app, one.id, dorte.id).await,
        Some(AttendanceStatus::Present)
    );
    let (_, _, body) = get_page(app, &format!("{page}?gang={}", one.id), Some(&cookie)).await;
    assert!(body.contains("kom uden tilmelding") && body.contains("4 af 4"));

    // A message to the class goes to the three with an e-mail, and nothing is queued for
    // the walk-in.
    app.post_form(
        "/api/personale_besked",
        &[
            ("run_id", run_id.to_string().as_str()),
            ("text", "Husk kaffen"),
        ],
        Some(&cookie),
    )
    .await;
    let messages = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("run_message"))
        .rows(&app.db)
        .await;
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| !m.recipient.is_empty()));

    // Once the run is over, the evaluation goes to those who came: Aase and Bent, not Carl
    // (afbud) and not Dorte (no e-mail).
    for (id, days) in [(one.id, 2), (two.id, 1)] {
        let over = Utc::now() - Duration::days(days);
        session::Entity::update_many()
            .col_expr(
                session::Column::StartsAt,
                Expr::value(over - Duration::hours(3)),
            )
            .col_expr(session::Column::EndsAt, Expr::value(over))
            .filter(session::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .expect("sessions held");
    }
    app::services::mail::schedule::queue_evaluations(&app.db, Utc::now())
        .await
        .expect("queue");
    let on_run: Vec<i32> = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|b| b.id)
        .collect();
    let mut invited: Vec<String> = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("evaluation_invitation"))
        .filter(outbox_message::Column::BookingId.is_in(on_run))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    invited.sort();
    assert_eq!(invited, ["aase@example.org", "bent@example.org"]);
});

both_backends!(only_the_team_and_coordinators_take_attendance, |app| {
    let (run_id, sessions, [aase, ..]) = class_under_way(app).await;
    let session = sessions[0].id.to_string();
    let page = format!("/personale/hold/{run_id}/fremmoede");
    // Lone Bech teaches at Randers but is not on this run's team; management sees no names.
    for who in [TEACHER, MANAGEMENT] {
        let cookie = sign_in(app, who).await;
        let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
        assert_eq!(status, 403, "{}", who.0);
        assert!(!body.contains("Aase"));
        let posted = app
            .post_form(
                "/api/personale_fremmoede_gem",
                &[
                    ("session", session.as_str()),
                    (&format!("status[b{aase}]"), "present"),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(posted.status, 403, "{}", who.0);
    }
    let (status, location, _) = get_page(app, &page, None).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/personale/log-ind"));
    assert_eq!(
        attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(sessions[0].id))
            .counted(&app.db)
            .await,
        0
    );

    // Put Lone on the team: now she may.
    let lone = entity::teacher::Entity::find()
        .filter(entity::teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone's profile")
        .await;
    entity::run_teacher::ActiveModel {
        run_id: Set(run_id),
        teacher_id: Set(lone.id),
    }
    .insert(&app.db)
    .await
    .expect("on the team");
    let cookie = sign_in(app, TEACHER).await;
    let posted = app
        .post_form(
            "/api/personale_fremmoede_gem",
            &[
                ("session", session.as_str()),
                (&format!("status[b{aase}]"), "present"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(posted.location.ends_with("besked=gemt#besked"));
    assert_eq!(
        status_of(app, sessions[0].id, aase).await,
        Some(AttendanceStatus::Present)
    );
});

both_backends!(drop_in_sessions_count_heads, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, sessions, _) = class_under_way(app).await;
    let r = run::Entity::find_by_id(run_id).found(&app.db, "run").await;
    course::Entity::update_many()
        .col_expr(course::Column::Format, Expr::value("drop_in"))
        .filter(course::Column::Id.eq(r.course_id))
        .exec(&app.db)
        .await
        .expect("make it a drop-in");
    let session = sessions[0].id.to_string();
    let page = format!("/personale/hold/{run_id}/fremmoede");
    let back = format!("{page}?gang={session}&");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Antal i alt") && !body.contains("Aase"),
        "{body}"
    );

    let post = |fields: Vec<(&'static str, &'static str)>| {
        let session = session.clone();
        let cookie = cookie.clone();
        async move {
            let mut all = vec![("session", session.as_str())];
            all.extend(fields);
            app.post_form("/api/personale_fremmoede_antal", &all, Some(&cookie))
                .await
                .location
        }
    };
    assert_eq!(
        post(vec![
            ("total", "12"),
            ("own_experience", "5"),
            ("professional", "3")
        ])
        .await,
        format!("{back}besked=gemt#besked")
    );
    let stored = headcount::Entity::find_by_id(sessions[0].id)
        .found(&app.db, "headcount")
        .await;
    assert_eq!(
        (
            stored.total,
            stored.own_experience,
            stored.relative,
            stored.professional
        ),
        (12, Some(5), None, Some(3))
    );
    // Bad numbers are explained, and the count already stored stays.
    for (fields, code) in [
        (vec![("own_experience", "2")], "antal_mangler"),
        (
            vec![("total", "4"), ("own_experience", "3"), ("relative", "2")],
            "antal_sum",
        ),
        (vec![("total", "mange")], "antal"),
    ] {
        assert_eq!(post(fields).await, format!("{back}fejl={code}#antal"));
    }
    let kept = headcount::Entity::find_by_id(sessions[0].id)
        .found(&app.db, "headcount")
        .await;
    assert_eq!(kept.total, 12);
    // A corrected count is logged.
    post(vec![("total", "14")]).await;
    let corrected = audited(app, "attendance.correct").await;
    assert_eq!(corrected.len(), 1);
    assert_eq!(corrected[0].detail, "antal: 12 → 14");
    let (_, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert!(body.contains(r#"value="14""#));
    assert_eq!(
        course::Entity::find_by_id(r.course_id)
            .one(&app.db)
            .await
            .expect("query")
            .map(|c| c.format),
        Some(CourseFormat::DropIn)
    );
});
