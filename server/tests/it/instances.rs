//! Several server instances on one database, as a region runs them behind a load balancer:
//! rate limits count every instance's attempts, a rush spread over two instances ends exact,
//! the timed jobs of two instances queue and send each reminder and evaluation invitation once,
//! and an instance stopped with SIGTERM in the middle of a rush loses nothing it accepted.

use crate::binary::{free_port, server, wait_healthy};
use crate::common::mail::WAIT;
use crate::common::rush::{rush_config, rush_on};
use crate::common::{
    Backend, Found, RunSpec, TestApp, fresh_database, make_run, send_mail_to, spawn_app_configured,
};
use app::services::booking::{self as bookings, Actor};
use chrono::{Duration, Utc};
use entity::{BookingStatus, booking, outbox_message, rate_count, session};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use smtp_sink::Sink;
use std::collections::{HashMap, HashSet};
use std::time::Duration as StdDuration;

/// Stops a server process with SIGTERM (it must stop cleanly), then drops its database.
async fn stop_and_drop(
    child: std::process::Child,
    db: sea_orm::DatabaseConnection,
    name: Option<String>,
) {
    let (status, log) = tokio::task::spawn_blocking(move || crate::binary::terminate(child))
        .await
        .expect("join");
    assert!(status.success(), "a clean stop: {log}");
    let _ = db.close().await;
    if let Some(name) = name {
        crate::common::drop_database(&name).await;
    }
}

fn sign_up_form(run: i32, i: usize) -> Vec<(&'static str, String)> {
    vec![
        ("run", run.to_string()),
        ("name", "Deltager".into()),
        ("email", format!("limit{i}@example.dk")),
        ("consent", "ja".into()),
    ]
}

async fn post_sign_up(app: &TestApp, run: i32, i: usize) -> String {
    let form = sign_up_form(run, i);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form("/api/tilmeld", &fields, None).await.location
}

async fn rate_limits_hold_across_instances(backend: Backend) {
    let first = spawn_app_configured(backend, true, |c| {
        c.rate_limits.signup_per_ip = 3;
    })
    .await;
    let second = first.second_instance().await;
    let run = make_run(
        &first.db,
        RunSpec {
            capacity: 10,
            ..RunSpec::default()
        },
    )
    .await;
    // Turn by turn over the two instances: the fourth attempt from this address is one too many,
    // although each instance has seen only two.
    let mut answers = Vec::new();
    for i in 0..4 {
        let app = if i % 2 == 0 { &first } else { &second };
        answers.push(post_sign_up(app, run.id, i).await);
    }
    for answer in &answers[..3] {
        assert!(answer.ends_with("/tilmelding/modtaget"), "{answer}");
    }
    assert!(answers[3].ends_with("#tilmeld-fejl"), "{}", answers[3]);
    let booked = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run.id))
        .counted(&first.db)
        .await;
    assert_eq!(booked, 3);

    // What is stored names no address and no e-mail.
    let counts = rate_count::Entity::find().rows(&first.db).await;
    assert!(!counts.is_empty());
    for row in &counts {
        assert_eq!(row.key_hash.len(), 64);
        assert!(row.key_hash.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!row.key_hash.contains("example") && !row.key_hash.contains("127.0.0.1"));
    }
    let per_ip = counts
        .iter()
        .find(|r| r.kind == "signup_ip")
        .expect("the address is counted");
    assert_eq!(per_ip.count, 4);

    // Once the window has passed the counts are deleted, and the address may sign up again.
    let after = Utc::now() + Duration::seconds(3601);
    let gone = app::services::rate_limit::purge(&first.db, &first.config.rate_limits, after)
        .await
        .expect("purge");
    assert_eq!(gone as usize, counts.len());
    assert!(
        post_sign_up(&second, run.id, 4)
            .await
            .ends_with("/tilmelding/modtaget")
    );
    second.stop().await;
    first.stop().await;
}

both_backends!(rate_limits_hold_across_instances);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rush_spread_over_two_instances_ends_exact() {
    let first = spawn_app_configured(Backend::Postgres, true, rush_config).await;
    let second = first.second_instance().await;
    rush_on(&[&first, &second]).await;
    second.stop().await;
    first.stop().await;
}

