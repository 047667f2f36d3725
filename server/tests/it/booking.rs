//! The booking engine over HTTP, against SQLite and PostgreSQL: signing up without an account,
//! the waiting list in both modes, resubmits, "Mine tilmeldinger" with afbud and offers, the
//! self-cancel deadline, and bad input of every kind.

use crate::common;
use crate::common::Found;

use crate::common::{RunSpec, TestApp, make_run};
use chrono::{Duration, Utc};
use entity::{BookingStatus, access_token, booking, outbox_message, session_absence};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

const KEY_A: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const KEY_B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const KEY_C: &str = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
const KEY_D: &str = "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";

/// A filled-in sign-up form for `run`.
fn form<'a>(run: &'a str, name: &'a str, email: &'a str, key: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("run", run),
        ("name", name),
        ("email", email),
        ("consent", "ja"),
        ("key", key),
    ]
}

async fn bookings_of(app: &TestApp, run_id: i32) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .order_by_asc(booking::Column::Id)
        .rows(&app.db)
        .await
}

async fn outbox_kinds(app: &TestApp, booking_id: i32) -> Vec<String> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(booking_id))
        .order_by_asc(outbox_message::Column::Id)
        .rows(&app.db)
        .await
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

/// A run with `capacity` seats and the other settings as [`RunSpec::default`].
async fn run_with_seats(app: &TestApp, capacity: i32) -> common::TestRun {
    make_run(
        &app.db,
        RunSpec {
            capacity,
            ..RunSpec::default()
        },
    )
    .await
}

/// Signs up and returns the new booking's id (from the redirect to its confirmation).
async fn sign_up(app: &TestApp, run_id: i32, name: &str, email: &str, key: &str) -> i32 {
    let run = run_id.to_string();
    let posted = app
        .post_form("/api/tilmeld", &form(&run, name, email, key), None)
        .await;
    app.booked(&posted, run_id, email).await
}

/// The form page as it looks after a rejected post: the post's one-time cookie carries the
/// messages and what was typed back to the page.
async fn page_after_rejection(
    app: &TestApp,
    run_id: i32,
    posted: &common::Posted,
) -> (u16, String) {
    let draft = posted.cookie("sb_udkast").expect("the form comes back");
    let page = posted.location.split('#').next().unwrap_or_default();
    assert!(page.starts_with(&format!("/hold/{run_id}/tilmelding")));
    app.get_with_cookie(page, Some(&format!("sb_udkast={draft}")))
        .await
}

async fn booking_by_id(app: &TestApp, id: i32) -> booking::Model {
    booking::Entity::find_by_id(id)
        .found(&app.db, "booking")
        .await
}

/// Posts an action from "Mine tilmeldinger" and returns where it leads.
async fn manage(app: &TestApp, token: &str, action: &str, booking: i32) -> String {
    let booking = booking.to_string();
    app.post_form(
        "/api/mine_tilmeldinger_handling",
        &[
            ("token", token),
            ("action", action),
            ("booking", booking.as_str()),
        ],
        None,
    )
    .await
    .location
}

async fn manage_token(app: &TestApp, email: &str) -> String {
    app::services::tokens::issue_manage_token(&app.db, &email.to_lowercase(), Utc::now())
        .await
        .expect("token")
}

