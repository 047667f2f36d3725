//! Runs in the staff workspace: the run editor's data, saving a run's settings, its teacher
//! team and sessions, publishing under the co-production rule, and copying a run to a later
//! date. What changes seats or tells people (capacity, moving and cancelling sessions,
//! cancelling the run) goes through the booking service.

use chrono::{DateTime, Duration, Utc};
use entity::{
    BookingStatus, CourseStatus, RunStatus, WaitlistMode, booking, course, location, run,
    run_teacher, school, session, teacher,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::dto::staff::runs::{
    CourseChoice, PlaceOption, RunRefusal, RunSettings, RunValues, SessionRow, TeacherOption,
};
use crate::rules::access::{Action, Grants};
use crate::rules::coproduction;
use crate::rules::time::{date_time_to_utc, signup_window, to_local};
use crate::rules::vocabulary::TeacherKind;
use crate::services::query::AllInto;
use crate::services::staff::overview;
use crate::services::transaction::write;

/// The courses (not archived) a person may make a run of, by title.
pub async fn course_choices(
    db: &DatabaseConnection,
    grants: &Grants,
    teacher_ids: &[i32],
) -> Result<Vec<CourseChoice>, DbErr> {
    let schools = super::schools(db).await?;
    let own: Vec<i32> = if teacher_ids.is_empty() {
        Vec::new()
    } else {
        entity::course_teacher::Entity::find()
            .filter(entity::course_teacher::Column::TeacherId.is_in(teacher_ids.iter().copied()))
            .all_into(db, |ct| ct.course_id)
            .await?
    };
    Ok(course::Entity::find()
        .filter(course::Column::Status.ne(CourseStatus::Archived))
        .order_by_asc(course::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| {
            schools.iter().any(|(s, _)| {
                grants.may(Action::CreateRun {
                    school: *s,
                    own_course: own.contains(&c.id),
                })
            })
        })
        .map(|c| CourseChoice {
            id: c.id,
            school_name: schools
                .iter()
                .find(|(s, _)| *s == c.school_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            title: c.title,
        })
        .collect())
}

/// A run's settings as its form shows them.
pub fn settings_of(r: &run::Model) -> RunSettings {
    RunSettings {
        school_id: r.school_id,
        location_id: r.location_id,
        capacity: r.capacity,
        waitlist: r.waitlist_enabled,
        waitlist_mode: match r.waitlist_mode {
            WaitlistMode::Automatic => "automatic".into(),
            WaitlistMode::Offer => "offer".into(),
        },
        offer_hours: r.offer_hours,
        opens: r.signup_opens_at.map(to_local),
        closes: r.signup_closes_at.map(to_local),
        cancel_deadline_hours: r.cancel_deadline_hours,
        reminder_lead_hours: r.reminder_lead_hours,
        note: r.note.clone(),
    }
}

/// What the run editor shows besides the run's own settings.
pub struct Editor {
    /// Every school, by name, closed ones too (a run of one still shows its school's name).
    pub schools: Vec<school::Model>,
    pub places: Vec<PlaceOption>,
    pub team: Vec<TeacherOption>,
    pub candidates: Vec<TeacherOption>,
    pub sessions: Vec<SessionRow>,
    pub confirmed: u32,
    pub waiting: u32,
}

/// Loads the editor of `existing` (or of a new run: no team, sessions or bookings).
pub async fn editor(
    db: &DatabaseConnection,
    existing: Option<&run::Model>,
) -> Result<Editor, DbErr> {
    let schools = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    // Places in use; a retired one only where this run already has it.
    let mut kept: Vec<i32> = existing.and_then(|r| r.location_id).into_iter().collect();
    if let Some(r) = existing {
        kept.extend(
            session::Entity::find()
                .filter(session::Column::RunId.eq(r.id))
                .all_into::<_, Vec<_>, _>(db, |s| s.location_id)
                .await?
                .into_iter()
                .flatten(),
        );
    }
    let places = location::Entity::find()
        .order_by_asc(location::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|p| !p.retired || kept.contains(&p.id))
        .map(|p| PlaceOption {
            id: p.id,
            name: p.name,
            school_id: p.school_id,
        })
        .collect();
    let team_ids: Vec<i32> = match existing {
        Some(r) => {
            run_teacher::Entity::find()
                .filter(run_teacher::Column::RunId.eq(r.id))
                .all_into(db, |t| t.teacher_id)
                .await?
        }
        None => Vec::new(),
    };
    let (team, candidates) = super::courses::teacher_options(db)
        .await?
        .into_iter()
        .partition(|t| team_ids.contains(&t.id));
    let sessions = match existing {
        Some(r) => session::Entity::find()
            .filter(session::Column::RunId.eq(r.id))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await?
            .into_iter()
            .map(|s| SessionRow {
                id: s.id,
                starts: to_local(s.starts_at),
                ends: to_local(s.ends_at),
                location_id: s.location_id,
                online_url: s.online_url,
                cancelled: s.cancelled,
            })
            .collect(),
        None => Vec::new(),
    };
    let (confirmed, waiting) = match existing {
        Some(r) => {
            let active = booking::Entity::find()
                .filter(booking::Column::RunId.eq(r.id))
                .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
                .all(db)
                .await?;
            let confirmed = active
                .iter()
                .filter(|b| b.status == BookingStatus::Confirmed)
                .count();
            (
                u32::try_from(confirmed).unwrap_or(0),
                u32::try_from(active.len() - confirmed).unwrap_or(0),
            )
        }
        None => (0, 0),
    };
    Ok(Editor {
        schools,
        places,
        team,
        candidates,
        sessions,
        confirmed,
        waiting,
    })
}

/// Whether a run of `school_id` may be held at place `id`: a place of the same school that
/// is in use, or a retired one it already has (`kept`).
pub async fn place_usable(
    db: &DatabaseConnection,
    id: i32,
    school_id: i32,
    kept: &[Option<i32>],
) -> Result<bool, DbErr> {
    Ok(location::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|p| p.school_id == school_id && (!p.retired || kept.contains(&Some(id)))))
}

/// Saves an existing run's settings other than its capacity (which goes through the seat
/// rules: `booking::set_capacity`).
pub async fn save_settings(
    db: &DatabaseConnection,
    r: &run::Model,
    v: &RunValues,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut m: run::ActiveModel = r.clone().into();
        m.location_id = Set(v.location_id);
        m.waitlist_enabled = Set(v.waitlist);
        m.waitlist_mode = Set(mode(v));
        m.offer_hours = Set(v.offer_hours);
        m.signup_opens_at = Set(v.opens);
        m.signup_closes_at = Set(v.closes);
        m.cancel_deadline_hours = Set(v.cancel_deadline_hours);
        m.reminder_lead_hours = Set(v.reminder_lead_hours);
        m.note = Set(v.note.clone());
        m.update(&txn).await?;
        Ok(())
    })
    .await
}

