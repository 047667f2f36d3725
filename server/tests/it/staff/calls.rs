//! Sign-up without e-mail, by staff: a person with a name and a phone number only gets a seat or
//! a place in the queue like anyone, no mail is ever queued for them, and each piece of news
//! becomes a call on the run's list and the team's home page ("Ingen e-mail – ring"). Given an
//! e-mail later, they get the normal mails.

use super::*;
use entity::{BookingStatus, booking, outbox_message, run_teacher};
use sea_orm::{ActiveModelTrait, QueryOrder, Set};

/// Waits until the sink holds `n` messages.
async fn received(sink: &Sink, n: usize) -> Vec<smtp_sink::Received> {
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        let got = sink.received();
        if got.len() >= n {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {n} mails",
            got.len()
        );
        sink.wait_for(n, StdDuration::from_millis(200)).await;
    }
}

fn recipients(mails: &[smtp_sink::Received]) -> Vec<String> {
    mails.iter().flat_map(|m| m.to.clone()).collect()
}

async fn a_person_without_e_mail_is_called_instead(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let owned = spawn_app_configured(backend, true, send_mail_to(sink.addr())).await;
    let app = &owned;
    let run_id = randers_run(app, 1).await;
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
    run_teacher::ActiveModel {
        run_id: Set(run_id),
        teacher_id: Set(lone.id),
    }
    .insert(&app.db)
    .await
    .expect("Lone teaches the run");
    // The demo data's own mail (reminders) goes first, so what follows is this test's.
    tokio::time::sleep(StdDuration::from_millis(1500)).await;
    let before = sink.received().len();

    // Five seats, taken by people with e-mail.
    let mut seated = Vec::new();
    for i in 0..5 {
        seated.push(
            app.sign_up(
                run_id,
                &format!("Deltager {i}"),
                &format!("d{i}@example.dk"),
            )
            .await,
        );
    }
    let cookie = sign_in(app, COORDINATOR).await;
    let run = run_id.to_string();
    let page = format!("/personale/hold/{run_id}/deltagere");

    // Neither e-mail nor phone: refused plainly.
    let neither = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Poul"),
                ("consent", "ja"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(
        neither.location.contains("fejl=kontakt-mangler"),
        "{}",
        neither.location
    );

    // Poul by phone only: the run is full, so he waits.
    let poul_form = [
        ("run_id", run.as_str()),
        ("name", "Poul"),
        ("phone", "+45 12 34 56 78"),
        ("consent", "ja"),
    ];
    let added = app
        .post_form("/api/personale_tilmeld", &poul_form, Some(&cookie))
        .await;
    assert_eq!(added.location, format!("{page}?besked=tilmeldt"));
    let poul = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .filter(booking::Column::Name.eq("Poul"))
        .found(&app.db, "Poul's booking")
        .await;
    assert_eq!(poul.status, BookingStatus::Waitlisted);
    assert_eq!(poul.email, "");
    assert_eq!(poul.email_key, "tel:12345678");
    // The same number written another way is the same person: one booking per run.
    let again = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Poul P."),
                ("phone", "12345678"),
                ("consent", "ja"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.location, format!("{page}?besked=findes"));

    // An afbud frees a seat: Poul gets it, and someone must call him.
    let cancelled = app
        .post_form(
            "/api/personale_afmeld",
            &[("booking_id", seated[0].to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert!(
        cancelled.location.contains("besked=afmeldt"),
        "{}",
        cancelled.location
    );
    let poul = booking::Entity::find_by_id(poul.id)
        .found(&app.db, "Poul")
        .await;
    assert_eq!(poul.status, BookingStatus::Confirmed);

    // The teacher's home page says to call him, with the number and the news.
    let teacher = sign_in(app, TEACHER).await;
    let (status, _, home) = get_page(app, "/personale", Some(&teacher)).await;
    assert_eq!(status, 200);
    assert!(home.contains("Ingen e-mail – ring"), "{home}");
    assert!(home.contains("href=\"tel:+4512345678\""));
    assert!(home.contains("Har fået en plads fra ventelisten"));
    assert!(
        home.contains("Står på venteliste"),
        "the sign-up itself is news too"
    );
    // So does the run's list, where he has no e-mail to show.
    let (_, _, list) = get_page(app, &page, Some(&cookie)).await;
    assert!(list.contains("Ingen e-mail – ring (2)"), "{list}");
    assert!(list.contains("E-mail til Poul"));

    // Nothing was queued as mail for him: every row about him is a call.
    let rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(poul.id))
        .order_by_asc(outbox_message::Column::Id)
        .rows(&app.db)
        .await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.status == "call" && r.recipient.is_empty())
    );
    // The others' mail arrives (five confirmations and one afbud), and nothing else.
    received(&sink, before + 6).await;
    tokio::time::sleep(StdDuration::from_millis(1000)).await;
    let mails = sink.received();
    let ours = recipients(&mails[before..]);
    assert_eq!(ours.len(), 6, "{ours:?}");
    assert!(
        ours.iter()
            .all(|to| to.starts_with('d') && to.ends_with("@example.dk"))
    );

    // A call marked made leaves the lists.
    let first_call = rows[0].id.to_string();
    let done = app
        .post_form(
            "/api/personale_ringet_op",
            &[("call_id", first_call.as_str()), ("from", "forside")],
            Some(&teacher),
        )
        .await;
    assert_eq!(done.location, "/personale#ring");
    let (_, _, list) = get_page(app, &page, Some(&cookie)).await;
    assert!(list.contains("Ingen e-mail – ring (1)"));
    assert!(!list.contains("Står på venteliste"));

    // Given an e-mail later, he gets the normal mails, starting with his seat.
    let bad = app
        .post_form(
            "/api/personale_tilfoej_email",
            &[
                ("booking_id", poul.id.to_string().as_str()),
                ("email", "ikke en mail"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(bad.location.contains("fejl=email"), "{}", bad.location);
    let taken = app
        .post_form(
            "/api/personale_tilfoej_email",
            &[
                ("booking_id", poul.id.to_string().as_str()),
                ("email", "D2@example.dk"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(
        taken.location.contains("fejl=email-findes"),
        "{}",
        taken.location
    );
    let given = app
        .post_form(
            "/api/personale_tilfoej_email",
            &[
                ("booking_id", poul.id.to_string().as_str()),
                ("email", "poul@example.dk"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        given.location,
        format!("{page}?besked=email#person-{}", poul.id)
    );
    let mails = received(&sink, before + 7).await;
    assert_eq!(mails[before + 6].to, vec!["poul@example.dk".to_string()]);
    let confirmation = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(poul.id))
        .filter(outbox_message::Column::Kind.eq("booking_confirmed"))
        .filter(outbox_message::Column::Status.ne("call"))
        .found(&app.db, "the seat's confirmation, as mail")
        .await;
    assert_eq!(confirmation.recipient, "poul@example.dk");
    let (_, _, list) = get_page(app, &page, Some(&cookie)).await;
    assert!(
        !list.contains("Ingen e-mail – ring"),
        "no calls left for someone with e-mail"
    );
    owned.stop().await;
}

both_backends!(a_person_without_e_mail_is_called_instead, threads = 2);