/// Moves a session to start `from_now` and last three hours.
async fn move_session_to(app: &TestApp, id: i32, from_now: Duration) {
    let mut s = session::Entity::find_by_id(id)
        .found(&app.db, "session")
        .await
        .into_active_model();
    let starts = Utc::now() + from_now;
    s.starts_at = Set(starts);
    s.ends_at = Set(starts + Duration::hours(3));
    s.update(&app.db).await.expect("move session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_jobs_of_two_instances_send_each_reminder_and_invitation_once() {
    let sink = Sink::start().await.expect("sink");
    let to_sink = send_mail_to(sink.addr());
    let first = spawn_app_configured(Backend::Postgres, true, move |c| {
        to_sink(c);
        c.rate_limits.signup_per_ip = 1000;
    })
    .await;
    let second = first.second_instance().await;
    // The demo data's own reminders and invitations first, so what follows is these runs'.
    server::jobs::run_once(&first.db, &first.config).await;

    let spec = RunSpec {
        capacity: 10,
        ..RunSpec::default()
    };
    let soon = make_run(&first.db, spec).await;
    let ended = make_run(&first.db, spec).await;
    let mut people = Vec::new();
    for i in 0..6 {
        let email = format!("soon{i}@example.dk");
        let id = first.sign_up(soon.id, "Deltager", &email).await;
        people.push(id);
        let email = format!("ended{i}@example.dk");
        let id = second.sign_up(ended.id, "Deltager", &email).await;
        people.push(id);
    }
    // One run is near (its reminder is due), the other is over (its invitation is due).
    move_session_to(&first, soon.sessions[0], Duration::hours(30)).await;
    move_session_to(&first, ended.sessions[0], Duration::hours(-30)).await;
    let a_cancelled = people[0];
    bookings::cancel(&first.db, a_cancelled, &Actor::Staff, Utc::now())
        .await
        .expect("cancel");

    // Both instances run their jobs at the same moment, several times over.
    for _ in 0..3 {
        tokio::join!(
            server::jobs::run_once(&first.db, &first.config),
            server::jobs::run_once(&second.db, &second.config),
        );
    }
    let ours: HashSet<i32> = people.iter().copied().collect();
    let timed = ["reminder", "evaluation_invitation"];
    let deadline = tokio::time::Instant::now() + WAIT;
    let rows = loop {
        let rows: Vec<outbox_message::Model> = outbox_message::Entity::find()
            .filter(outbox_message::Column::Kind.is_in(timed))
            .rows(&first.db)
            .await
            .into_iter()
            .filter(|r| r.booking_id.is_some_and(|b| ours.contains(&b)))
            .collect();
        if rows.iter().all(|r| r.status == "sent") || tokio::time::Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    };
    let mut per: HashMap<(i32, String), usize> = HashMap::new();
    for r in &rows {
        assert_eq!(r.status, "sent", "{r:?}");
        *per.entry((r.booking_id.expect("booking"), r.kind.clone()))
            .or_default() += 1;
    }
    // Five reminders (the cancelled person gets none) and six invitations, once each.
    let reminders = per.keys().filter(|(_, k)| k == "reminder").count();
    let invitations = per
        .keys()
        .filter(|(_, k)| k == "evaluation_invitation")
        .count();
    assert_eq!((reminders, invitations), (5, 6), "{per:?}");
    assert!(per.values().all(|n| *n == 1), "queued once each: {per:?}");
    // And each went through the mail server once.
    tokio::time::sleep(StdDuration::from_secs(1)).await;
    let ids: Vec<String> = sink
        .received()
        .iter()
        .map(|r| crate::common::mail::read(r).message_id)
        .collect();
    for r in &rows {
        let id = r.message_id.trim_matches(['<', '>']);
        let sent = ids
            .iter()
            .filter(|m| m.trim_matches(['<', '>']) == id)
            .count();
        assert_eq!(sent, 1, "{} sent {sent} times", r.message_id);
    }
    second.stop().await;
    first.stop().await;
}

/// Two server processes on one PostgreSQL database; one gets SIGTERM while 300 sign-ups go to
/// both. Every sign-up either instance answered is stored whole (booking, place, message), and
/// the run's seats and places in line are still exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_in_a_rush_loses_nothing_accepted() {
    let (url, _, name) = fresh_database(Backend::Postgres).await;
    let ports = [free_port(), free_port()];
    let start = |port: u16| {
        server()
            .env("SKOLEBAENK_DATABASE_URL", &url)
            .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
            .env("SKOLEBAENK_RATE_LIMITS", "100000,100,1000,100")
            .env("SKOLEBAENK_MAX_DB_CONNECTIONS", "10")
            .env("SKOLEBAENK_LOG", "warn")
            .spawn()
            .expect("start")
    };
    let staying = start(ports[0]);
    let stopping = start(ports[1]);
    wait_healthy(ports[0]).await;
    wait_healthy(ports[1]).await;
    let db = sea_orm::Database::connect(&url).await.expect("db");
    let run = make_run(
        &db,
        RunSpec {
            capacity: 20,
            ..RunSpec::default()
        },
    )
    .await;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(StdDuration::from_secs(60))
        .build()
        .expect("client");
    const PEOPLE: usize = 300;
    let tasks: Vec<_> = (0..PEOPLE)
        .map(|i| {
            let client = client.clone();
            let base = format!("http://127.0.0.1:{}", ports[i % 2]);
            let form = sign_up_form(run.id, i);
            tokio::spawn(async move {
                // Spread over a second and a half, so SIGTERM lands in the middle.
                tokio::time::sleep(StdDuration::from_millis(5 * i as u64)).await;
                let answer = client
                    .post(format!("{base}/api/tilmeld"))
                    .header("accept", "text/html")
                    .form(&form)
                    .send()
                    .await;
                let accepted = answer.is_ok_and(|r| {
                    r.status().as_u16() == 302
                        && r.headers()
                            .get("location")
                            .and_then(|l| l.to_str().ok())
                            .is_some_and(|l| l.ends_with("/tilmelding/modtaget"))
                });
                (i, accepted)
            })
        })
        .collect();
    tokio::time::sleep(StdDuration::from_millis(700)).await;
    let (status, log) = tokio::task::spawn_blocking(move || crate::binary::terminate(stopping))
        .await
        .expect("join");
    assert!(status.success(), "a clean stop: {log}");
    let mut accepted = HashSet::new();
    let mut refused = 0;
    for task in tasks {
        let (i, ok) = task.await.expect("task");
        if ok {
            accepted.insert(format!("limit{i}@example.dk"));
        } else {
            refused += 1;
        }
    }
    assert!(refused > 0, "SIGTERM landed before the rush ended");
    assert!(accepted.len() > 150, "the other instance went on serving");

    let bookings = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run.id))
        .rows(&db)
        .await;
    let stored: HashSet<String> = bookings.iter().map(|b| b.email.clone()).collect();
    let lost: Vec<&String> = accepted.difference(&stored).collect();
    assert!(lost.is_empty(), "accepted but not stored: {lost:?}");
    // Nothing half-stored: seats and places are exact, and each booking has its message.
    let confirmed = bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Confirmed)
        .count();
    assert_eq!(confirmed, 20.min(bookings.len()));
    let mut places: Vec<i32> = bookings.iter().filter_map(|b| b.queue_no).collect();
    places.sort_unstable();
    assert_eq!(places, (1..=places.len() as i32).collect::<Vec<_>>());
    let messages = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .counted(&db)
        .await;
    assert_eq!(messages as usize, bookings.len(), "one message per booking");

    stop_and_drop(staying, db, name).await;
}