both_backends!(sign_up_confirms_and_shows_the_receipt, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let (status, page) = app.get(&format!("/hold/{}/tilmelding", run.id)).await;
    assert_eq!(status, 200);
    for text in [
        "Dit navn",
        "Din e-mail",
        "Jeg deltager som (frivilligt)",
        "Hjemkommune (frivilligt)",
        "Skriv ikke om helbred",
        "Tilmelder du en anden person?",
        "privatlivspolitik, version",
        "Tilmeld mig",
    ] {
        assert!(page.contains(text), "form shows {text}");
    }

    let run_text = run.id.to_string();
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "Åse", "Aase@Example.DK", KEY_A),
            None,
        )
        .await;
    let booking_id = app.booked(&posted, run.id, "aase@example.dk").await;
    assert_eq!(posted.cookie("sb_kvittering").as_deref(), Some(KEY_A));

    let stored = booking_by_id(app, booking_id).await;
    assert_eq!(stored.status, BookingStatus::Confirmed);
    assert_eq!(stored.email_key, "aase@example.dk");
    assert_eq!(
        stored.consent_version,
        app::rules::signup::PRIVACY_NOTICE_VERSION
    );
    assert!(stored.consent_at.is_some());
    assert_ne!(
        stored.receipt_hash.as_deref(),
        Some(KEY_A),
        "only the hash is stored"
    );
    assert_eq!(
        outbox_kinds(app, booking_id).await,
        vec!["booking_confirmed"]
    );

    // "Tak" says what happens next and shows the run; the e-mail says seat or waiting list.
    let (status, thanks) = app.get(&posted.location).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("Tak for din tilmelding"));
    assert!(thanks.contains("Hvad sker der nu?"));
    assert!(thanks.contains(&run.course_title));
    assert!(
        !thanks.contains("Aase@Example.DK"),
        "no personal data on the page"
    );
});

both_backends!(full_run_puts_people_in_line_with_their_position, |app| {
    let run = run_with_seats(app, 1).await;
    sign_up(app, run.id, "Første", "a@example.dk", KEY_A).await;
    let (_, page) = app.get(&format!("/hold/{}/tilmelding", run.id)).await;
    assert!(
        page.contains("Skriv mig på ventelisten"),
        "the form says it is a waiting list"
    );
    let second = sign_up(app, run.id, "Anden", "b@example.dk", KEY_B).await;
    let waiting = booking_by_id(app, second).await;
    assert_eq!(waiting.status, BookingStatus::Waitlisted);
    assert_eq!(waiting.queue_no, Some(1));
    assert_eq!(outbox_kinds(app, second).await, vec!["booking_waitlisted"]);
});

both_backends!(a_resubmit_finds_the_same_booking, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let first = sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
    // The same form again (double click, back button).
    let again = sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
    assert_eq!(first, again);
    // Another tab of the same browser: a new form key, but the receipt cookie.
    let run_text = run.id.to_string();
    let tab = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "Ole", "OLE@example.dk ", KEY_B),
            Some(&format!("sb_kvittering={KEY_A}")),
        )
        .await;
    assert_eq!(app.booked(&tab, run.id, "ole@example.dk").await, first);
    assert_eq!(outbox_kinds(app, first).await, vec!["booking_confirmed"]);
    // Someone else typing the same address gets the answer a new address gets (the answer
    // must not tell who is signed up); the owner is told by e-mail.
    let stranger = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "X", "ole@example.dk", KEY_B),
            None,
        )
        .await;
    let newcomer = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "Y", "ny@example.dk", KEY_C),
            None,
        )
        .await;
    assert_eq!(
        (stranger.status, &stranger.location),
        (newcomer.status, &newcomer.location)
    );
    assert_eq!(
        stranger
            .cookies
            .iter()
            .map(|c| c.split('=').next())
            .collect::<Vec<_>>(),
        newcomer
            .cookies
            .iter()
            .map(|c| c.split('=').next())
            .collect::<Vec<_>>(),
        "the same cookies are set"
    );
    assert_eq!(bookings_of(app, run.id).await.len(), 2, "no duplicate");
    assert_eq!(
        outbox_kinds(app, first).await,
        vec!["booking_confirmed", "already_booked"]
    );
});

