//! How fast the report page answers on a large network: 10 schools × 5 years of generated data
//! (4,000 runs, 8,000 sessions, 40,000 bookings, 80,000 attendance marks, 12,000 evaluations).
//! Prints the median and the slowest of 20 requests per case. The aim is under 300 ms.

use crate::common::Found;
use std::time::{Duration, Instant};

use crate::common::staff::*;
use crate::common::{Backend, TestApp};
use chrono::{Datelike, NaiveDate, Utc};
use entity::{
    AttendanceStatus, Audience, BookingStatus, CourseFormat, CourseStatus, Perspective, RunStatus,
    WaitlistMode, attendance, booking, course, evaluation_answer, evaluation_question,
    evaluation_response, run, school, session,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

const SCHOOLS: usize = 10;
const YEARS: i32 = 5;
const RUNS_PER_YEAR: usize = 80;
const SEATS: usize = 10;
const RESPONSES: usize = 3;
const BASE: i32 = 1_000_000;

async fn insert_chunks<A, E>(app: &TestApp, rows: Vec<A>)
where
    A: ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(800));
        let chunk = std::mem::replace(&mut rows, rest);
        E::insert_many(chunk)
            .exec_without_returning(&app.db)
            .await
            .expect("insert");
    }
}

/// Generates the network; returns the number of attendance marks.
async fn generate(app: &TestApp) -> usize {
    let now = Utc::now();
    let mut schools: Vec<i32> = school::Entity::find()
        .rows(&app.db)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect();
    for n in schools.len()..SCHOOLS {
        let s = school::ActiveModel {
            slug: Set(format!("skole-{n}")),
            name: Set(format!("Recovery-skolen {n}")),
            street: Set("Skolegade 1".into()),
            postal_code: Set("8000".into()),
            city: Set("Aarhus".into()),
            email: Set(format!("skole{n}@example.org")),
            phone: Set("70 00 00 00".into()),
            intro: Set(String::new()),
            opening_hours: Set(String::new()),
            reminder_lead_hours: Set(48),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("school");
        schools.push(s.id);
    }
    let mut courses = Vec::new();
    for (si, s) in schools.iter().enumerate() {
        for c in 0..5 {
            let m = course::ActiveModel {
                slug: Set(format!("maaling-{si}-{c}")),
                school_id: Set(*s),
                title: Set(format!("Kursus {c} på skole {si}")),
                summary: Set("Et kursus til målingen.".into()),
                description: Set("Tekst.".into()),
                expectations: Set("Tekst.".into()),
                format: Set(CourseFormat::Course),
                audience: Set(Audience::Everyone),
                status: Set(CourseStatus::Published),
                image_id: Set(None),
                image_alt: Set(String::new()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .expect("course");
            courses.push((*s, m.id));
        }
    }
    let questions: Vec<i32> = evaluation_question::Entity::find()
        .filter(evaluation_question::Column::Kind.eq("likert"))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|q| q.id)
        .collect();
    let (mut runs, mut sessions, mut bookings, mut marks) = (vec![], vec![], vec![], vec![]);
    let (mut responses, mut answers) = (vec![], vec![]);
    let first_year = now.year() - YEARS + 1;
    let mut run_id = BASE;
    let mut session_id = BASE;
    let mut booking_id = BASE;
    for (si, s) in schools.iter().enumerate() {
        for y in 0..YEARS {
            for n in 0..RUNS_PER_YEAR {
                run_id += 1;
                let course = courses[si * 5 + n % 5].1;
                let day = NaiveDate::from_ymd_opt(first_year + y, 1, 5).expect("date")
                    + chrono::Duration::days((n * 4) as i64);
                let starts = day.and_hms_opt(16, 0, 0).expect("time").and_utc();
                runs.push(run::ActiveModel {
                    id: Set(run_id),
                    course_id: Set(course),
                    school_id: Set(*s),
                    location_id: Set(None),
                    capacity: Set(Some(SEATS as i32)),
                    waitlist_enabled: Set(true),
                    signup_opens_at: Set(None),
                    signup_closes_at: Set(None),
                    waitlist_mode: Set(WaitlistMode::Automatic),
                    offer_hours: Set(24),
                    cancel_deadline_hours: Set(24),
                    booking_rev: Set(0),
                    status: Set(RunStatus::Published),
                    note: Set(String::new()),
                    reminder_lead_hours: Set(None),
                    created_at: Set(now),
                    anonymised_at: Set(None),
                });
                let mut ids = Vec::new();
                for w in 0..2 {
                    session_id += 1;
                    let at = starts + chrono::Duration::weeks(w);
                    sessions.push(session::ActiveModel {
                        id: Set(session_id),
                        run_id: Set(run_id),
                        starts_at: Set(at),
                        ends_at: Set(at + chrono::Duration::hours(3)),
                        location_id: Set(None),
                        online_url: Set(None),
                        cancelled: Set(false),
                        sequence: Set(0),
                    });
                    ids.push((session_id, at));
                }
                for b in 0..SEATS {
                    booking_id += 1;
                    let person = (si * 7919 + y as usize * 131 + n * 17 + b) % 3000;
                    let email = format!("p{si}-{person}@example.org");
                    bookings.push(booking::ActiveModel {
                        id: Set(booking_id),
                        run_id: Set(run_id),
                        name: Set("Deltager".into()),
                        email: Set(email.clone()),
                        email_key: Set(email),
                        phone: Set(None),
                        perspective: Set([
                            Some(Perspective::OwnExperience),
                            Some(Perspective::Relative),
                            Some(Perspective::Professional),
                            None,
                        ][b % 4]),
                        municipality: Set(Some(["Aarhus", "Randers", "Viborg"][b % 3].into())),
                        needs: Set(String::new()),
                        status: Set(BookingStatus::Confirmed),
                        queue_no: Set(None),
                        offer_expires_at: Set(None),
                        consent_version: Set("maaling".into()),
                        consent_at: Set(None),
                        booked_by_name: Set(None),
                        booked_by_email: Set(None),
                        source: Set("web".into()),
                        locale: Set("da".into()),
                        receipt_hash: Set(None),
                        created_at: Set(starts - chrono::Duration::days(10)),
                        updated_at: Set(None),
                        cancelled_at: Set(None),
                        calendar_seq: Set(0),
                        reminder_for: Set(None),
                        rsvp: Set(None),
                        rsvp_at: Set(None),
                        evaluation_invited_at: Set(None),
                        evaluation_reminded_at: Set(None),
                    });
                    for (sid, at) in &ids {
                        if *at > now {
                            continue;
                        }
                        marks.push(attendance::ActiveModel {
                            session_id: Set(*sid),
                            booking_id: Set(booking_id),
                            status: Set(match (b + n) % 9 {
                                0 => AttendanceStatus::Absent,
                                4 => AttendanceStatus::Afbud,
                                _ => AttendanceStatus::Present,
                            }),
                            recorded_at: Set(now),
                            recorded_by: Set(None),
                            ..Default::default()
                        });
                    }
                }
                if ids.iter().all(|(_, at)| *at <= now) {
                    for r in 0..RESPONSES {
                        let id = format!("{run_id:016x}{r:016x}");
                        responses.push(evaluation_response::ActiveModel {
                            id: Set(id.clone()),
                            run_id: Set(run_id),
                            source: Set("web".into()),
                        });
                        for (qi, q) in questions.iter().enumerate().take(6) {
                            answers.push(evaluation_answer::ActiveModel {
                                response_id: Set(id.clone()),
                                question_id: Set(*q),
                                value: Set(Some(((r + qi + n) % 5 + 1) as i32)),
                                text: Set(None),
                            });
                        }
                    }
                }
            }
        }
    }
    let marked = marks.len();
    insert_chunks(app, runs).await;
    insert_chunks(app, sessions).await;
    insert_chunks(app, bookings).await;
    insert_chunks(app, marks).await;
    insert_chunks(app, responses).await;
    insert_chunks(app, answers).await;
    marked
}

/// Median and slowest of `n` requests of a page.
async fn time_page(app: &TestApp, path: &str, cookie: &str, n: usize) -> (Duration, Duration) {
    let (status, _, body) = get_page(app, path, Some(cookie)).await;
    assert_eq!(status, 200, "{path}");
    assert!(body.contains("Nøgletal"));
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let (status, _, _) = get_page(app, path, Some(cookie)).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
    }
    times.sort();
    (times[n / 2], times[n - 1])
}

pub async fn measure(backend: Backend) {
    let app = crate::common::spawn_app(backend).await;
    let started = Instant::now();
    let marks = generate(&app).await;
    let generated = started.elapsed();
    let name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let coordinator = sign_in(&app, COORDINATOR).await;
    let admin = sign_in(&app, ADMIN).await;
    let today = Utc::now().date_naive();
    let year_ago = today - chrono::Duration::days(365);
    let five_years = NaiveDate::from_ymd_opt(today.year() - YEARS + 1, 1, 1).expect("date");
    let cases = [
        (
            "one school, this term",
            "/personale/rapporter".to_string(),
            &coordinator,
        ),
        (
            "one school, last year",
            format!("/personale/rapporter?fra={year_ago}&til={today}"),
            &coordinator,
        ),
        (
            "all 10 schools, last year",
            format!("/personale/rapporter?fra={year_ago}&til={today}"),
            &admin,
        ),
        (
            "all 10 schools, 5 years",
            format!("/personale/rapporter?fra={five_years}&til={today}"),
            &admin,
        ),
    ];
    println!(
        "report speed {name}: generated {marks} attendance marks in {:.1} s",
        generated.as_secs_f64()
    );
    // The computation alone, without the page around it.
    let everything = app::services::reports::Selection {
        schools: entity::school::Entity::find()
            .rows(&app.db)
            .await
            .into_iter()
            .map(|s| s.id)
            .collect(),
        from: five_years,
        to: today,
        course: None,
        format: None,
        theme: None,
        teachers: None,
    };
    let started = Instant::now();
    let f = app::services::reports::figures(&app.db, &everything, Utc::now())
        .await
        .expect("figures");
    let took = started.elapsed();
    println!(
        "report speed {name}: figures of all 10 schools over 5 years ({} runs): {} ms",
        f.runs,
        took.as_millis()
    );
    crate::record(
        &format!("reports.{}.figures_all_5y", crate::label(backend)),
        took.as_secs_f64() * 1000.0,
        "ms",
    );
    for (label, path, cookie) in cases {
        let (median, worst) = time_page(&app, &path, cookie, 20).await;
        let key = label.replace(", ", "_").replace(' ', "_");
        crate::record(
            &format!("reports.{}.{key}.p50", crate::label(backend)),
            median.as_secs_f64() * 1000.0,
            "ms",
        );
        crate::record(
            &format!("reports.{}.{key}.worst", crate::label(backend)),
            worst.as_secs_f64() * 1000.0,
            "ms",
        );
        println!(
            "report speed {name}: {label}: median {} ms, slowest {} ms",
            median.as_millis(),
            worst.as_millis()
        );
    }
    app.stop().await;
}
