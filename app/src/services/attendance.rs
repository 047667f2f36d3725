//! Fremmøde: who is on a session's list, what was recorded, and recording it (statuses per
//! person, drop-in headcounts). Walk-ins are seats, so they go through the booking service.

use chrono::{DateTime, Utc};
use entity::{
    AttendanceStatus, BookingStatus, CourseFormat, Perspective, attendance, booking, course,
    headcount, run, school, session, session_absence,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::dto::staff::attendance::{AttendanceRow, SessionChoice};
use crate::rules::attendance::{Closed, Headcount, closed, is_open};
use crate::rules::time::to_local;
use crate::services::transaction::write;

/// A run's sessions, in order.
pub async fn sessions(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await
}

/// The session a form names, if it exists.
pub async fn session(db: &DatabaseConnection, id: &str) -> Result<Option<session::Model>, DbErr> {
    let Ok(id) = id.trim().parse::<i32>() else {
        return Ok(None);
    };
    session::Entity::find_by_id(id).one(db).await
}

/// Whether attendance can be taken for the session now, and if not, why.
pub fn closed_now(s: &session::Model, now: DateTime<Utc>) -> Option<Closed> {
    closed(s.cancelled, s.starts_at, now)
}

/// The page of one session of a run: the run's sessions to choose from, the one shown (the one
/// asked for, else the latest open, else the first), its list of people (none at a drop-in,
/// which counts heads), its headcount, and the course's and school's names.
pub struct Page {
    pub sessions: Vec<SessionChoice>,
    pub chosen: Option<SessionChoice>,
    pub rows: Vec<AttendanceRow>,
    pub headcount: Headcount,
    pub drop_in: bool,
    pub course_title: String,
    pub school_name: String,
}

/// Loads the attendance page of `r` for session `asked` (0 for the one on now).
pub async fn page(
    db: &DatabaseConnection,
    r: &run::Model,
    asked: i32,
    now: DateTime<Utc>,
) -> Result<Page, DbErr> {
    let all = sessions(db, r.id).await?;
    let ids: Vec<i32> = all.iter().map(|s| s.id).collect();
    let with_rows: Vec<i32> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .distinct()
        .filter(attendance::Column::SessionId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let counted: Vec<i32> = headcount::Entity::find()
        .select_only()
        .column(headcount::Column::SessionId)
        .filter(headcount::Column::SessionId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let choices: Vec<SessionChoice> = all
        .iter()
        .enumerate()
        .map(|(i, s)| SessionChoice {
            id: s.id,
            number: i + 1,
            starts: to_local(s.starts_at),
            ends: to_local(s.ends_at),
            cancelled: s.cancelled,
            recorded: with_rows.contains(&s.id) || counted.contains(&s.id),
            open: is_open(s.starts_at, now),
        })
        .collect();
    let chosen = choices
        .iter()
        .find(|c| c.id == asked)
        .or_else(|| choices.iter().rfind(|c| c.open && !c.cancelled))
        .or_else(|| choices.first())
        .cloned();
    let course = course::Entity::find_by_id(r.course_id).one(db).await?;
    let drop_in = course
        .as_ref()
        .is_some_and(|c| c.format == CourseFormat::DropIn);
    let mut rows = Vec::new();
    let mut count = Headcount::default();
    if let Some(c) = &chosen
        && let Some(s) = all.iter().find(|s| s.id == c.id)
    {
        // A drop-in counts heads: no names are sent to the page.
        if !drop_in {
            rows = self::rows(db, s).await?;
        }
        if let Some(h) = headcount::Entity::find_by_id(s.id).one(db).await? {
            let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
            count = Headcount {
                total: n(Some(h.total)),
                own_experience: n(h.own_experience),
                relative: n(h.relative),
                professional: n(h.professional),
                other: n(h.other),
            };
        }
    }
    let school = school::Entity::find_by_id(r.school_id).one(db).await?;
    Ok(Page {
        sessions: choices,
        chosen,
        rows,
        headcount: count,
        drop_in,
        course_title: course.map(|c| c.title).unwrap_or_default(),
        school_name: school.map(|s| s.name).unwrap_or_default(),
    })
}

/// A perspective a walk-in or a headcount may name ("undisclosed" is what is left over).
pub fn perspective(slug: &str) -> Option<Perspective> {
    use crate::rules::vocabulary::Perspective as P;
    P::from_slug(slug)
        .filter(|p| *p != P::Undisclosed)
        .map(Perspective::from)
}

/// Who is on the list of a session: everyone with a seat who had signed up before it
/// ended, and anyone with something recorded for it (also if they left the run later).
pub async fn rows(
    db: &impl ConnectionTrait,
    s: &session::Model,
) -> Result<Vec<AttendanceRow>, DbErr> {
    let recorded = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(s.id))
        .all(db)
        .await?;
    let afbud: Vec<i32> = session_absence::Entity::find()
        .select_only()
        .column(session_absence::Column::BookingId)
        .filter(session_absence::Column::SessionId.eq(s.id))
        .into_tuple()
        .all(db)
        .await?;
    let people = booking::Entity::find()
        .filter(booking::Column::RunId.eq(s.run_id))
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(booking::Column::Status.eq(BookingStatus::Confirmed))
                        .add(booking::Column::CreatedAt.lte(s.ends_at)),
                )
                .add(booking::Column::Id.is_in(recorded.iter().map(|a| a.booking_id))),
        )
        .order_by_asc(booking::Column::Name)
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    Ok(people
        .into_iter()
        .map(|b| {
            let in_advance = afbud.contains(&b.id);
            let status = recorded
                .iter()
                .find(|a| a.booking_id == b.id)
                .map(|a| a.status)
                .or(in_advance.then_some(AttendanceStatus::Afbud));
            AttendanceRow {
                booking_id: b.id,
                name: b.name,
                status: status.map(|s| s.slug().to_string()),
                afbud_in_advance: in_advance,
                walk_in: b.source == crate::rules::vocabulary::source::WALK_IN,
            }
        })
        .collect())
}