/// A message queued by one instance wakes the mail worker of another at once, although that
/// worker polls only once a minute: PostgreSQL's NOTIFY reaches every instance listening.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_queued_anywhere_wakes_every_instance_at_once() {
    use app::services::outbox::{self, Kind, Message};
    let (url, _, name) = fresh_database(Backend::Postgres).await;
    let sink = Sink::start().await.expect("sink");
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_MAIL_BACKEND", "smtp")
        .env("SKOLEBAENK_SMTP_HOST", "127.0.0.1")
        .env("SKOLEBAENK_SMTP_PORT", sink.addr().port().to_string())
        .env("SKOLEBAENK_SMTP_TLS", "none")
        .env("SKOLEBAENK_MAIL_POLL_MS", "60000")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let db = sea_orm::Database::connect(&url).await.expect("db");
    // The demo's mail goes in the worker's first round; then it waits.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.is_in(["pending", "sending"]))
        .rows(&db)
        .await
        .is_empty()
    {
        assert!(tokio::time::Instant::now() < deadline, "the demo mail went");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    tokio::time::sleep(StdDuration::from_millis(500)).await;

    // This process is the other instance: it queues and has no worker of its own.
    let now = Utc::now();
    app::services::transaction::write(&db, |txn| async move {
        outbox::enqueue(
            &txn,
            Message {
                kind: Kind::StaffReset,
                recipient: "vaek@example.dk",
                locale: "da",
                booking_id: None,
                payload: serde_json::json!({ "email": "vaek@example.dk" }),
            },
            now,
        )
        .await
    })
    .await
    .expect("queue");
    let queued = std::time::Instant::now();
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(10);
    let row = loop {
        let row = outbox_message::Entity::find()
            .filter(outbox_message::Column::Recipient.eq("vaek@example.dk"))
            .found(&db, "the queued message")
            .await;
        if row.status != "pending" && row.status != "sending" {
            break row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not handled in 10 s: the other instance was not woken"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    };
    let took = queued.elapsed();
    assert!(
        took < StdDuration::from_secs(5),
        "woken at once, not at the poll: {took:?}"
    );
    assert_ne!(row.status, "failed", "{row:?}");
    assert_eq!(row.attempts, 1, "{row:?}");

    stop_and_drop(child, db, name).await;
}
