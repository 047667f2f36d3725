//! Demo data: a network of three invented recovery schools with courses, teachers and runs over
//! the coming term.
//!
//! Dates are laid out relative to today, so the demo never looks stale. Everything is invented:
//! names, e-mail addresses (on the reserved `.example` domain) and phone numbers (Danish numbers
//! never start with 0). Loaded only into an empty database, in one transaction.

mod content;

use app::rules::access::Role;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Europe::Copenhagen;
use entity::{
    BookingStatus, CourseStatus, RunStatus, WaitlistMode, booking, course, course_teacher,
    course_theme, location, run, run_teacher, school, session, teacher, theme,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait,
};
use std::collections::HashMap;

use content::{COURSES, LOCATIONS, PARTICIPANT_NAMES, RUNS, SCHOOLS, TEACHERS, THEMES};

/// Today's date in Copenhagen.
pub fn today_in_copenhagen() -> NaiveDate {
    app::rules::time::local_today(Utc::now())
}

/// A local Copenhagen wall-clock time as a UTC instant, by the app's one time policy. The
/// demo's classes are at daytime hours, which always exist; a time that does not is a mistake in
/// the demo content.
fn local_to_utc(date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, DbErr> {
    app::rules::time::date_time_to_utc(date, time)
        .ok_or_else(|| DbErr::Custom(format!("the demo time {date} {time} does not exist")))
}

/// Moves a weekend date to the Monday after.
fn weekday_on_or_after(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

/// True when the database holds no catalogue data at all.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(school::Entity::find().count(db).await? == 0
        && course::Entity::find().count(db).await? == 0
        && teacher::Entity::find().count(db).await? == 0)
}

/// Loads the demo data if the database is empty. Returns whether it did. The check and the
/// inserts share one transaction: a second instance starting at the same moment fails on the
/// unique slugs and rolls back, so nothing is ever loaded twice or half.
pub async fn seed_if_empty(db: &DatabaseConnection, today: NaiveDate) -> Result<bool, DbErr> {
    app::services::transaction::write(db, |txn| async move { seed(&txn, today).await }).await
}

