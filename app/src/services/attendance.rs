//! Reading and writing attendance.

use chrono::{DateTime, Duration, Utc};
use entity::{
    AttendanceStatus, BookingStatus, Perspective, attendance, booking, headcount, run, session,
    session_absence,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dto::staff::attendance::{AttendanceRow, HeadcountDto};

/// How long before a session begins its attendance list opens.
pub const OPEN_BEFORE_MINUTES: i64 = 60;
use crate::error::AppError;
use crate::services::staff::guard::Ctx;
use crate::services::transaction::write;

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
pub async fn session(ctx: &Ctx, id: &str) -> Result<Option<session::Model>, AppError> {
    let Ok(id) = id.trim().parse::<i32>() else {
        return Ok(None);
    };
    Ok(session::Entity::find_by_id(id).one(&ctx.state.db).await?)
}

/// The session a form names, with its run, if the person may record attendance for it
/// now. `None` after answering: 404 for no such session, or a redirect back to the page
/// saying why not (cancelled, not begun); 403 for someone not on the team.
pub async fn recordable(
    ctx: &Ctx,
    id: &str,
) -> Result<Option<(session::Model, run::Model)>, AppError> {
    let Some(s) = session(ctx, id).await? else {
        return crate::services::staff::guard::not_found();
    };
    let r = crate::services::staff::access::roster(ctx, s.run_id).await?;
    if let Some(code) = refusal(&s, ctx.now) {
        back(&s, &format!("fejl={code}"));
        return Ok(None);
    }
    Ok(Some((s, r)))
}

/// Sends the browser back to the session's attendance page with `query`.
pub fn back(s: &session::Model, query: &str) {
    leptos_axum::redirect(&format!(
        "/personale/hold/{}/fremmoede?gang={}&{query}",
        s.run_id, s.id
    ));
}

pub fn is_open(s: &session::Model, now: DateTime<Utc>) -> bool {
    s.starts_at - Duration::minutes(OPEN_BEFORE_MINUTES) <= now
}

/// Why attendance cannot be recorded for the session now, as the page's error code.
pub fn refusal(s: &session::Model, now: DateTime<Utc>) -> Option<&'static str> {
    if s.cancelled {
        Some("aflyst")
    } else if !is_open(s, now) {
        Some("fremtid")
    } else {
        None
    }
}

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
    db: &sea_orm::DatabaseConnection,
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
    db: &sea_orm::DatabaseConnection,
    session_id: i32,
    count: &HeadcountDto,
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