// A sign-up reads only the front of a long line (the held seats and as many in line as there
// are seats) and counts the rest; someone further back is still known by their address.
both_backends!(the_back_of_a_long_line_is_counted_and_known, |app| {
    let run = run_with_seats(app, 1).await;
    sign_up(app, run.id, "Første", "a@example.dk", KEY_A).await;
    sign_up(app, run.id, "Anden", "b@example.dk", KEY_B).await;
    let third = sign_up(app, run.id, "Tredje", "c@example.dk", KEY_C).await;
    // The same browser again finds its place, far back in line.
    assert_eq!(
        sign_up(app, run.id, "Tredje", "c@example.dk", KEY_C).await,
        third
    );
    // Someone else typing that address gets no second place; the owner is told.
    let run_text = run.id.to_string();
    app.post_form(
        "/api/tilmeld",
        &form(&run_text, "X", "c@example.dk", KEY_A),
        None,
    )
    .await;
    assert_eq!(
        outbox_kinds(app, third).await,
        vec!["booking_waitlisted", "already_booked"]
    );
    assert_eq!(bookings_of(app, run.id).await.len(), 3, "no duplicate");
    // A newcomer is counted behind everyone.
    let fourth = sign_up(app, run.id, "Fjerde", "d@example.dk", KEY_D).await;
    assert_eq!(booking_by_id(app, fourth).await.queue_no, Some(3));
    let told = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(fourth))
        .rows(&app.db)
        .await;
    assert!(
        told[0].payload.contains("\"position\":3"),
        "third in line: {}",
        told[0].payload
    );
});

both_backends!(mistakes_come_back_with_messages_and_what_was_typed, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let run_text = run.id.to_string();
    let long_needs = "x".repeat(400);
    let posted = app
        .post_form(
            "/api/tilmeld",
            &[
                ("run", run_text.as_str()),
                ("name", "<script>alert('navn')</script>"),
                ("email", "ikke en mail"),
                ("phone", "ring<b>"),
                ("needs", long_needs.as_str()),
                ("perspective", "<img src=x>"),
            ],
            None,
        )
        .await;
    assert_eq!(posted.status, 302);
    assert_eq!(
        posted.location,
        format!(
            "/hold/{}/tilmelding?fejl=email-ugyldig.telefon-ugyldigt.perspektiv-ugyldigt.behov-for-langt.samtykke-mangler#tilmeld-fejl",
            run.id
        )
    );
    let (status, page) = page_after_rejection(app, run.id, &posted).await;
    assert_eq!(status, 200);
    for message in [
        "Der er noget, der skal rettes",
        "Skriv en gyldig e-mail, fx navn@eksempel.dk.",
        "Skriv et telefonnummer med 8 cifre",
        "Teksten er for lang",
        "Vælg en af mulighederne",
        "Sæt flueben for at sige ja til privatlivspolitikken.",
    ] {
        assert!(page.contains(message), "shows {message}");
    }
    // What was typed is back in the fields, escaped, never as markup.
    assert!(page.contains("ikke en mail"));
    assert!(!page.contains("<script>alert('navn')"), "markup is escaped");
    assert!(page.contains("&lt;script&gt;") || page.contains("&lt;script>"));
    assert!(page.contains(r#"aria-invalid="true""#));
    assert!(bookings_of(app, run.id).await.is_empty(), "nothing stored");
});

both_backends!(names_in_any_script_are_welcome, |app| {
    let run = run_with_seats(app, 5).await;
    for (i, name) in ["Åse", "Zoë", "李"].iter().enumerate() {
        let email = format!("navn{i}@example.dk");
        sign_up(app, run.id, name, &email, KEY_A).await;
    }
    let names: Vec<String> = bookings_of(app, run.id)
        .await
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, vec!["Åse", "Zoë", "李"]);
});