/// The demo data, in the transaction given, if the database is empty.
async fn seed(txn: &app::services::transaction::Tx, today: NaiveDate) -> Result<bool, DbErr> {
    if !is_empty(txn).await? {
        return Ok(false);
    }
    let now = Utc::now();

    let mut schools = HashMap::new();
    for s in SCHOOLS {
        let m = school::ActiveModel {
            slug: Set(s.slug.into()),
            name: Set(s.name.into()),
            street: Set(s.street.into()),
            postal_code: Set(s.postal_code.into()),
            city: Set(s.city.into()),
            email: Set(s.email.into()),
            phone: Set(s.phone.into()),
            intro: Set(s.intro.into()),
            opening_hours: Set(s.opening_hours.into()),
            colour: Set(s.colour.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        schools.insert(s.slug, m.id);
    }

    let mut locations = HashMap::new();
    for l in LOCATIONS {
        let m = location::ActiveModel {
            school_id: Set(schools[l.school]),
            name: Set(l.name.into()),
            street: Set(l.street.map(Into::into)),
            postal_code: Set(l.postal_code.map(Into::into)),
            city: Set(l.city.map(Into::into)),
            room: Set(l.room.map(Into::into)),
            is_online: Set(l.online),
            step_free: Set(l.step_free),
            access_note: Set(l.access_note.into()),
            directions: Set(l.directions.into()),
            accessible_toilet: Set(l.facilities.0),
            hearing_loop: Set(l.facilities.1),
            quiet_room: Set(l.facilities.2),
            platform: Set(l.platform.map(Into::into)),
            retired: Set(false),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        locations.insert(l.key, m.id);
    }

    let mut teachers = HashMap::new();
    for t in TEACHERS {
        let m = teacher::ActiveModel {
            school_id: Set(schools[t.school]),
            name: Set(t.name.into()),
            kind: Set(t.kind),
            title: Set(t.title.map(Into::into)),
            bio: Set(t.bio.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        teachers.insert(t.key, m.id);
    }

    let mut themes = HashMap::new();
    for (slug, da, en) in THEMES {
        let m = theme::ActiveModel {
            slug: Set((*slug).into()),
            name_da: Set((*da).into()),
            name_en: Set((*en).into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        themes.insert(*slug, m.id);
    }

    let mut courses = HashMap::new();
    for c in COURSES {
        let m = course::ActiveModel {
            slug: Set(c.slug.into()),
            school_id: Set(schools[c.school]),
            title: Set(c.title.into()),
            summary: Set(c.summary.into()),
            description: Set(c.description.into()),
            expectations: Set(c.expectations.into()),
            format: Set(c.format),
            audience: Set(c.audience),
            status: Set(CourseStatus::Published),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for t in c.themes {
            course_theme::ActiveModel {
                course_id: Set(m.id),
                theme_id: Set(themes[t]),
            }
            .insert(txn)
            .await?;
        }
        for t in c.developers {
            course_teacher::ActiveModel {
                course_id: Set(m.id),
                teacher_id: Set(teachers[t]),
            }
            .insert(txn)
            .await?;
        }
        courses.insert(c.slug, (m.id, c));
    }

    let mut participant = 0usize;
    let last_waitlisted = RUNS.iter().rposition(|r| r.waitlist && r.waitlisted > 0);
    for (index, r) in RUNS.iter().enumerate() {
        let (course_id, c) = courses[r.course];
        let day = today + Duration::days(r.start_offset_days);
        let first_day = if r.keep_date {
            day
        } else {
            weekday_on_or_after(day)
        };
        let mut start_time =
            NaiveTime::from_hms_opt(r.start.0, r.start.1, 0).unwrap_or(NaiveTime::MIN);
        let mut first_day = first_day;
        if let Some(minutes) = r.began_minutes_ago {
            // On the five minutes, as real classes begin.
            let began = (now - Duration::minutes(minutes)).with_timezone(&Copenhagen);
            first_day = began.date_naive();
            let t = began.time();
            start_time =
                NaiveTime::from_hms_opt(t.hour(), t.minute() - t.minute() % 5, 0).unwrap_or(t);
        }
        let first_start = local_to_utc(first_day, start_time)?;
        let opens = match r.signup_opens_in_days {
            Some(days) => local_to_utc(
                today + Duration::days(days),
                NaiveTime::MIN + Duration::hours(9),
            )?,
            None => first_start - Duration::days(60),
        };
        let m = run::ActiveModel {
            course_id: Set(course_id),
            school_id: Set(schools[r.school]),
            location_id: Set(Some(locations[r.location])),
            capacity: Set(r.capacity),
            waitlist_enabled: Set(r.waitlist),
            signup_opens_at: Set(r.capacity.map(|_| opens)),
            signup_closes_at: Set(None),
            // The last full run with a waiting list shows the offer mode; the rest promote
            // automatically.
            waitlist_mode: Set(if Some(index) == last_waitlisted {
                WaitlistMode::Offer
            } else {
                WaitlistMode::Automatic
            }),
            offer_hours: Set(24),
            cancel_deadline_hours: Set(24),
            booking_rev: Set(0),
            status: Set(RunStatus::Published),
            note: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut held = Vec::new();
        for week in 0..r.sessions {
            let day = first_day + Duration::weeks(i64::from(week));
            let starts = local_to_utc(day, start_time)?;
            let cancelled = r.cancelled_session == Some(week);
            let s = session::ActiveModel {
                run_id: Set(m.id),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::minutes(c.minutes)),
                location_id: Set(None),
                // Online classes have their meeting link from the start (an example address).
                online_url: Set(LOCATIONS
                    .iter()
                    .any(|l| l.key == r.location && l.online)
                    .then(|| format!("https://video.example.org/{}-{}", r.course, m.id))),
                cancelled: Set(cancelled),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if !cancelled && s.ends_at <= now {
                held.push(s.id);
            }
        }
        let team = if r.team.is_empty() {
            c.developers
        } else {
            r.team
        };
        for t in team {
            run_teacher::ActiveModel {
                run_id: Set(m.id),
                teacher_id: Set(teachers[t]),
            }
            .insert(txn)
            .await?;
        }
        let bookings = (0..r.confirmed)
            .map(|_| BookingStatus::Confirmed)
            .chain((0..r.waitlisted).map(|_| BookingStatus::Waitlisted));
        let mut queue_no = 0;
        let mut seated = Vec::new();
        for (i, status) in bookings.enumerate() {
            participant += 1;
            let name = PARTICIPANT_NAMES[participant % PARTICIPANT_NAMES.len()];
            let email = format!("deltager{participant}@example.org");
            let created_at = opens + Duration::hours(i as i64 + 1);
            if status == BookingStatus::Waitlisted {
                queue_no += 1;
            }
            let b = booking::ActiveModel {
                run_id: Set(m.id),
                name: Set(name.into()),
                email_key: Set(email.clone()),
                email: Set(email),
                phone: Set(None),
                perspective: Set(perspective_of(participant)),
                municipality: Set(municipality_of(participant, r.school)),
                needs: Set(String::new()),
                status: Set(status),
                queue_no: Set((status == BookingStatus::Waitlisted).then_some(queue_no)),
                offer_expires_at: Set(None),
                consent_version: Set(app::rules::signup::PRIVACY_NOTICE_VERSION.into()),
                consent_at: Set(Some(created_at)),
                booked_by_name: Set(None),
                booked_by_email: Set(None),
                source: Set("demo".into()),
                locale: Set("da".into()),
                receipt_hash: Set(None),
                created_at: Set(created_at),
                updated_at: Set(None),
                cancelled_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if status == BookingStatus::Confirmed {
                seated.push(b.id);
            }
        }
        if !held.is_empty() {
            past_run(txn, m.id, &held, &seated, participant, now).await?;
        }
    }

    staff_accounts(txn, &schools, &teachers, now).await?;
    Ok(true)
}

/// How a demo participant sees themself: a mix, with some not saying.
fn perspective_of(n: usize) -> Option<entity::Perspective> {
    use entity::Perspective::*;
    [
        Some(OwnExperience),
        Some(Relative),
        Some(OwnExperience),
        Some(Professional),
        None,
        Some(OwnExperience),
        Some(Other),
        Some(Relative),
    ][n % 8]
}

/// A home municipality near the school, for most demo participants.
fn municipality_of(n: usize, school: &str) -> Option<String> {
    let near: &[&str] = match school {
        "randers" => &["Randers", "Favrskov", "Norddjurs"],
        "aarhus" => &["Aarhus", "Skanderborg", "Syddjurs"],
        _ => &["Viborg", "Skive", "Silkeborg"],
    };
    (n % 5 != 4).then(|| near[n % near.len()].to_string())
}

/// A finished demo run: attendance for its held sessions, and anonymous evaluations from most
/// of those who came, so the reports show something.
async fn past_run(
    txn: &impl ConnectionTrait,
    run_id: i32,
    held: &[i32],
    seated: &[i32],
    seed: usize,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use entity::{
        AttendanceStatus, attendance, evaluation_answer, evaluation_question, evaluation_response,
    };
    use sea_orm::{ColumnTrait, QueryFilter};
    for (si, session_id) in held.iter().enumerate() {
        for (bi, booking_id) in seated.iter().enumerate() {
            let k = seed + bi * 3 + si * 7;
            let status = match k % 13 {
                0 => AttendanceStatus::Absent,
                5 => AttendanceStatus::Afbud,
                9 => AttendanceStatus::Late,
                _ => AttendanceStatus::Present,
            };
            attendance::ActiveModel {
                session_id: Set(*session_id),
                booking_id: Set(*booking_id),
                status: Set(status),
                recorded_at: Set(now),
                recorded_by: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    let questions = evaluation_question::Entity::find()
        .filter(evaluation_question::Column::CourseId.is_null())
        .all(txn)
        .await?;
    const TAKEAWAYS: [&str; 6] = [
        "At jeg ikke er den eneste, der har det sådan.",
        "Nogle redskaber til de dårlige dage.",
        "Mod på at tale med min familie om det.",
        "Det var godt at høre underviserens egen historie.",
        "Nye bekendtskaber.",
        "Ro på og håb.",
    ];
    let answering = seated.len() * 3 / 4;
    for n in 0..answering {
        let k = seed + n;
        let id = format!("{run_id:08x}{:024x}", k * 7919 + n);
        evaluation_response::ActiveModel {
            id: Set(id.clone()),
            run_id: Set(run_id),
            source: Set(if n % 6 == 5 { "paper" } else { "web" }.into()),
        }
        .insert(txn)
        .await?;
        for q in &questions {
            let (value, text) = match q.kind.as_str() {
                "likert" => (
                    Some([5, 4, 5, 3, 4, 0, 5, 4][(k + q.position as usize / 10) % 8]),
                    None,
                ),
                "recommend" => (Some([3, 3, 2, 3][k % 4]), None),
                _ if q.code.as_deref() == Some("takeaway") && n % 3 != 2 => {
                    (None, Some(TAKEAWAYS[k % TAKEAWAYS.len()].to_string()))
                }
                _ => continue,
            };
            evaluation_answer::ActiveModel {
                response_id: Set(id.clone()),
                question_id: Set(q.id),
                value: Set(value),
                text: Set(text),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// A demo account: e-mail, name, password, roles (school slug or `None` for administrator),
/// the teacher profile it is linked to, and whether it uses the demo authenticator key.
struct DemoAccount {
    email: &'static str,
    name: &'static str,
    password: &'static str,
    roles: &'static [(Option<&'static str>, Role)],
    teacher: Option<&'static str>,
    totp: bool,
}

/// The demo authenticator key (base32) for the coordinator and administrator, printed in the
/// README so anyone trying the demo can add it to an authenticator app. Demo only.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// One account per role, with passwords printed in the README. Demo only.
const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        email: "admin@recoveryskole.example",
        name: "Ida Skov",
        password: "demo-administrator",
        roles: &[(None, Role::Admin)],
        teacher: None,
        totp: true,
    },
    DemoAccount {
        email: "koordinator.randers@recoveryskole.example",
        name: "Mette Holm",
        password: "demo-koordinator",
        roles: &[(Some("randers"), Role::Coordinator)],
        teacher: None,
        totp: true,
    },
    DemoAccount {
        email: "lone.bech@recoveryskole.example",
        name: "Lone Bech",
        password: "demo-underviser",
        roles: &[(Some("randers"), Role::Teacher)],
        teacher: Some("lone"),
        totp: false,
    },
    DemoAccount {
        email: "ledelse@recoveryskole.example",
        name: "Jens Kragh",
        password: "demo-ledelse-2026",
        roles: &[
            (Some("randers"), Role::Management),
            (Some("aarhus"), Role::Management),
            (Some("viborg"), Role::Management),
        ],
        teacher: None,
        totp: false,
    },
];

async fn staff_accounts(
    db: &impl ConnectionTrait,
    schools: &HashMap<&str, i32>,
    teachers: &HashMap<&str, i32>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use app::services::staff::auth;
    use entity::staff_account;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};

    for a in &DEMO_ACCOUNTS {
        let roles: Vec<(Option<i32>, Role)> = a
            .roles
            .iter()
            .map(|(slug, role)| (slug.and_then(|s| schools.get(s).copied()), *role))
            .collect();
        let id = auth::ensure_account(db, a.email, a.name, &roles, now).await?;
        auth::set_password(db, id, a.password).await?;
        if a.totp {
            staff_account::Entity::update_many()
                .col_expr(
                    staff_account::Column::TotpSecret,
                    Expr::value(DEMO_TOTP_SECRET),
                )
                .col_expr(staff_account::Column::TotpEnabled, Expr::value(true))
                .filter(staff_account::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
        if let Some(t) = a.teacher.and_then(|t| teachers.get(t)) {
            teacher::Entity::update_many()
                .col_expr(teacher::Column::AccountId, Expr::value(id))
                .filter(teacher::Column::Id.eq(*t))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_is_consistent() {
        use std::collections::HashSet;
        let schools: HashSet<_> = SCHOOLS.iter().map(|s| s.slug).collect();
        let teachers: HashMap<_, _> = TEACHERS.iter().map(|t| (t.key, t.kind)).collect();
        let locations: HashSet<_> = LOCATIONS.iter().map(|l| l.key).collect();
        let themes: HashSet<_> = THEMES.iter().map(|t| t.0).collect();
        let co_produced = |team: &[&str]| {
            let kinds: Vec<_> = team.iter().map(|t| teachers[t]).collect();
            kinds.contains(&entity::TeacherKind::Peer)
                && kinds.iter().any(|k| *k != entity::TeacherKind::Peer)
        };
        assert_eq!(schools.len(), 3);
        assert!((14..=20).contains(&COURSES.len()));
        for c in COURSES {
            assert!(schools.contains(c.school), "{}", c.slug);
            assert!(c.themes.iter().all(|t| themes.contains(t)), "{}", c.slug);
            // Co-production: a peer and a professional or relative teacher develop every course.
            assert!(co_produced(c.developers), "{}", c.slug);
        }
        for r in RUNS {
            assert!(COURSES.iter().any(|c| c.slug == r.course), "{}", r.course);
            assert!(locations.contains(r.location), "{}", r.location);
            assert!((1..=8).contains(&r.sessions));
            assert!(r.team.iter().all(|t| teachers.contains_key(t)));
            assert!(
                r.team.is_empty() || co_produced(r.team),
                "team of {}",
                r.course
            );
        }
        for kind in [
            entity::TeacherKind::Peer,
            entity::TeacherKind::Professional,
            entity::TeacherKind::Relative,
        ] {
            assert!(TEACHERS.iter().any(|t| t.kind == kind));
        }
        assert!(
            RUNS.iter().any(|r| r.start_offset_days < 0),
            "some past runs"
        );
        assert!(RUNS.iter().any(|r| r.capacity.is_none()), "a drop-in café");
        assert!(
            RUNS.iter()
                .any(|r| r.capacity.is_some_and(|c| r.confirmed >= c) && r.waitlisted > 0)
        );
    }
}
