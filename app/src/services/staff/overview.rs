//! Runs with their figures and warnings, for the home page and the run lists.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    BookingStatus, RunStatus, booking, course, location, outbox_message, run, run_teacher, school,
    session, teacher,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::dto::staff::home::{MySessionDto, RunRowDto, RunState, Warning};
use crate::rules::access::{Action, Grants};
use crate::rules::coproduction;
use crate::rules::time::to_local;
use crate::rules::vocabulary::TeacherKind;
use crate::services::query::AllInto;

/// Which runs to list.
pub enum Scope<'a> {
    Runs(&'a [i32]),
    /// A school's runs with a session in the term, and its runs with no sessions yet.
    SchoolTerm {
        school: i32,
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// Runs where one of these teacher profiles is on the team.
pub async fn own_runs(db: &DatabaseConnection, teacher_ids: &[i32]) -> Result<Vec<i32>, DbErr> {
    if teacher_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i32> = run_teacher::Entity::find()
        .filter(run_teacher::Column::TeacherId.is_in(teacher_ids.iter().copied()))
        .all_into(db, |rt| rt.run_id)
        .await?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Place names by id.
pub async fn places(db: &DatabaseConnection) -> Result<HashMap<i32, String>, DbErr> {
    location::Entity::find()
        .all_into(db, |p| (p.id, p.name))
        .await
}

/// The team's kinds for each run.
pub async fn team_kinds(
    db: &DatabaseConnection,
    run_ids: &[i32],
) -> Result<HashMap<i32, Vec<TeacherKind>>, DbErr> {
    let links = run_teacher::Entity::find()
        .filter(run_teacher::Column::RunId.is_in(run_ids.iter().copied()))
        .all(db)
        .await?;
    let teachers: HashMap<i32, teacher::Model> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(links.iter().map(|l| l.teacher_id)))
        .all_into(db, |t| (t.id, t))
        .await?;
    let mut out: HashMap<i32, Vec<TeacherKind>> = HashMap::new();
    for l in links {
        if let Some(t) = teachers.get(&l.teacher_id) {
            out.entry(l.run_id).or_default().push(t.kind.into());
        }
    }
    Ok(out)
}

pub async fn rows(
    db: &DatabaseConnection,
    grants: &Grants,
    teacher_ids: &[i32],
    scope: Scope<'_>,
) -> Result<Vec<RunRowDto>, DbErr> {
    let runs: Vec<run::Model> = match scope {
        Scope::Runs(ids) => {
            run::Entity::find()
                .filter(run::Column::Id.is_in(ids.iter().copied()))
                .all(db)
                .await?
        }
        Scope::SchoolTerm { school, from, to } => {
            let all = run::Entity::find()
                .filter(run::Column::SchoolId.eq(school))
                .all(db)
                .await?;
            let ids: Vec<i32> = all.iter().map(|r| r.id).collect();
            let sessions = session::Entity::find()
                .filter(session::Column::RunId.is_in(ids))
                .all(db)
                .await?;
            all.into_iter()
                .filter(|r| {
                    let mine: Vec<&session::Model> =
                        sessions.iter().filter(|s| s.run_id == r.id).collect();
                    mine.is_empty()
                        || mine.iter().any(|s| {
                            let d = to_local(s.starts_at).date();
                            d >= from && d <= to
                        })
                })
                .collect()
        }
    };
    if runs.is_empty() {
        return Ok(Vec::new());
    }
    let run_ids: Vec<i32> = runs.iter().map(|r| r.id).collect();
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids.iter().copied()))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await?;
    let bookings = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .all(db)
        .await?;
    let booking_run: HashMap<i32, i32> = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(run_ids.iter().copied()))
        .all_into(db, |b| (b.id, b.run_id))
        .await?;
    let failed = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(crate::services::outbox::status::FAILED))
        .filter(outbox_message::Column::BookingId.is_in(booking_run.keys().copied()))
        .all(db)
        .await?;
    let courses: HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(runs.iter().map(|r| r.course_id)))
        .all_into(db, |c| (c.id, c.title))
        .await?;
    let schools: HashMap<i32, String> = school::Entity::find()
        .all_into(db, |s| (s.id, s.name))
        .await?;
    let teams = team_kinds(db, &run_ids).await?;
    let own_links = run_teacher::Entity::find()
        .filter(run_teacher::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(run_teacher::Column::TeacherId.is_in(teacher_ids.iter().copied()))
        .all(db)
        .await?;

    let mut rows: Vec<RunRowDto> = runs
        .iter()
        .map(|r| {
            let mine: Vec<&session::Model> = sessions
                .iter()
                .filter(|s| s.run_id == r.id && !s.cancelled)
                .collect();
            let count = |status| {
                u32::try_from(
                    bookings
                        .iter()
                        .filter(|b| b.run_id == r.id && b.status == status)
                        .count(),
                )
                .unwrap_or(0)
            };
            let own = own_links.iter().any(|l| l.run_id == r.id);
            let mut warnings = Vec::new();
            if !coproduction::may_publish(teams.get(&r.id).map_or(&[][..], Vec::as_slice)) {
                warnings.push(Warning::TeamGap);
            }
            if mine.is_empty() {
                warnings.push(Warning::NoSessions);
            }
            let no_place = mine
                .iter()
                .filter(|s| {
                    s.location_id.is_none() && r.location_id.is_none() && s.online_url.is_none()
                })
                .count();
            if no_place > 0 {
                warnings.push(Warning::NoPlace {
                    sessions: u32::try_from(no_place).unwrap_or(0),
                });
            }
            let mail_failed = failed
                .iter()
                .filter(|m| m.booking_id.and_then(|b| booking_run.get(&b)) == Some(&r.id))
                .count();
            if mail_failed > 0 {
                warnings.push(Warning::MailFailed {
                    messages: u32::try_from(mail_failed).unwrap_or(0),
                });
            }
            RunRowDto {
                id: r.id,
                course_title: courses.get(&r.course_id).cloned().unwrap_or_default(),
                school_name: schools.get(&r.school_id).cloned().unwrap_or_default(),
                state: RunState::from(r.status),
                first: mine.first().map(|s| to_local(s.starts_at)),
                last: mine.last().map(|s| to_local(s.starts_at)),
                sessions: u32::try_from(mine.len()).unwrap_or(0),
                confirmed: count(BookingStatus::Confirmed),
                capacity: r.capacity.and_then(|c| u32::try_from(c).ok()),
                waiting: count(BookingStatus::Waitlisted) + count(BookingStatus::Offered),
                warnings: if r.status == RunStatus::Cancelled {
                    Vec::new()
                } else {
                    warnings
                },
                may_roster: grants.may(Action::Roster {
                    school: r.school_id,
                    own,
                }),
                may_edit: grants.may(Action::EditRun {
                    school: r.school_id,
                    own,
                }),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.first.cmp(&b.first).then(a.id.cmp(&b.id)));
    Ok(rows)
}

/// A teacher's next sessions (at most 8) of their own runs (`own_run_ids`, whose rows are
/// `own_rows`), with where they are and whether attendance can be taken.
pub async fn next_sessions(
    db: &DatabaseConnection,
    own_run_ids: &[i32],
    own_rows: &[RunRowDto],
    now: DateTime<Utc>,
) -> Result<Vec<MySessionDto>, DbErr> {
    let mut next_sessions = Vec::new();
    if !own_run_ids.is_empty() {
        let sessions = session::Entity::find()
            .filter(session::Column::RunId.is_in(own_run_ids.iter().copied()))
            .filter(session::Column::Cancelled.eq(false))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await?;
        let runs = run::Entity::find()
            .filter(run::Column::Id.is_in(own_run_ids.iter().copied()))
            .filter(run::Column::Status.ne(entity::RunStatus::Cancelled))
            .all(db)
            .await?;
        let places = places(db).await?;
        for s in sessions.iter().filter(|s| s.ends_at > now) {
            let Some(r) = runs.iter().find(|r| r.id == s.run_id) else {
                continue;
            };
            let Some(row) = own_rows.iter().find(|row| row.id == r.id) else {
                continue;
            };
            let of_run: Vec<&session::Model> =
                sessions.iter().filter(|x| x.run_id == r.id).collect();
            let number = of_run.iter().position(|x| x.id == s.id).unwrap_or(0) + 1;
            next_sessions.push(MySessionDto {
                run_id: r.id,
                session_id: s.id,
                attendance_open: crate::rules::attendance::is_open(s.starts_at, now),
                course_title: row.course_title.clone(),
                school_name: row.school_name.clone(),
                starts: to_local(s.starts_at),
                ends: to_local(s.ends_at),
                number: u32::try_from(number).unwrap_or(0),
                of: u32::try_from(of_run.len()).unwrap_or(0),
                place: s
                    .location_id
                    .or(r.location_id)
                    .and_then(|id| places.get(&id).cloned())
                    .or_else(|| s.online_url.as_ref().map(|_| "Online".to_string())),
                confirmed: row.confirmed,
            });
            if next_sessions.len() >= 8 {
                break;
            }
        }
    }

    Ok(next_sessions)
}