fn mode(v: &RunValues) -> WaitlistMode {
    if v.offer_mode {
        WaitlistMode::Offer
    } else {
        WaitlistMode::Automatic
    }
}

/// Creates a run of a course at a school, as a draft. Returns its id.
pub async fn create(
    db: &DatabaseConnection,
    course_id: i32,
    school_id: i32,
    v: &RunValues,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    write(db, |txn| async move {
        Ok(run::ActiveModel {
            course_id: Set(course_id),
            school_id: Set(school_id),
            location_id: Set(v.location_id),
            capacity: Set(v.capacity),
            waitlist_enabled: Set(v.waitlist),
            signup_opens_at: Set(v.opens),
            signup_closes_at: Set(v.closes),
            waitlist_mode: Set(mode(v)),
            offer_hours: Set(v.offer_hours),
            cancel_deadline_hours: Set(v.cancel_deadline_hours),
            booking_rev: Set(0),
            status: Set(RunStatus::Draft),
            note: Set(v.note.clone()),
            reminder_lead_hours: Set(v.reminder_lead_hours),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?
        .id)
    })
    .await
}

/// A teacher profile, by its id.
pub async fn teacher(db: &DatabaseConnection, id: i32) -> Result<Option<teacher::Model>, DbErr> {
    teacher::Entity::find_by_id(id).one(db).await
}

/// Puts a teacher on the run's team (no change if they are on it).
pub async fn add_teacher(
    db: &DatabaseConnection,
    run_id: i32,
    teacher_id: i32,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        if run_teacher::Entity::find_by_id((run_id, teacher_id))
            .one(&txn)
            .await?
            .is_none()
        {
            run_teacher::ActiveModel {
                run_id: Set(run_id),
                teacher_id: Set(teacher_id),
            }
            .insert(&txn)
            .await?;
        }
        Ok(())
    })
    .await
}