both_backends!(runs_that_cannot_be_booked_say_why, |app| {
    // Unknown run: the form page says so, with 404; a post to it goes back there.
    let (status, page) = app.get("/hold/999999/tilmelding").await;
    assert_eq!(status, 404);
    assert!(page.contains("Holdet kan ikke findes"));
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form("999999", "Ole", "ole@example.dk", KEY_A),
            None,
        )
        .await;
    assert_eq!(posted.location, "/hold/999999/tilmelding");
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form("abc", "Ole", "ole@example.dk", KEY_A),
            None,
        )
        .await;
    assert_eq!(posted.location, "/hold/0/tilmelding");

    // A cancelled run.
    let run = make_run(&app.db, RunSpec::default()).await;
    let mut cancel: entity::run::ActiveModel = entity::run::Entity::find_by_id(run.id)
        .found(&app.db, "run")
        .await
        .into();
    cancel.status = Set(entity::RunStatus::Cancelled);
    cancel.update(&app.db).await.expect("cancel");
    let run_text = run.id.to_string();
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "Ole", "ole@example.dk", KEY_A),
            None,
        )
        .await;
    assert_eq!(
        posted.location,
        format!(
            "/hold/{}/tilmelding?fejl=holdet-er-aflyst#tilmeld-fejl",
            run.id
        )
    );
    assert!(bookings_of(app, run.id).await.is_empty());

    // Full with no waiting list: a clear message, nothing stored.
    let full = make_run(
        &app.db,
        RunSpec {
            capacity: 1,
            waitlist: false,
            ..RunSpec::default()
        },
    )
    .await;
    sign_up(app, full.id, "Første", "a@example.dk", KEY_A).await;
    let full_text = full.id.to_string();
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form(&full_text, "Anden", "b@example.dk", KEY_B),
            None,
        )
        .await;
    // The page now shows the run as full (no form) — the message is on the draft.
    let (_, page) = page_after_rejection(app, full.id, &posted).await;
    assert!(page.contains("Holdet er blevet fuldt"), "full message");
    assert_eq!(bookings_of(app, full.id).await.len(), 1);

    // The robot trap stores nothing.
    let mut trap = form(&run_text, "Bot", "bot@example.dk", KEY_A);
    trap.push(("website", "http://spam.example"));
    let posted = app.post_form("/api/tilmeld", &trap, None).await;
    assert_eq!(
        posted.location,
        format!("/hold/{}/tilmelding/modtaget", run.id)
    );
    assert_eq!(bookings_of(app, run.id).await.len(), 0);
});

both_backends!(drop_in_runs_take_no_sign_ups, |app| {
    let drop_in = entity::run::Entity::find()
        .filter(entity::run::Column::Capacity.is_null())
        .found(&app.db, "the demo café")
        .await;
    let text = drop_in.id.to_string();
    let posted = app
        .post_form(
            "/api/tilmeld",
            &form(&text, "Ole", "ole@example.dk", KEY_A),
            None,
        )
        .await;
    assert!(
        posted
            .location
            .starts_with(&format!("/hold/{}/tilmelding", drop_in.id))
    );
    assert!(bookings_of(app, drop_in.id).await.is_empty());
    let (_, page) = app.get(&format!("/hold/{}/tilmelding", drop_in.id)).await;
    assert!(page.contains("Du kan ikke tilmelde dig dette hold lige nu."));
});

both_backends!(afbud_gives_the_seat_to_the_first_in_line, |app| {
    let run = run_with_seats(app, 1).await;
    let first = sign_up(app, run.id, "Første", "first@example.dk", KEY_A).await;
    let second = sign_up(app, run.id, "Anden", "second@example.dk", KEY_A).await;
    let third = sign_up(app, run.id, "Tredje", "third@example.dk", KEY_A).await;

    let token = manage_token(app, "first@example.dk").await;
    let (status, page) = app.get(&format!("/mine-tilmeldinger/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Mine tilmeldinger"));
    assert!(page.contains("Tilmeldt"));
    assert!(page.contains("Meld afbud til hele holdet"));

    let posted = manage(app, &token, "cancel", first).await;
    assert_eq!(
        posted,
        format!("/mine-tilmeldinger/{token}?besked=afbud&booking={first}#besked")
    );
    let (_, after) = app.get(&posted).await;
    assert!(after.contains("Dit afbud er modtaget."));

    let statuses: Vec<BookingStatus> = bookings_of(app, run.id)
        .await
        .into_iter()
        .map(|b| b.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            BookingStatus::Cancelled,
            BookingStatus::Confirmed,
            BookingStatus::Waitlisted
        ]
    );
    assert_eq!(
        outbox_kinds(app, first).await,
        vec!["booking_confirmed", "booking_cancelled"]
    );
    assert_eq!(
        outbox_kinds(app, second).await,
        vec!["booking_waitlisted", "waitlist_promoted"]
    );

    // The third is now first in line.
    let token3 = manage_token(app, "third@example.dk").await;
    let (_, third_page) = app.get(&format!("/mine-tilmeldinger/{token3}")).await;
    assert!(
        third_page.contains("Venteliste, nr. 1"),
        "position moves up"
    );

    // A second click on the same afbud is harmless.
    let again = manage(app, &token, "cancel", first).await;
    assert!(again.contains("besked=allerede"));
    let _ = third;
});

