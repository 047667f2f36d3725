//! Online classes end to end: the meeting link reaches the people with a seat (confirmation,
//! reminder, calendar invitation, personal feed, "Mine tilmeldinger") and nobody else (the
//! waiting list, public pages, the public API, the school's feed, webhooks); a changed link
//! sends an update whose calendar SEQUENCE is raised.

use std::time::Duration as StdDuration;

use crate::common::mail::{link, mails_to, parse_ics, path_of, value, wait_for_mail as wait_for};
use crate::common::staff::{make_coordinator, sign_in};
use crate::common::{Backend, Found, RunSpec, make_run, send_mail_to, spawn_app_configured};
use chrono::Utc;
use entity::{course, location, outbox_message, run, school, session, webhook};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use smtp_sink::Sink;

const FIRST: &str = "https://video.example.org/rum-1?pwd=abc";
const SECOND: &str = "https://video.example.org/rum-2?pwd=xyz";

/// The school's online place (made if the school has none), with a platform and guidance.
async fn online_place(db: &sea_orm::DatabaseConnection, school_id: i32) -> i32 {
    location::ActiveModel {
        school_id: Set(school_id),
        name: Set("Online".into()),
        is_online: Set(true),
        step_free: Set(entity::StepFree::Yes),
        access_note: Set(String::new()),
        directions: Set("Du kan have kameraet slukket.".into()),
        platform: Set(Some("Teams".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("online place")
    .id
}

async fn a_seat_holder_gets_the_link_and_nobody_else(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let app = spawn_app_configured(backend, true, send_mail_to(sink.addr())).await;
    let made = make_run(
        &app.db,
        RunSpec {
            capacity: 1,
            sessions: 2,
            ..RunSpec::default()
        },
    )
    .await;
    let r = run::Entity::find_by_id(made.id).found(&app.db, "run").await;
    let the_school = school::Entity::find_by_id(r.school_id)
        .found(&app.db, "school")
        .await;
    let the_course = course::Entity::find_by_id(r.course_id)
        .found(&app.db, "course")
        .await;
    let place = online_place(&app.db, r.school_id).await;
    let mut online: run::ActiveModel = r.clone().into();
    online.location_id = Set(Some(place));
    online.update(&app.db).await.expect("online run");
    // A webhook for every event, so anything a hook would carry is in the outbox.
    webhook::ActiveModel {
        school_id: Set(r.school_id),
        url: Set("https://hooks.example.org/skole".into()),
        secret: Set("whsec_test".into()),
        events: Set(app::services::webhooks::Event::ALL
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        active: Set(true),
        failures_in_row: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("webhook");

    // The link is set for both sessions before anyone signs up: nobody to tell.
    let changed = app::services::booking::set_online_link(
        &app.db,
        made.sessions[0],
        Some(FIRST.into()),
        true,
        Utc::now(),
    )
    .await
    .expect("link");
    assert_eq!(changed, 2);

    app.sign_up(made.id, "Kim", "kim@example.dk").await;
    app.sign_up(made.id, "Lis", "lis@example.dk").await;
    let kim = wait_for(&sink, "kim@example.dk", 1).await.remove(0);
    let lis = wait_for(&sink, "lis@example.dk", 1).await.remove(0);

    // The seat holder: link, platform and guidance in both bodies, and in the invitation.
    for body in [&kim.text, &kim.html] {
        assert!(body.contains("video.example.org/rum-1"), "{body}");
        assert!(body.contains("Online på Teams"), "{body}");
        assert!(body.contains("kameraet slukket"), "{body}");
    }
    assert!(
        kim.text
            .contains(&format!("Link til undervisningen: {FIRST}"))
    );
    let cal = parse_ics(
        kim.calendar
            .as_ref()
            .map(|(_, c)| c.as_str())
            .expect("invitation"),
    );
    assert_eq!(cal.events.len(), 2);
    for e in &cal.events {
        assert_eq!(value(&e.properties, "LOCATION"), FIRST);
        assert_eq!(value(&e.properties, "URL"), FIRST);
        assert!(value(&e.properties, "DESCRIPTION").contains(FIRST));
        assert_eq!(value(&e.properties, "SEQUENCE"), "1", "set once");
    }
    // The waiting person: no link anywhere.
    assert!(lis.subject.starts_with("Du står på venteliste"));
    for body in [&lis.text, &lis.html] {
        assert!(!body.contains("video.example.org"), "{body}");
    }

    // "Mine tilmeldinger": the seat shows the link, the waiting place does not.
    let kim_page = app
        .get(&path_of(&link(&kim.text, "/mine-tilmeldinger/")))
        .await;
    assert_eq!(kim_page.0, 200);
    assert!(kim_page.1.contains(FIRST));
    assert!(kim_page.1.contains("Gå til undervisningen online"));
    let lis_page = app
        .get(&path_of(&link(&lis.text, "/mine-tilmeldinger/")))
        .await;
    assert_eq!(lis_page.0, 200);
    assert!(lis_page.1.contains(&the_course.title));
    assert!(!lis_page.1.contains("video.example.org"));

    // Public pages, the public API and the school's feed never carry it.
    for path in [
        format!("/kurser/{}", the_course.slug),
        format!("/api/v1/runs/{}", made.id),
        "/api/v1/runs?per_page=100".to_string(),
        format!("/skoler/{}", the_school.slug),
        format!("/skoler/{}/kalender.ics", the_school.slug),
        format!("/skoler/{}/katalog", the_school.slug),
        "/".to_string(),
    ] {
        let (status, body) = app.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("video.example.org"), "{path} shows the link");
    }

    // A coordinator changes the link from the second session on; another school's may not.
    let coordinator = make_coordinator(&app, "k@online.example", r.school_id).await;
    let cookie = sign_in(&app, (coordinator.0.as_str(), coordinator.1.as_str())).await;
    let other_school = school::Entity::find()
        .filter(school::Column::Id.ne(r.school_id))
        .order_by_asc(school::Column::Id)
        .found(&app.db, "another school")
        .await;
    let stranger = make_coordinator(&app, "k@andet.example", other_school.id).await;
    let stranger = sign_in(&app, (stranger.0.as_str(), stranger.1.as_str())).await;
    let second = made.sessions[1].to_string();
    let form = [
        ("session", second.as_str()),
        ("online_url", SECOND),
        ("following", "ja"),
    ];
    let refused = app
        .post_form("/api/personale_gang_link", &form, Some(&stranger))
        .await;
    assert_eq!(refused.status, 403);
    let bad = app
        .post_form(
            "/api/personale_gang_link",
            &[("session", second.as_str()), ("online_url", "http://x.dk")],
            Some(&cookie),
        )
        .await;
    assert!(bad.location.contains("fejl=link"), "{}", bad.location);
    let saved = app
        .post_form("/api/personale_gang_link", &form, Some(&cookie))
        .await;
    assert_eq!(
        saved.location,
        format!("/personale/hold/{}?gang=link#gang-{second}", made.id)
    );
    let update = wait_for(&sink, "kim@example.dk", 2).await.remove(1);
    assert!(update.subject.starts_with("Link til undervisningen"));
    assert!(
        update.subject.contains(&the_school.name)
            || update.subject.contains(&the_school.short_name)
    );
    assert!(!update.subject.contains(&the_course.title));
    assert!(update.text.contains(SECOND), "{}", update.text);
    assert!(!update.text.contains(FIRST), "only the changed session");
    let cal = parse_ics(
        update
            .calendar
            .as_ref()
            .map(|(_, c)| c.as_str())
            .expect("updated invitation"),
    );
    assert_eq!(value(&cal.properties, "METHOD"), "REQUEST");
    assert_eq!(cal.events.len(), 1);
    let e = &cal.events[0];
    assert_eq!(
        value(&e.properties, "UID"),
        format!("invite-session-{second}@127.0.0.1")
    );
    assert_eq!(value(&e.properties, "SEQUENCE"), "2", "raised again");
    assert_eq!(value(&e.properties, "LOCATION"), SECOND);
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.eq(made.id))
        .order_by_asc(session::Column::StartsAt)
        .rows(&app.db)
        .await;
    assert_eq!(sessions[0].online_url.as_deref(), Some(FIRST));
    assert_eq!(sessions[1].online_url.as_deref(), Some(SECOND));
    // The same link again changes nothing and tells nobody.
    app.post_form("/api/personale_gang_link", &form, Some(&cookie))
        .await;
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    assert_eq!(mails_to(&sink, "kim@example.dk").len(), 2);
    assert_eq!(
        mails_to(&sink, "lis@example.dk").len(),
        1,
        "the waiting list is not told"
    );

    // The reminder before the first session carries that session's link.
    let mut soon: session::ActiveModel = sessions[0].clone().into();
    soon.starts_at = Set(Utc::now() + chrono::Duration::hours(12));
    soon.ends_at = Set(Utc::now() + chrono::Duration::hours(14));
    soon.update(&app.db).await.expect("first session soon");
    app::services::mail::schedule::queue_reminders(&app.db, Utc::now())
        .await
        .expect("reminders");
    let reminder = wait_for(&sink, "kim@example.dk", 3).await.remove(2);
    assert!(
        reminder.subject.starts_with("Kommer du?"),
        "{}",
        reminder.subject
    );
    assert!(
        reminder
            .text
            .contains(&format!("Link til undervisningen: {FIRST}"))
    );
    assert!(reminder.text.contains("kameraet slukket"));

    // Nothing queued (mail payloads, webhook bodies) holds a link: mails are written at sending.
    for row in outbox_message::Entity::find().rows(&app.db).await {
        assert!(!row.payload.contains("video.example.org"), "{}", row.kind);
    }
    app.stop().await;
}

both_backends!(a_seat_holder_gets_the_link_and_nobody_else, threads = 2);
