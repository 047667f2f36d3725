//! Rosters: what staff do on them (adding people, messages, moving between the seats and the
//! line), and that they are for the run's team and coordinators only.

use super::*;

both_backends!(rosters_and_what_staff_do_on_them, |app| {
    use entity::{BookingStatus, booking};
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, _) = published_run(app, &cookie, "1").await;
    let first = app.sign_up(run_id, "Aase", "aase@example.org").await;
    let second = app.sign_up(run_id, "Bent", "bent@example.org").await;
    let page = format!("/personale/hold/{run_id}/deltagere");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Aase") && body.contains("aase@example.org") && body.contains("Bent"));
    assert!(body.contains("Nr. 1 i køen"));

    // Sign-up by phone: consent must be confirmed; the seat rules are the form's.
    let run = run_id.to_string();
    let no_consent = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Carl"),
                ("email", "carl@example.org"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(no_consent.location, format!("{page}?fejl=samtykke#tilmeld"));
    let added = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Carl"),
                ("email", "carl@example.org"),
                ("phone", "12 34 56 78"),
                ("consent", "ja"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.location, format!("{page}?besked=tilmeldt"));
    let carl = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq("carl@example.org"))
        .found(&app.db, "booking")
        .await;
    assert_eq!(
        carl.status,
        BookingStatus::Waitlisted,
        "the run is full: Carl waits"
    );
    assert_eq!(carl.source, "staff");
    assert_eq!(carl.booked_by_name.as_deref(), Some("Mette Holm"));

    // No free seat: nobody jumps the queue into an overbooked class.
    let full = app
        .post_form(
            "/api/personale_giv_plads",
            &[("booking_id", carl.id.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(full.location, format!("{page}?fejl=fuldt"));
    // Cancelling the seat holder passes the seat to the first in line.
    let cancelled = app
        .post_form(
            "/api/personale_afmeld",
            &[("booking_id", first.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(cancelled.location, format!("{page}?besked=afmeldt"));
    let bent = booking::Entity::find_by_id(second)
        .found(&app.db, "b")
        .await;
    assert_eq!(bent.status, BookingStatus::Confirmed);
    // Raise the seats, then give Carl one out of turn.
    let rid = run_id.to_string();
    let raised = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", rid.as_str()),
                ("capacity", "3"),
                ("waitlist", "ja"),
                ("offer_hours", "24"),
                ("cancel_deadline_hours", "24"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(raised.location, format!("/personale/hold/{run_id}?gemt=1"));
    let carl = booking::Entity::find_by_id(carl.id)
        .found(&app.db, "b")
        .await;
    assert_eq!(
        carl.status,
        BookingStatus::Confirmed,
        "a raise fills seats from the queue"
    );

    // A message to everyone on the run.
    let empty = app
        .post_form(
            "/api/personale_besked",
            &[("run_id", run.as_str()), ("text", "  ")],
            Some(&cookie),
        )
        .await;
    assert_eq!(empty.location, format!("{page}?fejl=besked#besked"));
    let sent = app
        .post_form(
            "/api/personale_besked",
            &[
                ("run_id", run.as_str()),
                ("text", "Husk at tage varmt tøj på."),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.location, format!("{page}?besked=sendt&antal=2"));
    assert_eq!(queued(app, second, "run_message").await, 1);
    assert_eq!(
        queued(app, first, "run_message").await,
        0,
        "not to the cancelled booking"
    );

    // Every look and change is in the audit log.
    for action in [
        "roster.view",
        "booking.add",
        "booking.cancel",
        "run.message",
    ] {
        assert!(
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .counted(&app.db)
                .await
                >= 1,
            "{action}"
        );
    }
    let (_, _, log) = get_page(app, "/personale/log", Some(&cookie)).await;
    assert!(
        log.contains("Så deltagerlisten") && log.contains("Mette Holm"),
        "{log}"
    );
});

both_backends!(rosters_are_for_the_team_and_coordinators_only, |app| {
    use entity::{run, run_teacher};
    // A Randers run that Lone Bech (the demo teacher) teaches, and one she does not.
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
    let taught: Vec<i32> = run_teacher::Entity::find()
        .filter(run_teacher::Column::TeacherId.eq(lone.id))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|t| t.run_id)
        .collect();
    let randers = school_id(app, "randers").await;
    let randers_runs = run::Entity::find()
        .filter(run::Column::SchoolId.eq(randers))
        .rows(&app.db)
        .await;
    let own = randers_runs
        .iter()
        .find(|r| taught.contains(&r.id))
        .expect("a run Lone teaches")
        .id;
    let other = randers_runs
        .iter()
        .find(|r| !taught.contains(&r.id))
        .expect("a run she does not")
        .id;
    let aarhus = school_id(app, "aarhus").await;
    let aarhus_coordinator = make_coordinator(app, "k.aarhus@example.org", aarhus).await;

    let cookies = [
        ("anonymous", None),
        ("teacher", Some(sign_in(app, TEACHER).await)),
        ("coordinator", Some(sign_in(app, COORDINATOR).await)),
        (
            "other coordinator",
            Some(sign_in(app, (&aarhus_coordinator.0, &aarhus_coordinator.1)).await),
        ),
        ("management", Some(sign_in(app, MANAGEMENT).await)),
        ("admin", Some(sign_in(app, ADMIN).await)),
    ];
    // (path, who may): the roster of her run, of another run, and the editors.
    let checks: [(String, &[&str]); 5] = [
        (
            format!("/personale/hold/{own}/deltagere"),
            &["teacher", "coordinator"],
        ),
        (
            format!("/personale/hold/{other}/deltagere"),
            &["coordinator"],
        ),
        (
            format!("/personale/hold/{own}"),
            &["teacher", "coordinator", "admin"],
        ),
        (
            format!("/personale/hold/{other}"),
            &["coordinator", "admin"],
        ),
        (
            "/personale/hold/ny".to_string(),
            &["teacher", "coordinator", "other coordinator", "admin"],
        ),
    ];
    for (path, may) in &checks {
        for (who, cookie) in &cookies {
            let (status, location, _) = get_page(app, path, cookie.as_deref()).await;
            let expected = if cookie.is_none() {
                Outcome::SignIn
            } else if may.contains(who) {
                Outcome::Allowed
            } else {
                Outcome::Forbidden
            };
            assert_eq!(outcome(status, &location), expected, "GET {path} as {who}");
        }
    }
    // Changes on another's run are refused just the same.
    let other_text = other.to_string();
    for (who, cookie) in &cookies[1..] {
        let posted = app
            .post_form(
                "/api/personale_besked",
                &[("run_id", other_text.as_str()), ("text", "Hej")],
                cookie.as_deref(),
            )
            .await;
        let expected = if *who == "coordinator" {
            Outcome::Allowed
        } else {
            Outcome::Forbidden
        };
        assert_eq!(
            outcome(posted.status, &posted.location),
            expected,
            "message as {who}"
        );
        let posted = app
            .post_form(
                "/api/personale_hold_aflys",
                &[("run_id", other_text.as_str()), ("confirm", "nej")],
                cookie.as_deref(),
            )
            .await;
        let expected = if matches!(*who, "coordinator" | "admin") {
            Outcome::Allowed
        } else {
            Outcome::Forbidden
        };
        assert_eq!(
            outcome(posted.status, &posted.location),
            expected,
            "cancel as {who}"
        );
    }
});