both_backends!(offers_must_be_accepted_in_time, |app| {
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 1,
            offer_mode: true,
            ..RunSpec::default()
        },
    )
    .await;
    let first = sign_up(app, run.id, "Første", "first@example.dk", KEY_A).await;
    let second = sign_up(app, run.id, "Anden", "second@example.dk", KEY_A).await;
    let third = sign_up(app, run.id, "Tredje", "third@example.dk", KEY_A).await;

    let owner = app::services::booking::Actor::Participant {
        email_key: "first@example.dk".into(),
    };
    app::services::booking::cancel(&app.db, first, &owner, Utc::now())
        .await
        .expect("afbud");
    let offered = booking_by_id(app, second).await;
    assert_eq!(offered.status, BookingStatus::Offered);
    assert!(offered.offer_expires_at.is_some());

    // The offer shows with its buttons.
    let token2 = manage_token(app, "second@example.dk").await;
    let (_, page) = app.get(&format!("/mine-tilmeldinger/{token2}")).await;
    assert!(page.contains("Ja tak, jeg tager pladsen"));

    // The offer runs out: it passes to the third.
    let later = Utc::now() + Duration::hours(25);
    assert_eq!(
        app::services::booking::expire_offers(&app.db, later)
            .await
            .expect("expire"),
        1
    );
    let statuses: Vec<BookingStatus> = bookings_of(app, run.id)
        .await
        .into_iter()
        .map(|b| b.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            BookingStatus::Cancelled,
            BookingStatus::Expired,
            BookingStatus::Offered
        ]
    );
    assert_eq!(
        outbox_kinds(app, second).await,
        vec!["booking_waitlisted", "waitlist_offer", "offer_expired"]
    );

    // The second can no longer accept; the third can.
    let late = manage(app, &token2, "accept", second).await;
    assert!(late.contains("besked=ikke_muligt") || late.contains("besked=tilbud_udloebet"));
    let token3 = manage_token(app, "third@example.dk").await;
    let accepted = manage(app, &token3, "accept", third).await;
    assert!(
        accepted.contains("besked=tilbud_accepteret"),
        "{}",
        accepted
    );
    let confirmed = booking_by_id(app, third).await;
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
});

both_backends!(raising_capacity_fills_from_the_queue, |app| {
    let run = run_with_seats(app, 1).await;
    for (i, email) in ["a@example.dk", "b@example.dk", "c@example.dk"]
        .iter()
        .enumerate()
    {
        sign_up(app, run.id, &format!("P{i}"), email, KEY_A).await;
    }
    app::services::booking::set_capacity(&app.db, run.id, 2, Utc::now())
        .await
        .expect("raise");
    let statuses: Vec<BookingStatus> = bookings_of(app, run.id)
        .await
        .into_iter()
        .map(|b| b.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            BookingStatus::Confirmed,
            BookingStatus::Confirmed,
            BookingStatus::Waitlisted
        ]
    );
    let lower = app::services::booking::set_capacity(&app.db, run.id, 1, Utc::now()).await;
    assert!(matches!(
        lower,
        Err(app::services::booking::BookingError::CapacityTooLow)
    ));
});