/// Takes a teacher off the team. A published run keeps a co-producing team: the last peer or
/// the last professional/relative cannot be taken off.
pub async fn remove_teacher(
    db: &DatabaseConnection,
    r: &run::Model,
    teacher_id: i32,
) -> Result<Result<(), RunRefusal>, DbErr> {
    if r.status == RunStatus::Published {
        let mut kinds = overview::team_kinds(db, &[r.id])
            .await?
            .remove(&r.id)
            .unwrap_or_default();
        if let Some(t) = teacher(db, teacher_id).await? {
            let kind: TeacherKind = t.kind.into();
            if let Some(i) = kinds.iter().position(|k| *k == kind) {
                kinds.remove(i);
            }
        }
        if !coproduction::may_publish(&kinds) {
            return Ok(Err(RunRefusal::TeamPublished));
        }
    }
    write::<_, DbErr, _, _>(db, |txn| async move {
        run_teacher::Entity::delete_by_id((r.id, teacher_id))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(Ok(()))
}

/// A session, by its id.
pub async fn session(db: &DatabaseConnection, id: i32) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

/// Adds a session to a run.
pub async fn add_session(
    db: &DatabaseConnection,
    run_id: i32,
    (starts, ends): (DateTime<Utc>, DateTime<Utc>),
    location_id: Option<i32>,
    online_url: Option<String>,
) -> Result<(), DbErr> {
    let online_url = &online_url;
    write(db, |txn| async move {
        session::ActiveModel {
            run_id: Set(run_id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            location_id: Set(location_id),
            online_url: Set(online_url.clone()),
            cancelled: Set(false),
            sequence: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Ok(())
    })
    .await
}

/// Publishes a draft run: it must have a co-producing team and a session, and its course must
/// be published. Whoever asked "Giv mig besked" about the course is told, once.
pub async fn publish(
    db: &DatabaseConnection,
    r: &run::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<(), RunRefusal>, DbErr> {
    if r.status != RunStatus::Draft {
        return Ok(Err(RunRefusal::NotDraft));
    }
    let kinds = overview::team_kinds(db, &[r.id])
        .await?
        .remove(&r.id)
        .unwrap_or_default();
    if !coproduction::may_publish(&kinds) {
        return Ok(Err(RunRefusal::Team));
    }
    let Some(first) = session::Entity::find()
        .filter(session::Column::RunId.eq(r.id))
        .filter(session::Column::Cancelled.eq(false))
        .order_by_asc(session::Column::StartsAt)
        .one(db)
        .await?
    else {
        return Ok(Err(RunRefusal::NoSessions));
    };
    let published = course::Entity::find_by_id(r.course_id)
        .one(db)
        .await?
        .is_some_and(|c| c.status == CourseStatus::Published);
    if !published {
        return Ok(Err(RunRefusal::CourseDraft));
    }
    // A window the run leaves open follows the school's defaults, from the first session.
    let school = school::Entity::find_by_id(r.school_id).one(db).await?;
    let own = (r.signup_opens_at, r.signup_closes_at);
    let (opens, closes) = school.map_or(own, |s| {
        signup_window(
            own,
            (s.signup_opens_days, s.signup_closes_hours),
            first.starts_at,
        )
    });
    write::<_, DbErr, _, _>(db, |txn| async move {
        run::Entity::update_many()
            .col_expr(run::Column::Status, Expr::value(RunStatus::Published))
            .col_expr(run::Column::SignupOpensAt, Expr::value(opens))
            .col_expr(run::Column::SignupClosesAt, Expr::value(closes))
            .filter(run::Column::Id.eq(r.id))
            .filter(run::Column::Status.eq(RunStatus::Draft))
            .exec(&txn)
            .await?;
        crate::services::watch::tell_about_new_run(&txn, r.course_id, r.id, now).await?;
        Ok(())
    })
    .await?;
    Ok(Ok(()))
}

/// Copies a run to a later date: same settings and team, every session `weeks` weeks later at
/// the same local time of day (also across a change to or from summer time), as a new draft
/// with no bookings. Returns the copy's id.
pub async fn duplicate(
    db: &DatabaseConnection,
    r: &run::Model,
    weeks: i32,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let shift = Duration::weeks(i64::from(weeks));
    write(db, |txn| async move {
        let copy = run::ActiveModel {
            course_id: Set(r.course_id),
            school_id: Set(r.school_id),
            location_id: Set(r.location_id),
            capacity: Set(r.capacity),
            waitlist_enabled: Set(r.waitlist_enabled),
            signup_opens_at: Set(r.signup_opens_at.map(|t| t + shift)),
            signup_closes_at: Set(r.signup_closes_at.map(|t| t + shift)),
            waitlist_mode: Set(r.waitlist_mode),
            offer_hours: Set(r.offer_hours),
            cancel_deadline_hours: Set(r.cancel_deadline_hours),
            booking_rev: Set(0),
            status: Set(RunStatus::Draft),
            note: Set(r.note.clone()),
            reminder_lead_hours: Set(r.reminder_lead_hours),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for t in run_teacher::Entity::find()
            .filter(run_teacher::Column::RunId.eq(r.id))
            .all(&txn)
            .await?
        {
            run_teacher::ActiveModel {
                run_id: Set(copy.id),
                teacher_id: Set(t.teacher_id),
            }
            .insert(&txn)
            .await?;
        }
        for s in session::Entity::find()
            .filter(session::Column::RunId.eq(r.id))
            .filter(session::Column::Cancelled.eq(false))
            .all(&txn)
            .await?
        {
            let local_start = to_local(s.starts_at) + shift;
            let local_end = to_local(s.ends_at) + shift;
            let (Some(starts), Some(ends)) = (
                date_time_to_utc(local_start.date(), local_start.time()),
                date_time_to_utc(local_end.date(), local_end.time()),
            ) else {
                continue;
            };
            session::ActiveModel {
                run_id: Set(copy.id),
                starts_at: Set(starts),
                ends_at: Set(ends),
                location_id: Set(s.location_id),
                online_url: Set(s.online_url.clone()),
                cancelled: Set(false),
                sequence: Set(0),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        Ok(copy.id)
    })
    .await
}