/// What [`record`] changed: how many were recorded for the first time, and the corrections
/// as `(booking id, before, after)`.
pub struct Changes {
    pub added: usize,
    pub corrected: Vec<(i32, String, String)>,
}

/// Records statuses for a session in one transaction; two teachers saving at once both
/// land (the later tap wins per person).
pub async fn record(
    db: &DatabaseConnection,
    session_id: i32,
    wanted: &[(i32, AttendanceStatus)],
    by: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    write(db, |txn| async move {
        let before = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(session_id))
            .all(&txn)
            .await?;
        let mut changes = Changes {
            added: 0,
            corrected: Vec::new(),
        };
        for &(booking_id, status) in wanted {
            match before.iter().find(|a| a.booking_id == booking_id) {
                Some(a) if a.status == status => continue,
                Some(a) => changes.corrected.push((
                    booking_id,
                    a.status.slug().into(),
                    status.slug().into(),
                )),
                None => changes.added += 1,
            }
            attendance::Entity::insert(attendance::ActiveModel {
                session_id: Set(session_id),
                booking_id: Set(booking_id),
                status: Set(status),
                recorded_at: Set(now),
                recorded_by: Set(by),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([attendance::Column::SessionId, attendance::Column::BookingId])
                    .update_columns([
                        attendance::Column::Status,
                        attendance::Column::RecordedAt,
                        attendance::Column::RecordedBy,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        }
        Ok(changes)
    })
    .await
}

/// Stores a headcount; returns the earlier total if there was one (a correction).
pub async fn save_headcount(
    db: &DatabaseConnection,
    session_id: i32,
    count: &Headcount,
    by: i32,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let n = |v: Option<u32>| v.and_then(|v| i32::try_from(v).ok());
    let row = headcount::ActiveModel {
        session_id: Set(session_id),
        total: Set(n(count.total).unwrap_or_default()),
        own_experience: Set(n(count.own_experience)),
        relative: Set(n(count.relative)),
        professional: Set(n(count.professional)),
        other: Set(n(count.other)),
        recorded_at: Set(now),
        recorded_by: Set(Some(by)),
    };
    let row = &row;
    write(db, |txn| async move {
        let before = headcount::Entity::find_by_id(session_id).one(&txn).await?;
        headcount::Entity::insert(row.clone())
            .on_conflict(
                OnConflict::column(headcount::Column::SessionId)
                    .update_columns([
                        headcount::Column::Total,
                        headcount::Column::OwnExperience,
                        headcount::Column::Relative,
                        headcount::Column::Professional,
                        headcount::Column::Other,
                        headcount::Column::RecordedAt,
                        headcount::Column::RecordedBy,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        Ok(before.map(|b| b.total))
    })
    .await
}