both_backends!(
    afbud_after_the_deadline_is_refused_with_the_schools_contact,
    |app| {
        let run = make_run(
            &app.db,
            RunSpec {
                starts_in_hours: 10,
                cancel_deadline_hours: 24,
                ..RunSpec::default()
            },
        )
        .await;
        let id = sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
        let token = manage_token(app, "ole@example.dk").await;
        let (_, page) = app.get(&format!("/mine-tilmeldinger/{token}")).await;
        assert!(page.contains("Fristen for selv at melde afbud er overskredet"));
        let posted = manage(app, &token, "cancel", id).await;
        assert!(posted.contains("besked=for_sent"));
        let (_, after) = app.get(&posted).await;
        assert!(after.contains("Kontakt skolen, så finder I ud af det sammen."));
        assert!(after.contains("mailto:"), "the school's contact");
        let still = booking_by_id(app, id).await;
        assert_eq!(still.status, BookingStatus::Confirmed);
    }
);

both_backends!(afbud_for_one_session_keeps_the_seat, |app| {
    let run = make_run(
        &app.db,
        RunSpec {
            sessions: 3,
            ..RunSpec::default()
        },
    )
    .await;
    let id = sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
    let token = manage_token(app, "ole@example.dk").await;
    let (id_text, session_text) = (id.to_string(), run.sessions[1].to_string());
    let pairs = [
        ("token", token.as_str()),
        ("action", "session_afbud"),
        ("booking", id_text.as_str()),
        ("session", session_text.as_str()),
    ];
    let posted = app
        .post_form("/api/mine_tilmeldinger_handling", &pairs, None)
        .await;
    assert!(
        posted.location.contains("besked=gang_afbud"),
        "{}",
        posted.location
    );
    // Twice is harmless.
    app.post_form("/api/mine_tilmeldinger_handling", &pairs, None)
        .await;
    let absences = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.eq(id))
        .counted(&app.db)
        .await;
    assert_eq!(absences, 1);
    let (_, page) = app.get(&format!("/mine-tilmeldinger/{token}")).await;
    assert!(page.contains("Jeg kommer alligevel"));
    let still = booking_by_id(app, id).await;
    assert_eq!(still.status, BookingStatus::Confirmed);
    assert!(
        outbox_kinds(app, id)
            .await
            .contains(&"session_afbud".to_string())
    );
});

both_backends!(links_are_private_and_expire, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let mine = sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
    sign_up(app, run.id, "Eva", "eva@example.dk", KEY_A).await;

    // A forged token.
    let (status, page) = app
        .get("/mine-tilmeldinger/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("Linket virker ikke"));
    let (status, _) = app.get("/mine-tilmeldinger/..%2F..%2Fetc").await;
    assert_eq!(status, 404);

    // An expired token.
    let token = app::services::tokens::new_token();
    access_token::ActiveModel {
        purpose: Set("manage".into()),
        email_key: Set("ole@example.dk".into()),
        token_hash: Set(app::services::tokens::hash(&token)),
        created_at: Set(Utc::now() - Duration::days(40)),
        expires_at: Set(Utc::now() - Duration::days(10)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("insert");
    let (status, _) = app.get(&format!("/mine-tilmeldinger/{token}")).await;
    assert_eq!(status, 404);
    let posted = manage(app, &token, "cancel", mine).await;
    assert_eq!(posted, "/mine-tilmeldinger?udloebet=1");

    // Eva's link cannot touch Ole's booking, and her page does not show it.
    let eva = manage_token(app, "eva@example.dk").await;
    let (_, page) = app.get(&format!("/mine-tilmeldinger/{eva}")).await;
    assert!(!page.contains(&format!("value=\"{mine}\"")));
    let posted = manage(app, &eva, "cancel", mine).await;
    assert!(posted.contains("besked=ikke_muligt"));
    let ole = booking_by_id(app, mine).await;
    assert_eq!(ole.status, BookingStatus::Confirmed);
    // Only hashes are stored.
    let stored = access_token::Entity::find().rows(&app.db).await;
    assert!(
        stored
            .iter()
            .all(|t| t.token_hash != eva && t.token_hash.len() == 64)
    );
});

both_backends!(asking_for_a_link_never_reveals_the_address, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    sign_up(app, run.id, "Ole", "ole@example.dk", KEY_A).await;
    let before = outbox_message::Entity::find().counted(&app.db).await;
    let known = app
        .post_form(
            "/api/mine_tilmeldinger_link",
            &[("email", "OLE@example.dk")],
            None,
        )
        .await;
    let unknown = app
        .post_form(
            "/api/mine_tilmeldinger_link",
            &[("email", "nobody@example.dk")],
            None,
        )
        .await;
    assert_eq!(known.location, "/mine-tilmeldinger?sendt=1");
    assert_eq!(unknown.location, known.location, "same answer");
    let links = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("manage_link"))
        .rows(&app.db)
        .await;
    assert_eq!(links.len(), 1, "a link only to the known address");
    assert_eq!(links[0].recipient, "ole@example.dk");
    assert!(!links[0].payload.contains("token"), "no token at rest");
    assert_eq!(
        outbox_message::Entity::find().counted(&app.db).await,
        before + 1
    );
    let bad = app
        .post_form(
            "/api/mine_tilmeldinger_link",
            &[("email", "<script>")],
            None,
        )
        .await;
    assert_eq!(bad.location, "/mine-tilmeldinger?fejl=email");
    let (_, page) = app.get(&bad.location).await;
    assert!(page.contains("Skriv en gyldig e-mail"));
});

