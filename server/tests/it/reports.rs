//! Report figures from a known fixture, asserted exactly: small groups suppressed, sessions
//! counted on their local date across the period's edges (and a DST change), a run spanning
//! the period's end, cancelled sessions and runs left out, drop-in headcounts, evaluations;
//! then the page, the CSV files and who may see what, over HTTP.

use crate::common::Found;
use crate::common::TestApp;
use crate::common::question;
use crate::common::staff::*;
use app::rules::reports::{Cell, Figures};
use app::rules::time::date_time_to_utc as local_to_utc;
use app::services::reports::{Selection, figures};
use chrono::{NaiveDate, NaiveTime, Utc};
use entity::{
    AttendanceStatus, BookingStatus, CourseFormat, Perspective, RunStatus, WaitlistMode,
    attendance, booking, course, evaluation_answer, evaluation_response, headcount, run,
    run_teacher, session,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    local_to_utc(
        NaiveDate::from_ymd_opt(y, m, d).expect("date"),
        NaiveTime::from_hms_opt(h, min, 0).expect("time"),
    )
    .expect("a time that exists")
}

struct Fixture {
    school: i32,
    courses: [i32; 3],
    run_b: i32,
}

async fn add_run(
    app: &TestApp,
    course: i32,
    school: i32,
    capacity: Option<i32>,
    status: RunStatus,
) -> i32 {
    run::ActiveModel {
        course_id: Set(course),
        school_id: Set(school),
        location_id: Set(None),
        capacity: Set(capacity),
        waitlist_enabled: Set(true),
        signup_opens_at: Set(None),
        signup_closes_at: Set(None),
        waitlist_mode: Set(WaitlistMode::Automatic),
        offer_hours: Set(24),
        cancel_deadline_hours: Set(24),
        booking_rev: Set(0),
        status: Set(status),
        note: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("run")
    .id
}

async fn add_session(
    app: &TestApp,
    run: i32,
    starts: chrono::DateTime<Utc>,
    cancelled: bool,
) -> i32 {
    session::ActiveModel {
        run_id: Set(run),
        starts_at: Set(starts),
        ends_at: Set(starts + chrono::Duration::hours(2)),
        location_id: Set(None),
        online_url: Set(None),
        cancelled: Set(cancelled),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("session")
    .id
}

#[allow(clippy::too_many_arguments)]
async fn add_booking(
    app: &TestApp,
    run: i32,
    email: &str,
    status: BookingStatus,
    queue_no: Option<i32>,
    perspective: Option<Perspective>,
    municipality: Option<&str>,
) -> i32 {
    booking::ActiveModel {
        run_id: Set(run),
        name: Set("Deltager".into()),
        email: Set(email.into()),
        email_key: Set(email.into()),
        phone: Set(None),
        perspective: Set(perspective),
        municipality: Set(municipality.map(str::to_string)),
        needs: Set(String::new()),
        status: Set(status),
        queue_no: Set(queue_no),
        offer_expires_at: Set(None),
        consent_version: Set("test".into()),
        consent_at: Set(None),
        booked_by_name: Set(None),
        booked_by_email: Set(None),
        source: Set("web".into()),
        locale: Set("da".into()),
        receipt_hash: Set(None),
        created_at: Set(Utc::now()),
        updated_at: Set(None),
        cancelled_at: Set(None),
        calendar_seq: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("booking")
    .id
}

async fn mark(app: &TestApp, session: i32, booking: i32, status: AttendanceStatus) {
    attendance::ActiveModel {
        session_id: Set(session),
        booking_id: Set(booking),
        status: Set(status),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("attendance");
}

async fn respond(app: &TestApp, run: i32, n: usize, answers: &[(i32, Option<i32>, Option<&str>)]) {
    let id = format!("{run:08}{n:024}");
    evaluation_response::Entity::insert(evaluation_response::ActiveModel {
        id: Set(id.clone()),
        run_id: Set(run),
        source: Set("web".into()),
    })
    .exec_without_returning(&app.db)
    .await
    .expect("response");
    for (q, value, text) in answers {
        evaluation_answer::Entity::insert(evaluation_answer::ActiveModel {
            response_id: Set(id.clone()),
            question_id: Set(*q),
            value: Set(*value),
            text: Set(text.map(str::to_string)),
        })
        .exec_without_returning(&app.db)
        .await
        .expect("answer");
    }
}

/// Spring 2026 at Randers. See the assertions for what each part is for.
async fn fixture(app: &TestApp) -> Fixture {
    use AttendanceStatus::{Absent, Afbud, Late, Present};
    use BookingStatus::{Cancelled, Confirmed, Expired, Waitlisted};
    let school = school_id(app, "randers").await;
    let randers: Vec<course::Model> = course::Entity::find()
        .filter(course::Column::SchoolId.eq(school))
        .order_by_asc(course::Column::Id)
        .rows(&app.db)
        .await;
    let (c1, c2, c3) = (randers[0].id, randers[1].id, randers[2].id);
    course::Entity::update_many()
        .col_expr(
            course::Column::Format,
            sea_orm::sea_query::Expr::value("course"),
        )
        .filter(course::Column::Id.is_in([c1, c2]))
        .exec(&app.db)
        .await
        .expect("formats");
    course::Entity::update_many()
        .col_expr(
            course::Column::Format,
            sea_orm::sea_query::Expr::value("drop_in"),
        )
        .filter(course::Column::Id.eq(c3))
        .exec(&app.db)
        .await
        .expect("drop-in");

    // Run A: 10 seats. Its first session is at 00.30 on 1 January, local time (still 31
    // December in UTC); the third is cancelled.
    let a = add_run(app, c1, school, Some(10), RunStatus::Published).await;
    let s1 = add_session(app, a, at(2026, 1, 1, 0, 30), false).await;
    let s2 = add_session(app, a, at(2026, 1, 8, 17, 0), false).await;
    let s3 = add_session(app, a, at(2026, 1, 15, 17, 0), true).await;
    let mut seated = Vec::new();
    for i in 1..=8 {
        let perspective = match i {
            1..=5 => Some(Perspective::OwnExperience),
            6 | 7 => Some(Perspective::Relative),
            _ => None,
        };
        let municipality = (i <= 5).then_some("Randers");
        seated.push(
            add_booking(
                app,
                a,
                &format!("p{i}@example.org"),
                Confirmed,
                None,
                perspective,
                municipality,
            )
            .await,
        );
    }
    add_booking(app, a, "afbud@example.org", Cancelled, None, None, None).await;
    for i in 1..=6 {
        add_booking(
            app,
            a,
            &format!("w{i}@example.org"),
            Waitlisted,
            Some(i),
            None,
            None,
        )
        .await;
    }
    add_booking(app, a, "x@example.org", Expired, Some(7), None, None).await;
    for (i, b) in seated.iter().enumerate() {
        let first = match i {
            0..=5 => Present,
            6 => Absent,
            _ => Afbud,
        };
        let second = match i {
            0..=4 => Present,
            5 => Late,
            _ => Absent,
        };
        mark(app, s1, *b, first).await;
        mark(app, s2, *b, second).await;
    }
    // Marks on a cancelled session count nowhere.
    mark(app, s3, seated[0], Present).await;

    // Run B: 6 seats, begins 30 June at 18.00 and ends 7 July, after the period. Five of its
    // six come back from run A.
    let b = add_run(app, c2, school, Some(6), RunStatus::Published).await;
    let b1 = add_session(app, b, at(2026, 6, 30, 18, 0), false).await;
    let b2 = add_session(app, b, at(2026, 7, 7, 18, 0), false).await;
    for i in 1..=6 {
        let email = if i <= 5 {
            format!("p{i}@example.org")
        } else {
            "q6@example.org".into()
        };
        let id = add_booking(app, b, &email, Confirmed, None, None, None).await;
        mark(app, b1, id, Present).await;
        mark(app, b2, id, if i <= 5 { Present } else { Absent }).await;
    }

    // Run C begins at 00.30 on 1 July local time (still 30 June in UTC): outside the period.
    let c = add_run(app, c1, school, Some(10), RunStatus::Published).await;
    add_session(app, c, at(2026, 7, 1, 0, 30), false).await;
    for i in 1..=5 {
        add_booking(
            app,
            c,
            &format!("c{i}@example.org"),
            Confirmed,
            None,
            None,
            None,
        )
        .await;
    }
    // Run D is cancelled: nothing of it counts.
    let d = add_run(app, c1, school, Some(10), RunStatus::Cancelled).await;
    add_session(app, d, at(2026, 3, 3, 17, 0), false).await;
    for i in 1..=5 {
        add_booking(
            app,
            d,
            &format!("d{i}@example.org"),
            Confirmed,
            None,
            None,
            None,
        )
        .await;
    }

    // Run E: a drop-in with a headcount of 9 (4 with own experience, 2 relatives).
    let e = add_run(app, c3, school, None, RunStatus::Published).await;
    let e1 = add_session(app, e, at(2026, 2, 3, 14, 0), false).await;
    headcount::ActiveModel {
        session_id: Set(e1),
        total: Set(9),
        own_experience: Set(Some(4)),
        relative: Set(Some(2)),
        professional: Set(None),
        other: Set(None),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(None),
    }
    .insert(&app.db)
    .await
    .expect("headcount");

    // Six evaluations of run A, two of run B.
    let (hope, recommend, takeaway) = (
        question(app, "hope").await,
        question(app, "recommend").await,
        question(app, "takeaway").await,
    );
    let hopes = [Some(5), Some(5), Some(5), Some(4), Some(4), Some(0)];
    let texts = [
        "Fællesskabet",
        "Håb",
        "Ro",
        "At jeg ikke er alene",
        "Redskaber",
        "",
    ];
    for (n, (h, t)) in hopes.iter().zip(texts).enumerate() {
        let mut answers = vec![(hope, *h, None), (recommend, Some(3), None)];
        if !t.is_empty() {
            answers.push((takeaway, None, Some(t)));
        }
        respond(app, a, n, &answers).await;
    }
    for n in 0..2 {
        respond(
            app,
            b,
            n,
            &[(hope, Some(2), None), (takeaway, None, Some("Hemmeligt"))],
        )
        .await;
    }
    Fixture {
        school,
        courses: [c1, c2, c3],
        run_b: b,
    }
}

/// The text of a CSV table for the selection `q`, as `cookie`'s browser downloads it.
async fn csv_text(app: &TestApp, cookie: &str, table: &str, q: &str) -> String {
    app.client
        .get(format!(
            "{}/personale/rapport/csv?tabel={table}&{q}",
            app.base
        ))
        .header("cookie", cookie)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("body")
}

fn spring(school: i32) -> Selection {
    Selection {
        schools: vec![school],
        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
        course: None,
        format: None,
        theme: None,
        teachers: None,
    }
}

fn find<'a>(cells: &'a [(String, Cell)], key: &str) -> &'a Cell {
    &cells.iter().find(|(k, _)| k == key).expect(key).1
}

both_backends!(figures_from_a_known_fixture, |app| {
    let fx = fixture(app).await;
    let f: Figures = figures(&app.db, &spring(fx.school), Utc::now())
        .await
        .expect("figures");
    // A, B and E begin in the period; C begins just after it; D is cancelled.
    assert_eq!(f.runs, 3);
    // A's two held sessions (not the cancelled one), B's first, E's.
    assert_eq!(f.sessions, 4);
    // 8 seats + 1 afbud + 6 waiting on A (the expired offer is not a sign-up), 6 on B.
    assert_eq!(f.sign_ups, Cell::Count(21));
    assert_eq!(f.seats, Cell::Count(14));
    assert_eq!(f.capacity, 16);
    assert_eq!(f.fill, Cell::Share(875));
    // Six still waiting and one whose offer ran out never got a seat.
    assert_eq!(f.unmet, Cell::Count(7));
    // One afbud for the whole run: fewer than five people.
    assert_eq!(f.afbud_rate, Cell::Small);
    // p1–p8 and q6 (9); p1–p5 came to both A and B. Without January (A) there are 6, so the 3
    // of January alone would show beside that report: hidden.
    assert_eq!(f.participants, Cell::Hidden);
    assert_eq!(f.repeat, Cell::Count(5));
    // Of 22 marks in the period (8 + 8 on A, 6 on B's first), 18 came (late counts as came);
    // the 3 absent and 1 afbud are small groups, and 18 of 22 would give their 4 back.
    assert_eq!(f.attendance_rate, Cell::Small);
    assert_eq!(f.no_show_rate, Cell::Small);
    assert_eq!(f.session_afbud_rate, Cell::Small);
    // A: 6 of 8 came to at least one of its two sessions; B: all 6 (its July session too).
    // 12 of 14: the 2 others would be the rest.
    assert_eq!(f.completion, Cell::Small);
    assert_eq!(f.drop_in_sessions, 1);
    assert_eq!(f.drop_in_heads, Cell::Count(9));
    // Seats (5 + 0 own experience on A and B) plus the drop-in's 4.
    assert_eq!(find(&f.perspectives, "own_experience"), &Cell::Count(9));
    assert_eq!(find(&f.perspectives, "relative"), &Cell::Small);
    assert_eq!(find(&f.perspectives, "professional"), &Cell::Count(0));
    // Hidden with the small "relative", or the seats minus the rest would give it back.
    assert_eq!(find(&f.perspectives, "undisclosed"), &Cell::Hidden);
    assert_eq!(
        f.municipalities,
        [
            ("Randers".to_string(), Cell::Count(5)),
            // 9, and 6 without January: January's 3 would show.
            (String::new(), Cell::Hidden)
        ]
    );
    // Monthly over half a year: January (A's two), February (the drop-in), June (B's first).
    assert!(f.monthly);
    let months: Vec<(String, u32, Cell, Cell)> = f
        .by_period
        .iter()
        .map(|p| {
            (
                p.starts.to_string(),
                p.sessions,
                p.present.clone(),
                p.rate.clone(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01-01".into(), 2, Cell::Count(12), Cell::Small),
            ("2026-02-01".into(), 1, Cell::Count(9), Cell::Empty),
            ("2026-06-01".into(), 1, Cell::Count(6), Cell::Share(1000)),
        ]
    );
    // Per session held (not drop-in): A's two and B's first, with their own rates.
    let per_session: Vec<(String, Cell, Cell)> = f
        .by_session
        .iter()
        .map(|s| (s.starts.to_string(), s.marked.clone(), s.rate.clone()))
        .collect();
    assert_eq!(
        per_session,
        [
            // 6 of 8: the 2 others would be the rest.
            ("2026-01-01 00:30:00".into(), Cell::Count(8), Cell::Small),
            ("2026-01-08 17:00:00".into(), Cell::Count(8), Cell::Small),
            (
                "2026-06-30 18:00:00".into(),
                Cell::Count(6),
                Cell::Share(1000)
            ),
        ]
    );
    // Per run: B counts in full, its July session included.
    let b = f
        .by_run
        .iter()
        .find(|r| r.run_id == fx.run_b)
        .expect("run B");
    assert_eq!(
        (b.sessions, b.seats.clone(), b.fill.clone()),
        (2, Cell::Count(6), Cell::Share(1000))
    );
    assert_eq!(b.attendance, Cell::Small, "11 of 12 marks on B: 1 away");
    assert_eq!(b.completion, Cell::Share(1000));
    assert_eq!(b.responses, Cell::Small);
    assert_eq!(f.by_course.len(), 3);
    // Evaluations: 8 in all (6 without B's June), so hidden; A's hope answers 5,5,5,4,4 and
    // one "ved ikke".
    assert_eq!(f.responses, Cell::Hidden);
    let hope = f
        .questions
        .iter()
        .find(|q| q.code.as_deref() == Some("hope"))
        .expect("hope");
    assert_eq!(
        hope.counts,
        [
            Cell::Small,
            Cell::Small,
            Cell::Count(0),
            Cell::Small,
            Cell::Count(0),
            Cell::Small
        ]
    );
    // The mean (27/7) beside hidden counts would give them back.
    assert_eq!(hope.mean, Cell::Hidden);
    assert_eq!(hope.answered, Cell::Hidden);
    // Texts only from A (6 responses), none from B's 2.
    let (code, texts) = &f.free_texts[0];
    assert_eq!(code, "takeaway");
    assert_eq!(texts.len(), 5);

    // Course B alone: two responses, so no mean and no free text.
    let only_b = figures(
        &app.db,
        &Selection {
            course: Some(fx.courses[1]),
            ..spring(fx.school)
        },
        Utc::now(),
    )
    .await
    .expect("figures");
    assert_eq!(only_b.runs, 1);
    assert_eq!(only_b.responses, Cell::Small);
    assert!(only_b.free_texts.is_empty());
    assert!(
        only_b
            .questions
            .iter()
            .all(|q| q.mean == Cell::Small || q.mean == Cell::Empty)
    );
    // Drop-in only, by format.
    let drop_in = figures(
        &app.db,
        &Selection {
            format: Some(CourseFormat::DropIn),
            ..spring(fx.school)
        },
        Utc::now(),
    )
    .await
    .expect("figures");
    assert_eq!(
        (drop_in.runs, drop_in.drop_in_heads.clone()),
        (1, Cell::Count(9))
    );
    assert_eq!(drop_in.seats, Cell::Count(0));
    // July has run C (begun 1 July local time) and not B.
    let autumn = figures(
        &app.db,
        &Selection {
            from: NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"),
            to: NaiveDate::from_ymd_opt(2026, 7, 31).expect("date"),
            ..spring(fx.school)
        },
        Utc::now(),
    )
    .await
    .expect("figures");
    assert_eq!(autumn.runs, 1);
    assert_eq!(autumn.seats, Cell::Count(5));
    // B's July session is held then: its marks count there (5 of 6, so the 1 away is small).
    assert_eq!(autumn.attendance_rate, Cell::Small);
    assert!(!autumn.monthly, "a month is shown per week");
});

both_backends!(report_page_and_csv_files, |app| {
    let fx = fixture(app).await;
    let cookie = sign_in(app, COORDINATOR).await;
    let q = "fra=2026-01-01&til=2026-06-30";
    let (status, _, body) =
        get_page(app, &format!("/personale/rapporter?{q}"), Some(&cookie)).await;
    assert_eq!(status, 200);
    for text in [
        "Nøgletal",
        "87,5 %",
        "&lt; 5",
        "skjult",
        "Fremmøde over tid",
        "<svg",
        "Fællesskabet",
    ] {
        assert!(body.contains(text), "{text}");
    }
    // The CSV of the key figures, as a spreadsheet reads it.
    let response = app
        .client
        .get(format!(
            "{}/personale/rapport/csv?tabel=noegletal&{q}",
            app.base
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        response
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("skolebaenk-noegletal-2026-01-01-2026-06-30.csv"))
    );
    let csv = response.text().await.expect("body");
    assert!(csv.starts_with('\u{feff}'));
    for line in [
        "Fyldt;87,5 %\r\n",
        "Udeblev uden afbud;< 5\r\n",
        "Fik aldrig en plads (venteliste);7\r\n",
    ] {
        assert!(csv.contains(line), "{line} in {csv}");
    }
    // The same rule in the file and in the API: the figure hidden on the page is hidden there.
    assert!(csv.contains("Forskellige deltagere;skjult\r\n"), "{csv}");
    let slug = entity::school::Entity::find_by_id(fx.school)
        .found(&app.db, "school")
        .await
        .slug;
    let (_, key) = app::services::api_keys::create(
        &app.db,
        fx.school,
        "Rapport",
        app::services::api_keys::Scope::Read,
        None,
        1,
        Utc::now(),
    )
    .await
    .expect("key");
    let report: serde_json::Value = app
        .client
        .get(format!(
            "{}/api/v1/schools/{slug}/report?from=2026-01-01&to=2026-06-30",
            app.base
        ))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert_eq!(report["participants"]["text"], "skjult", "{report}");
    assert_eq!(report["participants"]["suppressed"], true);
    assert_eq!(report["participants"]["value"], serde_json::Value::Null);
    let runs = csv_text(app, &cookie, "hold", q).await;
    assert_eq!(runs.lines().count(), 4, "a header and three runs: {runs}");
    let sessions = csv_text(app, &cookie, "gange", q).await;
    assert!(sessions.contains("2026-01-01 00:30;"), "{sessions}");
    assert_eq!(
        sessions.lines().count(),
        4,
        "a header and three sessions: {sessions}"
    );
    let unknown = app
        .client
        .get(format!(
            "{}/personale/rapport/csv?tabel=personer&{q}",
            app.base
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("csv");
    assert_eq!(unknown.status().as_u16(), 404);
    // Signed out: to sign-in, page and file alike.
    let (status, location, _) = get_page(app, "/personale/rapporter", None).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/personale/log-ind"));
    let signed_out = app
        .client
        .get(format!("{}/personale/rapport/csv?tabel=hold", app.base))
        .send()
        .await
        .expect("csv");
    assert_eq!(signed_out.status().as_u16(), 303);
    // Another school's figures are not the Randers coordinator's.
    let aarhus = school_id(app, "aarhus").await;
    let (status, _, _) = get_page(
        app,
        &format!("/personale/rapporter?skole={aarhus}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 403);
    // A bad date range is explained, and the current term is shown.
    let (status, _, body) = get_page(
        app,
        "/personale/rapporter?fra=2026-06-30&til=2026-01-01",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("Valget kunne ikke læses helt"));
    // Management reads the same figures.
    let management = sign_in(app, MANAGEMENT).await;
    let (status, _, body) =
        get_page(app, &format!("/personale/rapporter?{q}"), Some(&management)).await;
    assert_eq!(status, 200);
    assert!(body.contains("87,5 %"));

    // A teacher sees only the runs she teaches: none, then run B.
    let teacher = sign_in(app, TEACHER).await;
    let (status, _, body) =
        get_page(app, &format!("/personale/rapporter?{q}"), Some(&teacher)).await;
    assert_eq!(status, 200);
    assert!(body.contains("de hold, du selv underviser på"));
    assert!(body.contains("Der er ingen hold i perioden."));
    let lone = entity::teacher::Entity::find()
        .filter(entity::teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
    run_teacher::ActiveModel {
        run_id: Set(fx.run_b),
        teacher_id: Set(lone.id),
    }
    .insert(&app.db)
    .await
    .expect("team");
    let csv = csv_text(app, &teacher, "hold", q).await;
    assert_eq!(csv.lines().count(), 2, "only run B: {csv}");
    let _ = fx.courses;
});

both_backends!(ended_runs_are_made_anonymous_and_the_figures_stay, |app| {
    use chrono::{Duration, TimeZone};
    let fx = fixture(app).await;
    let now = Utc::now();
    // The fixture's school keeps participants' data for a year; the others for the default
    // six months.
    entity::school::Entity::update_many()
        .col_expr(
            entity::school::Column::RetentionMonths,
            sea_orm::sea_query::Expr::value(12),
        )
        .filter(entity::school::Column::Id.eq(fx.school))
        .exec(&app.db)
        .await
        .expect("retention");
    let before = figures(&app.db, &spring(fx.school), now)
        .await
        .expect("figures");
    // An older audit entry names a participant of run B, as the roster used to write them.
    let named = booking::Entity::find()
        .filter(booking::Column::RunId.eq(fx.run_b))
        .rows(&app.db)
        .await[0]
        .clone();
    entity::audit_log::ActiveModel {
        at: Set(now),
        account_id: Set(None),
        actor: Set("Test".into()),
        school_id: Set(Some(fx.school)),
        action: Set("booking.cancel".into()),
        subject: Set(format!(
            "Ane Hansen (tilmelding {}, hold {})",
            named.id, fx.run_b
        )),
        detail: Set(String::new()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("audit entry");

    // At another school: a run that ended seven months ago, and one that ended five.
    let other = school_id(app, "aarhus").await;
    let c = course::Entity::find()
        .filter(course::Column::SchoolId.eq(other))
        .rows(&app.db)
        .await[0]
        .id;
    let mut people = Vec::new();
    for (days, email) in [(210, "gaar@example.org"), (150, "bliver@example.org")] {
        let r = add_run(app, c, other, Some(10), RunStatus::Published).await;
        add_session(app, r, now - Duration::days(days), false).await;
        let b = add_booking(
            app,
            r,
            email,
            BookingStatus::Confirmed,
            None,
            Some(Perspective::Relative),
            Some("Aarhus"),
        )
        .await;
        people.push((r, b));
    }
    let due = app::services::retention::due(&app.db, now)
        .await
        .expect("due");
    assert!(due.iter().any(|d| d.run_id == people[0].0 && d.months == 6));
    assert!(!due.iter().any(|d| d.run_id == people[1].0));
    assert!(!due.iter().any(|d| d.run_id == fx.run_b), "kept for a year");

    // The timed jobs make the seven-month-old run anonymous and nothing else of these.
    server::jobs::run_once(&app.db, &app.config).await;
    let gone = booking::Entity::find_by_id(people[0].1)
        .found(&app.db, "booking")
        .await;
    assert_eq!((gone.name.as_str(), gone.email.as_str()), ("", ""));
    assert!(gone.email_key.starts_with("anon:"));
    let kept = booking::Entity::find_by_id(people[1].1)
        .found(&app.db, "booking")
        .await;
    assert_eq!(kept.email, "bliver@example.org");
    assert_eq!(
        figures(&app.db, &spring(fx.school), now)
            .await
            .expect("figures"),
        before
    );

    // A year after the spring, every spring run is due; made anonymous, the figures are the
    // same to the last cell.
    let later = Utc.with_ymd_and_hms(2027, 8, 1, 12, 0, 0).unwrap();
    let went = app::services::retention::apply(&app.db, later)
        .await
        .expect("retention");
    assert!(went.iter().any(|d| d.run_id == fx.run_b));
    let after = figures(&app.db, &spring(fx.school), now)
        .await
        .expect("figures");
    assert_eq!(before, after, "the figures do not change");
    let spring_runs: Vec<i32> = went.iter().map(|d| d.run_id).collect();
    let cleared = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(spring_runs.clone()))
        .rows(&app.db)
        .await;
    assert!(cleared.len() > 10);
    for b in &cleared {
        assert_eq!((b.name.as_str(), b.email.as_str()), ("", ""), "{b:?}");
        assert!(b.email_key.starts_with("anon:"), "{b:?}");
        assert!(b.phone.is_none() && b.needs.is_empty() && b.booked_by_email.is_none());
    }
    for r in &spring_runs {
        let r = run::Entity::find_by_id(*r).found(&app.db, "run").await;
        assert!(r.anonymised_at.is_some());
    }
    let entry = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("booking.cancel"))
        .rows(&app.db)
        .await;
    assert_eq!(
        entry[0].subject,
        format!("Tilmelding {}, hold {}", named.id, fx.run_b)
    );
    // Another round finds nothing more to do.
    assert!(
        app::services::retention::apply(&app.db, later)
            .await
            .expect("retention")
            .is_empty()
    );
});
