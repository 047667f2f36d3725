//! The staff home page: a teacher's next sessions and open tasks; for coordinators, management
//! and administrators the school's runs this term with fill, waiting list and warnings.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::MeDto;
use crate::error::AppError;

/// Something about a run that needs a person's attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// The team lacks a peer or a professional/relative teacher (it cannot be published).
    TeamGap,
    /// Sessions with no place and no online link.
    NoPlace { sessions: u32 },
    /// E-mails to people on the run that could not be delivered.
    MailFailed { messages: u32 },
    /// No sessions yet.
    NoSessions,
}

impl Warning {
    pub fn message_key(&self) -> &'static str {
        match self {
            Warning::TeamGap => "staff.warn.team_gap",
            Warning::NoPlace { .. } => "staff.warn.no_place",
            Warning::MailFailed { .. } => "staff.warn.mail_failed",
            Warning::NoSessions => "staff.warn.no_sessions",
        }
    }

    pub fn count(&self) -> u32 {
        match self {
            Warning::NoPlace { sessions } => *sessions,
            Warning::MailFailed { messages } => *messages,
            _ => 0,
        }
    }
}

/// A run's state as staff see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunState {
    Draft,
    Published,
    Cancelled,
}

impl RunState {
    pub fn label_key(self) -> &'static str {
        match self {
            RunState::Draft => "staff.run_state.draft",
            RunState::Published => "staff.run_state.published",
            RunState::Cancelled => "staff.run_state.cancelled",
        }
    }
}

/// One run in an overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRowDto {
    pub id: i32,
    pub course_title: String,
    pub school_name: String,
    pub state: RunState,
    pub first: Option<NaiveDateTime>,
    pub last: Option<NaiveDateTime>,
    pub sessions: u32,
    pub confirmed: u32,
    pub capacity: Option<u32>,
    pub waiting: u32,
    pub warnings: Vec<Warning>,
    /// The person may open the run's participant list.
    pub may_roster: bool,
    /// The person may edit the run.
    pub may_edit: bool,
}

/// One of a teacher's coming sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySessionDto {
    pub run_id: i32,
    pub session_id: i32,
    /// Attendance can be taken now.
    pub attendance_open: bool,
    pub course_title: String,
    pub school_name: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// "Gang 2 af 4".
    pub number: u32,
    pub of: u32,
    pub place: Option<String>,
    pub confirmed: u32,
}

/// A school's runs this term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolOverviewDto {
    pub id: i32,
    pub name: String,
    pub runs: Vec<RunRowDto>,
    pub may_create: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeDto {
    pub me: MeDto,
    /// "Efterår 2026".
    pub term: (crate::rules::time::Term, i32),
    pub next_sessions: Vec<MySessionDto>,
    /// The person's own runs that need attention.
    pub tasks: Vec<RunRowDto>,
    pub schools: Vec<SchoolOverviewDto>,
}

#[server(endpoint = "personale_forside")]
pub async fn staff_home() -> Result<HomeDto, AppError> {
    use crate::rules::access::{Action, Role};
    use crate::rules::time::to_local;
    use entity::{run, session};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let ctx = super::guard::signed_in().await?;
    let db = &ctx.state.db;
    let me = super::account::me_dto(&ctx).await?;
    let g = &ctx.me.grants;
    let today = to_local(ctx.now).date();
    let crate::rules::time::TermSpan {
        term,
        year,
        from,
        to,
    } = crate::rules::time::term_of(today);

    // The teacher's own runs: where one of their profiles is on the team.
    let own_run_ids = overview::own_runs(db, &ctx.me.teacher_ids).await?;
    let own_rows = overview::rows(
        db,
        g,
        &ctx.me.teacher_ids,
        overview::Scope::Runs(&own_run_ids),
    )
    .await?;
    let tasks: Vec<RunRowDto> = own_rows
        .iter()
        .filter(|r| r.state != RunState::Cancelled && !r.warnings.is_empty())
        .filter(|r| r.last.is_none_or(|l| l.date() >= today))
        .cloned()
        .collect();

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
        let places = overview::places(db).await?;
        for s in sessions.iter().filter(|s| s.ends_at > ctx.now) {
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
                attendance_open: super::attendance::store::is_open(s, ctx.now),
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

    // Schools the person oversees: coordinators, management, administrators.
    let overseen: Vec<(i32, String)> = me
        .schools
        .iter()
        .filter(|(id, _)| g.admin || g.has(*id, Role::Coordinator) || g.has(*id, Role::Management))
        .cloned()
        .collect();
    let mut schools = Vec::new();
    for (id, name) in overseen {
        let runs = overview::rows(
            db,
            g,
            &ctx.me.teacher_ids,
            overview::Scope::SchoolTerm {
                school: id,
                from,
                to,
            },
        )
        .await?;
        schools.push(SchoolOverviewDto {
            id,
            name,
            runs,
            may_create: g.may(Action::CreateRun {
                school: id,
                own_course: false,
            }),
        });
    }
    Ok(HomeDto {
        me,
        term: (term, year),
        next_sessions,
        tasks,
        schools,
    })
}

#[cfg(feature = "ssr")]
pub mod overview {
    //! Runs with their figures and warnings, for the home page and the run lists.

    use std::collections::HashMap;

    use chrono::NaiveDate;
    use entity::{
        BookingStatus, RunStatus, booking, course, location, outbox_message, run, run_teacher,
        school, session, teacher,
    };
    use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

    use super::{RunRowDto, RunState, Warning};
    use crate::rules::access::{Action, Grants};
    use crate::rules::coproduction;
    use crate::rules::time::to_local;
    use crate::rules::vocabulary::TeacherKind;

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
            .all(db)
            .await?
            .into_iter()
            .map(|rt| rt.run_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Place names by id.
    pub async fn places(db: &DatabaseConnection) -> Result<HashMap<i32, String>, DbErr> {
        Ok(location::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect())
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
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
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
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b.run_id))
            .collect();
        let failed = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq(crate::outbox::status::FAILED))
            .filter(outbox_message::Column::BookingId.is_in(booking_run.keys().copied()))
            .all(db)
            .await?;
        let courses: HashMap<i32, String> = course::Entity::find()
            .filter(course::Column::Id.is_in(runs.iter().map(|r| r.course_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect();
        let schools: HashMap<i32, String> = school::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
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
                    state: match r.status {
                        RunStatus::Draft => RunState::Draft,
                        RunStatus::Published => RunState::Published,
                        RunStatus::Cancelled => RunState::Cancelled,
                    },
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
}