both_backends!(signing_up_someone_else_records_who_did, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let run_text = run.id.to_string();
    let mut fields = form(&run_text, "Bo", "bo@example.dk", KEY_A);
    fields.extend([
        ("booker_name", "Mor"),
        ("booker_email", "mor@example.dk"),
        ("booker_consent", "ja"),
    ]);
    let posted = app.post_form("/api/tilmeld", &fields, None).await;
    app.booked(&posted, run.id, "bo@example.dk").await;
    let b = &bookings_of(app, run.id).await[0];
    assert_eq!(b.email, "bo@example.dk");
    assert_eq!(b.booked_by_name.as_deref(), Some("Mor"));
    assert_eq!(b.booked_by_email.as_deref(), Some("mor@example.dk"));
    let message = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(b.id))
        .one(&app.db)
        .await
        .expect("q")
        .expect("message");
    assert_eq!(
        message.recipient, "bo@example.dk",
        "the confirmation goes to the person"
    );

    // Without the consent box, it is refused.
    let mut missing = form(&run_text, "Bent", "bent@example.dk", KEY_B);
    missing.extend([("booker_name", "Mor"), ("booker_email", "mor@example.dk")]);
    let posted = app.post_form("/api/tilmeld", &missing, None).await;
    assert!(posted.location.ends_with("#tilmeld-fejl"));
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_kindly() {
    let app = common::spawn_app_configured(common::Backend::Sqlite, true, |c| {
        c.rate_limits.signup_per_ip = 2;
        c.rate_limits.link_per_email = 1;
    })
    .await;
    let run = run_with_seats(&app, 10).await;
    sign_up(&app, run.id, "A", "a@example.dk", KEY_A).await;
    sign_up(&app, run.id, "B", "b@example.dk", KEY_A).await;
    let run_text = run.id.to_string();
    let third = app
        .post_form(
            "/api/tilmeld",
            &form(&run_text, "C", "c@example.dk", KEY_A),
            None,
        )
        .await;
    let (_, page) = page_after_rejection(&app, run.id, &third).await;
    assert!(page.contains("Der er sendt mange tilmeldinger herfra på kort tid."));
    assert!(
        page.contains("value=\"c@example.dk\""),
        "what was typed is kept"
    );
    assert_eq!(bookings_of(&app, run.id).await.len(), 2);

    app.post_form(
        "/api/mine_tilmeldinger_link",
        &[("email", "a@example.dk")],
        None,
    )
    .await;
    let second = app
        .post_form(
            "/api/mine_tilmeldinger_link",
            &[("email", "a@example.dk")],
            None,
        )
        .await;
    assert_eq!(second.location, "/mine-tilmeldinger?fejl=mange");
    app.stop().await;
}

