//! The rush: 500 people sign up for a run with 20 seats at the same moment, over HTTP. Exactly
//! 20 get a seat, 480 wait in line with distinct consecutive places, nobody sees an error, and
//! every booking has its one message in the outbox. The integration tests check that on both
//! backends; `make bench` also reports how long it took.

use super::Found;
use super::header;
use std::time::{Duration, Instant};

use entity::{BookingStatus, booking, outbox_message};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Backend, RunSpec, make_run};

pub const PEOPLE: usize = 500;
pub const SEATS: i32 = 20;

/// The configuration the rush needs: enough connections, and no limit on one address.
pub fn rush_config(c: &mut server::config::Config) {
    c.max_db_connections = 20;
    c.rate_limits.signup_per_ip = 100_000;
}

/// Runs the rush on a fresh app, checks that it ended exact, and returns how long the 500
/// sign-ups took from the first request to the last answer.
pub async fn rush(backend: Backend) -> Duration {
    let app = super::spawn_app_configured(backend, true, rush_config).await;
    let elapsed = rush_on(&[&app]).await;
    app.stop().await;
    elapsed
}

/// Runs the rush over `apps` (instances on one database, taking turns request by request) and
/// checks that it ended exact.
pub async fn rush_on(apps: &[&super::TestApp]) -> Duration {
    let app = apps[0];
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: SEATS,
            ..RunSpec::default()
        },
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(PEOPLE)
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("client");

    let started = Instant::now();
    let tasks: Vec<_> = (0..PEOPLE)
        .map(|i| {
            let client = client.clone();
            let url = format!("{}/api/tilmeld", apps[i % apps.len()].base);
            let run_id = run.id.to_string();
            tokio::spawn(async move {
                let email = format!("person{i}@example.dk");
                let response = client
                    .post(url)
                    .header("accept", "text/html")
                    .form(&[
                        ("run", run_id.as_str()),
                        ("name", "Deltager"),
                        ("email", email.as_str()),
                        ("consent", "ja"),
                    ])
                    .send()
                    .await
                    .expect("response");
                let status = response.status().as_u16();
                let location = header(&response, "location");
                let body = response.text().await.unwrap_or_default();
                (status, location, body)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    let elapsed = started.elapsed();

    let server_errors = answers.iter().filter(|(s, _, _)| *s >= 500).count();
    let locked = answers
        .iter()
        .filter(|(_, _, body)| body.contains("locked"))
        .count();
    let to_receipt = answers
        .iter()
        .filter(|(s, l, _)| *s == 302 && l.ends_with("/tilmelding/modtaget"))
        .count();
    assert_eq!(server_errors, 0, "no 5xx");
    assert_eq!(locked, 0, "no 'database is locked' reaches a person");
    let elsewhere: Vec<&String> = answers
        .iter()
        .filter(|(_, l, _)| !l.ends_with("/tilmelding/modtaget"))
        .map(|(_, l, _)| l)
        .take(5)
        .collect();
    assert_eq!(
        to_receipt, PEOPLE,
        "everyone lands on their confirmation; some went to {elsewhere:?}"
    );

    let bookings = booking::Entity::find()
        .filter(booking::Column::RunId.eq(run.id))
        .rows(&app.db)
        .await;
    assert_eq!(bookings.len(), PEOPLE);
    let confirmed = bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Confirmed)
        .count();
    assert_eq!(confirmed, SEATS as usize, "exactly the seats");
    let mut queue: Vec<i32> = bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Waitlisted)
        .map(|b| b.queue_no.expect("queue number"))
        .collect();
    queue.sort_unstable();
    let expected: Vec<i32> = (1..=(PEOPLE as i32 - SEATS)).collect();
    assert_eq!(queue, expected, "distinct, consecutive places in line");

    let messages = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .rows(&app.db)
        .await;
    assert_eq!(messages.len(), PEOPLE, "one message per booking");
    let mut per_booking: Vec<i32> = messages.iter().filter_map(|m| m.booking_id).collect();
    per_booking.sort_unstable();
    per_booking.dedup();
    assert_eq!(per_booking.len(), PEOPLE);
    elapsed
}
