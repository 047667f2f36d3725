//! Webhooks against a real HTTP receiver on loopback, on SQLite and PostgreSQL: every event is
//! delivered, signed with HMAC-SHA256 over the timestamp and body, with no personal data;
//! a 500 is retried until it succeeds; a receiver that keeps failing gets its webhook switched
//! off with an e-mail to the koordinatorer, and nothing is lost; and deliveries survive the
//! worker dying mid-way (a server restart).

use crate::common;
use crate::common::Found;

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::time::Duration as StdDuration;

use crate::common::staff::{COORDINATOR, school_id, sign_in};
use crate::common::{Backend, RunSpec, TestApp, make_run};
use app::services::booking::{self as bookings, Actor};
use app::services::outbox::Backoff;
use app::services::webhooks::{self, Event};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{Duration, Utc};
use entity::{outbox_message, webhook};
use hmac::{Hmac, Mac};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use tokio::sync::Mutex;

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Got {
    event: String,
    delivery: String,
    signature: String,
    body: String,
}

/// A webhook receiver: records every request and answers with `status`, except that the first
/// `fail_first` requests get 500; each answer waits `delay_ms`.
#[derive(Default)]
struct Receiver {
    got: Mutex<Vec<Got>>,
    status: AtomicU16,
    fail_first: AtomicU32,
    delay_ms: AtomicU64,
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let text = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    r.got.lock().await.push(Got {
        event: text("skolebaenk-event"),
        delivery: text("skolebaenk-delivery"),
        signature: text("skolebaenk-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    tokio::time::sleep(StdDuration::from_millis(r.delay_ms.load(Ordering::SeqCst))).await;
    if r.fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::from_u16(r.status.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK)
}

async fn start_receiver() -> (Arc<Receiver>, String) {
    let r = Arc::new(Receiver::default());
    r.status.store(200, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (r, url)
}

fn worker(app: &TestApp, disable_after: u32) -> server::webhooks::Worker {
    let config = server::config::WebhookConfig {
        backoff: Backoff {
            steps: vec![Duration::milliseconds(300)],
            give_up_after: Duration::hours(1),
        },
        disable_after,
        timeout: StdDuration::from_secs(5),
        allow_private: true,
    };
    let mut w =
        server::webhooks::Worker::new(app.db.clone(), &config, StdDuration::from_millis(50));
    w.lease = Duration::seconds(2);
    w
}

async fn hook_for(app: &TestApp, url: &str, events: &[Event]) -> webhook::Model {
    let randers = school_id(app, "randers").await;
    webhooks::create(&app.db, randers, url, events, 1, Utc::now())
        .await
        .expect("webhook")
}

/// Waits until `done` holds for what the receiver got, up to `secs` seconds.
async fn wait_for(r: &Receiver, secs: u64, done: impl Fn(&[Got]) -> bool) -> Vec<Got> {
    for _ in 0..secs * 20 {
        let got = r.got.lock().await.clone();
        if done(&got) {
            return got;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let got = r.got.lock().await.clone();
    panic!("the receiver did not get what was expected in {secs} s: {got:#?}");
}

fn verifies(secret: &str, got: &Got) -> bool {
    let Some((t, v1)) = got.signature.split_once(",v1=") else {
        return false;
    };
    let Some(t) = t.strip_prefix("t=") else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(format!("{t}.{}", got.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let fresh = t
        .parse::<i64>()
        .is_ok_and(|t| (Utc::now().timestamp() - t).abs() < 300);
    expected == v1 && fresh
}

async fn api_sign_up(app: &TestApp, run_id: i32, name: &str, email: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/runs/{run_id}/bookings", app.base))
        .json(&serde_json::json!({ "name": name, "email": email, "consent": true }))
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

both_backends!(
    every_event_is_delivered_signed_and_without_personal_data,
    |app| {
        let (r, url) = start_receiver().await;
        let hook = hook_for(app, &url, &Event::ALL).await;
        let w = worker(app, 10).spawn();
        let t = make_run(
            &app.db,
            RunSpec {
                capacity: 1,
                sessions: 2,
                ..RunSpec::default()
            },
        )
        .await;

        assert_eq!(
            api_sign_up(app, t.id, "Mette Hansen", "mette@example.org").await,
            202
        );
        let second = app.sign_up(t.id, "Jonas Berg", "jonas@example.org").await;
        let first = entity::booking::Entity::find()
            .filter(entity::booking::Column::EmailKey.eq("mette@example.org"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("booking");
        bookings::cancel(&app.db, first.id, &Actor::Staff, Utc::now())
            .await
            .expect("cancel");
        let later = Utc::now() + Duration::days(20);
        bookings::move_session(
            &app.db,
            t.sessions[1],
            later,
            later + Duration::hours(2),
            None,
            "",
            Utc::now(),
        )
        .await
        .expect("move");
        app::services::evaluation::save(&app.db, t.id, "paper", &[])
            .await
            .expect("evaluation");
        bookings::cancel_run(&app.db, t.id, "", Utc::now())
            .await
            .expect("cancel run");

        let got = wait_for(&r, 15, |g| g.len() >= 8).await;
        let events: Vec<&str> = got.iter().map(|g| g.event.as_str()).collect();
        assert_eq!(
            events,
            [
                "booking.created",
                "run.full",
                "booking.created",
                "booking.cancelled",
                "booking.promoted",
                "session.moved",
                "evaluation.submitted",
                "run.cancelled"
            ],
        );
        for g in &got {
            assert!(verifies(&hook.secret, g), "signature of {}", g.event);
            assert!(
                !verifies("whsec_another", g),
                "another secret does not verify"
            );
            let body: Value = serde_json::from_str(&g.body).expect("JSON body");
            assert_eq!(body["type"], g.event.as_str());
            assert_eq!(body["id"], g.delivery.as_str());
            assert_eq!(body["school"], "randers");
            assert_eq!(body["data"]["run_id"].as_i64(), Some(i64::from(t.id)));
            for personal in ["Mette", "Jonas", "example.org", "Hansen"] {
                assert!(
                    !g.body.contains(personal),
                    "{} carries {personal}: {}",
                    g.event,
                    g.body
                );
            }
        }
        let promoted: Value = serde_json::from_str(&got[4].body).expect("json");
        assert_eq!(
            promoted["data"]["booking_id"].as_i64(),
            Some(i64::from(second))
        );
        // A webhook that did not ask for an event is not told.
        let (r2, url2) = start_receiver().await;
        hook_for(app, &url2, &[Event::RunFull]).await;
        let t2 = make_run(
            &app.db,
            RunSpec {
                capacity: 2,
                ..RunSpec::default()
            },
        )
        .await;
        api_sign_up(app, t2.id, "A", "a@example.org").await;
        api_sign_up(app, t2.id, "B", "b@example.org").await;
        let got2 = wait_for(&r2, 10, |g| !g.is_empty()).await;
        tokio::time::sleep(StdDuration::from_millis(500)).await;
        assert_eq!(r2.got.lock().await.len(), 1);
        assert_eq!(got2[0].event, "run.full");
        w.abort();
    }
);

both_backends!(a_failed_delivery_is_retried_until_it_succeeds, |app| {
    let (r, url) = start_receiver().await;
    r.fail_first.store(2, Ordering::SeqCst);
    let hook = hook_for(app, &url, &[Event::BookingCreated]).await;
    let w = worker(app, 10).spawn();
    let t = make_run(&app.db, RunSpec::default()).await;
    assert_eq!(
        api_sign_up(app, t.id, "Mette", "mette@example.org").await,
        202
    );
    let got = wait_for(&r, 15, |g| g.len() >= 3).await;
    assert!(
        got.iter().all(|g| g.delivery == got[0].delivery),
        "the same delivery each time"
    );
    assert!(got.iter().all(|g| verifies(&hook.secret, g)));
    // Recorded as sent after the third attempt, and the webhook's failures are forgotten.
    let mut sent = None;
    for _ in 0..40 {
        let row = outbox_message::Entity::find()
            .filter(outbox_message::Column::Kind.eq("webhook"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("row");
        if row.status == "sent" {
            sent = Some(row);
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    let row = sent.expect("the delivery is recorded as sent");
    assert_eq!(row.attempts, 3);
    let h = webhook::Entity::find_by_id(hook.id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("hook");
    assert_eq!(h.failures_in_row, 0);
    assert!(h.last_success_at.is_some() && h.active);
    w.abort();
});

both_backends!(
    a_receiver_that_keeps_failing_is_switched_off_and_nothing_is_lost,
    |app| {
        let (r, url) = start_receiver().await;
        r.status.store(500, Ordering::SeqCst);
        let hook = hook_for(app, &url, &[Event::BookingCreated]).await;
        let w = worker(app, 3).spawn();
        let t = make_run(&app.db, RunSpec::default()).await;
        assert_eq!(
            api_sign_up(app, t.id, "Mette", "mette@example.org").await,
            202
        );
        let mut off = None;
        for _ in 0..100 {
            let h = webhook::Entity::find_by_id(hook.id)
                .one(&app.db)
                .await
                .expect("q")
                .expect("hook");
            if !h.active {
                off = Some(h);
                break;
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        let off = off.expect("switched off after three failures in a row");
        assert!(off.disabled_at.is_some() && off.failures_in_row >= 3);
        assert_eq!(
            r.got.lock().await.len(),
            3,
            "no more attempts once switched off"
        );
        // The school's koordinator is told by e-mail.
        let notice = outbox_message::Entity::find()
            .filter(outbox_message::Column::Kind.eq("webhook_disabled"))
            .rows(&app.db)
            .await;
        assert_eq!(notice.len(), 1);
        assert_eq!(notice[0].recipient, COORDINATOR.0);
        // More events wait rather than vanish.
        assert_eq!(
            api_sign_up(app, t.id, "Jonas", "jonas@example.org").await,
            202
        );
        tokio::time::sleep(StdDuration::from_millis(600)).await;
        let waiting = outbox_message::Entity::find()
            .filter(outbox_message::Column::Kind.eq("webhook"))
            .rows(&app.db)
            .await;
        assert_eq!(waiting.len(), 2);
        assert!(
            waiting
                .iter()
                .all(|m| m.status == "pending" || m.status == "sending"),
            "{waiting:?}"
        );

        // The receiver is fixed; the koordinator switches the webhook on, and both arrive.
        r.status.store(200, Ordering::SeqCst);
        let cookie = sign_in(app, COORDINATOR).await;
        let posted = app
            .post_form(
                "/api/integrationer_webhook_til",
                &[
                    ("school", &off.school_id.to_string()),
                    ("hook", &off.id.to_string()),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(posted.status, 302);
        let got = wait_for(&r, 15, |g| {
            let ok: std::collections::HashSet<&str> =
                g.iter().skip(3).map(|x| x.delivery.as_str()).collect();
            ok.len() >= 2
        })
        .await;
        assert!(got.iter().all(|g| verifies(&hook.secret, g)));
        let (status, page) = app
            .get_with_cookie("/personale/integrationer", Some(&cookie))
            .await;
        assert_eq!(status, 200);
        assert!(
            page.contains(&url) && page.contains("Leveret"),
            "the page shows the deliveries"
        );
        w.abort();
    }
);

/// Deliveries queued while a worker dies mid-way (as when the server is killed) all arrive
/// once a new worker runs: none is lost.
async fn survives_a_restart(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let (r, url) = start_receiver().await;
    r.delay_ms.store(300, Ordering::SeqCst);
    hook_for(&app, &url, &[Event::BookingCreated]).await;
    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 20,
            ..RunSpec::default()
        },
    )
    .await;
    for i in 0..8 {
        assert_eq!(
            api_sign_up(&app, t.id, "P", &format!("p{i}@example.org")).await,
            202
        );
    }
    let queued: std::collections::HashSet<String> = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("webhook"))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|m| {
            m.message_id
                .trim_start_matches('<')
                .split('@')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(queued.len(), 8);
    let first = worker(&app, 10).spawn();
    wait_for(&r, 15, |g| g.len() >= 2).await;
    first.abort();
    let _ = first.await;
    let before = r.got.lock().await.len();
    assert!(before < 8, "the worker died mid-way ({before} delivered)");
    let second = worker(&app, 10).spawn();
    let got = wait_for(&r, 20, |g| {
        let seen: std::collections::HashSet<&str> = g.iter().map(|x| x.delivery.as_str()).collect();
        queued.iter().all(|q| seen.contains(q.as_str()))
    })
    .await;
    println!(
        "webhook restart {backend:?}: {before} before the restart, {} requests in all for 8 deliveries",
        got.len()
    );
    second.abort();
    app.stop().await;
}

both_backends!(survives_a_restart);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_never_reach_inside_addresses() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app =
            common::spawn_app_configured(backend, true, |c| c.webhooks.allow_private = false).await;
        // The form refuses an inside address, by number or by a name that leads inside, and
        // says no more than that.
        let cookie = sign_in(&app, COORDINATOR).await;
        let randers = school_id(&app, "randers").await.to_string();
        for url in [
            "https://10.0.0.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/hook",
            "https://localhost/hook",
        ] {
            let posted = app
                .post_form(
                    "/api/integrationer_ny_webhook",
                    &[
                        ("school", randers.as_str()),
                        ("url", url),
                        ("events[e0]", "ja"),
                    ],
                    Some(&cookie),
                )
                .await;
            assert!(
                posted.location.contains("fejl=intern"),
                "{backend:?} {url}: {}",
                posted.location
            );
        }
        assert!(
            webhook::Entity::find()
                .all(&app.db)
                .await
                .expect("q")
                .is_empty()
        );

        // A webhook stored anyway (or whose name points inside later) is never connected to.
        let (r, url) = start_receiver().await;
        let by_name = url.replace("127.0.0.1", "localhost");
        hook_for(&app, &url, &[Event::BookingCreated]).await;
        hook_for(&app, &by_name, &[Event::BookingCreated]).await;
        let mut config = server::config::WebhookConfig {
            backoff: Backoff {
                steps: vec![Duration::hours(1)],
                give_up_after: Duration::hours(2),
            },
            disable_after: 100,
            timeout: StdDuration::from_secs(5),
            allow_private: false,
        };
        let w =
            server::webhooks::Worker::new(app.db.clone(), &config, StdDuration::from_millis(50));
        let t = make_run(&app.db, RunSpec::default()).await;
        app.sign_up(t.id, "Mette", "mette@example.org").await;
        let round = w.run_once().await;
        assert_eq!((round.delivered, round.retried), (0, 2), "{backend:?}");
        assert!(
            r.got.lock().await.is_empty(),
            "nothing reached the receiver"
        );
        // The same receiver is reached when inside addresses are allowed (so the refusal
        // above is the address, not the receiver).
        config.allow_private = true;
        let open =
            server::webhooks::Worker::new(app.db.clone(), &config, StdDuration::from_millis(50));
        outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::NextAttemptAt,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::seconds(1)),
            )
            .exec(&app.db)
            .await
            .expect("due now");
        let round = open.run_once().await;
        assert_eq!(round.delivered, 2, "{backend:?}");
        app.stop().await;
    }
}
