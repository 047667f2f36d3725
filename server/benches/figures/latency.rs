//! How long a confirmation takes from sign-up to arrival at the mail server: 200 sign-ups through
//! the web form, one every 50 ms (people signing up on their own, though far more often than
//! real people do) and eight at a time back to back (a rush), with the mail worker sending over
//! SMTP to a sink on loopback. Prints the median and the worst case.

use std::time::{Duration, Instant};

use crate::common::{Backend, RunSpec, make_run, send_mail_to, spawn_app_configured};
use smtp_sink::Sink;

const SIGNUPS: usize = 200;

pub async fn measure(backend: Backend, at_a_time: usize) {
    let sink = Sink::start().await.expect("sink");
    let to_sink = send_mail_to(sink.addr());
    let app = spawn_app_configured(backend, true, move |c| {
        to_sink(c);
        c.rate_limits.signup_per_ip = 10_000;
        // The production default; the worker is also woken as soon as a sign-up commits.
        c.mail.poll = Duration::from_millis(500);
    })
    .await;
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: SIGNUPS as i32,
            ..RunSpec::default()
        },
    )
    .await;
    // Let the demo data's own reminders go out first.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let skip = sink.received().len();

    let mut started = Vec::with_capacity(SIGNUPS);
    for chunk in (0..SIGNUPS).collect::<Vec<_>>().chunks(at_a_time) {
        let batch = chunk.iter().map(|i| {
            let app = &app;
            async move {
                let t = Instant::now();
                let to = format!("latency{at_a_time}-{i}@example.dk");
                app.sign_up(run.id, "Deltager", &to).await;
                (to, t)
            }
        });
        started.extend(futures::future::join_all(batch).await);
        if at_a_time == 1 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let received = sink
        .wait_for(skip + SIGNUPS, Duration::from_secs(120))
        .await;
    let mut waits: Vec<Duration> = started
        .iter()
        .map(|(to, t)| {
            let arrived = received
                .iter()
                .skip(skip)
                .find(|r| r.to.iter().any(|x| x == to))
                .unwrap_or_else(|| panic!("no confirmation for {to}"));
            arrived.at.duration_since(*t)
        })
        .collect();
    waits.sort();
    let median = waits[waits.len() / 2];
    let worst = waits[waits.len() - 1];
    let name = format!("mail.{}.{at_a_time}_at_a_time", crate::label(backend));
    crate::record(&format!("{name}.p50"), median.as_secs_f64() * 1000.0, "ms");
    crate::record(&format!("{name}.worst"), worst.as_secs_f64() * 1000.0, "ms");
    println!(
        "mail latency {backend:?}: {SIGNUPS} sign-ups, {at_a_time} at a time: median {} ms, worst {} ms (sign-up sent to confirmation accepted by the mail server)",
        median.as_millis(),
        worst.as_millis()
    );
    app.stop().await;
}