both_backends!(people_can_download_and_delete_their_data, |app| {
    let run = run_with_seats(app, 1).await;
    let run_text = run.id.to_string();
    let mut fields = form(&run_text, "Ole", "ole@example.dk", KEY_A);
    fields.extend([
        ("phone", "12345678"),
        ("municipality", "Aarhus"),
        ("perspective", "relative"),
    ]);
    let posted = app.post_form("/api/tilmeld", &fields, None).await;
    let ole = app.booked(&posted, run.id, "ole@example.dk").await;
    let next = sign_up(app, run.id, "Eva", "eva@example.dk", KEY_B).await;
    let token = manage_token(app, "ole@example.dk").await;

    let (status, data) = app.get(&format!("/mine-tilmeldinger/{token}/data")).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&data).expect("json");
    assert_eq!(json["bookings"][0]["name"], "Ole");
    assert_eq!(json["bookings"][0]["phone"], "12345678");
    assert_eq!(json["bookings"][0]["municipality"], "Aarhus");
    let (status, _) = app
        .get("/mine-tilmeldinger/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/data")
        .await;
    assert_eq!(status, 404);

    // Without the tick nothing happens.
    let unconfirmed = app
        .post_form(
            "/api/mine_tilmeldinger_slet",
            &[("token", token.as_str())],
            None,
        )
        .await;
    assert!(unconfirmed.location.contains("besked=slet_bekraeft"));
    assert_eq!(booking_by_id(app, ole).await.name, "Ole");

    let deleted = app
        .post_form(
            "/api/mine_tilmeldinger_slet",
            &[("token", token.as_str()), ("confirm", "ja")],
            None,
        )
        .await;
    assert_eq!(deleted.location, "/mine-tilmeldinger?slettet=1");
    let cleared = booking_by_id(app, ole).await;
    assert_eq!(cleared.status, BookingStatus::Cancelled);
    assert_eq!((cleared.name.as_str(), cleared.email.as_str()), ("", ""));
    assert_eq!(cleared.phone, None);
    // The seat went on, and the figures keep the municipality without a person.
    let promoted = booking_by_id(app, next).await;
    assert_eq!(promoted.status, BookingStatus::Confirmed);
    assert_eq!(cleared.municipality.as_deref(), Some("Aarhus"));
    // No queued mail to the person and no working link remain.
    let queued = outbox_message::Entity::find()
        .filter(outbox_message::Column::Recipient.eq("ole@example.dk"))
        .counted(&app.db)
        .await;
    assert_eq!(queued, 0);
    let (status, _) = app.get(&format!("/mine-tilmeldinger/{token}")).await;
    assert_eq!(status, 404);
});

both_backends!(the_course_page_leads_to_the_form, |app| {
    let run = make_run(&app.db, RunSpec::default()).await;
    let course = entity::course::Entity::find_by_id(
        entity::run::Entity::find_by_id(run.id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("run")
            .course_id,
    )
    .one(&app.db)
    .await
    .expect("q")
    .expect("course");
    let (_, page) = app.get(&format!("/kurser/{}", course.slug)).await;
    assert!(page.contains(&format!("href=\"/hold/{}/tilmelding\"", run.id)));
    assert!(page.contains("Tilmeld dig"));
});

both_backends!(
    undecodable_posts_are_bad_requests_not_server_errors,
    |app| {
        let huge = "a".repeat(100_000);
        for (path, body) in [
            ("/api/tilmeld", "run=1&run=2"),
            ("/api/tilmeld", "name[a]=1"),
            (
                "/api/mine_tilmeldinger_handling",
                "token=x&action=explode&booking=abc",
            ),
            ("/api/mine_tilmeldinger_handling", ""),
            ("/api/tilmeld", huge.as_str()),
        ] {
            let status = app.post_raw(path, body.to_string()).await;
            assert!(
                status < 500,
                "{path} with {:?} answered {status}",
                &body[..body.len().min(40)]
            );
        }
    }
);
