//! Bookings as the person's own pages show them ("Mine tilmeldinger", the confirmation, the
//! reminder's page): with their run, school, place in the queue, deadline and per-session afbud.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{BookingStatus, booking, run, school, session, session_absence};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::lock::entry;
use crate::dto::booking::{BookingState, MyBookingDto};
use crate::dto::catalogue::SchoolDto;
use crate::error::AppError;
use crate::rules::seats;
use crate::rules::time::to_local;
use crate::services::query::AllInto;

/// Bookings as "Mine tilmeldinger" and the confirmation page show them: with their run,
/// school, place in the queue, deadline and per-session afbud.
pub async fn booking_views(
    db: &DatabaseConnection,
    bookings: Vec<booking::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<MyBookingDto>, AppError> {
    let run_ids: Vec<i32> = bookings.iter().map(|b| b.run_id).collect();
    let runs = crate::services::catalogue::runs_by_id(db, &run_ids, now).await?;
    let run_models: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids.iter().copied()))
        .all_into(db, |r| (r.id, r))
        .await?;
    let schools: HashMap<i32, SchoolDto> = school::Entity::find()
        .all_into(db, |s| (s.id, SchoolDto::from(s)))
        .await?;
    let absences = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .all(db)
        .await?;
    // First session of each run (for deadlines), in one query.
    let mut firsts: HashMap<i32, DateTime<Utc>> = HashMap::new();
    let mut links: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(session::Column::Cancelled.eq(false))
        .all(db)
        .await?
    {
        if let Some(link) = &s.online_url {
            links
                .entry(s.run_id)
                .or_default()
                .push((s.id, link.clone()));
        }
        firsts
            .entry(s.run_id)
            .and_modify(|t| *t = (*t).min(s.starts_at))
            .or_insert(s.starts_at);
    }
    // Queue positions need every active booking of the runs involved.
    let active = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .all(db)
        .await?;

    let mut views = Vec::new();
    for b in bookings {
        let (Some(run), Some(model)) = (runs.get(&b.run_id), run_models.get(&b.run_id)) else {
            continue;
        };
        let Some(school) = schools.get(&model.school_id) else {
            continue;
        };
        let entries: Vec<seats::Entry> = active
            .iter()
            .filter(|x| x.run_id == b.run_id)
            .map(entry)
            .collect();
        let state = match b.status {
            BookingStatus::Confirmed => BookingState::Confirmed,
            BookingStatus::Waitlisted => BookingState::Waiting {
                position: seats::position(&entries, b.id).unwrap_or(1),
            },
            BookingStatus::Offered => BookingState::Offered {
                until: to_local(b.offer_expires_at.unwrap_or(now)),
            },
            BookingStatus::Cancelled => BookingState::Cancelled,
            BookingStatus::Expired => BookingState::Expired,
        };
        let first = firsts.get(&b.run_id).copied();
        let cancel_until = first
            .map(|s| s - Duration::hours(i64::from(model.cancel_deadline_hours)))
            .filter(|_| b.status == BookingStatus::Confirmed);
        views.push(MyBookingDto {
            id: b.id,
            can_cancel: b.status.is_active()
                && seats::may_self_cancel(entry(&b).place, first, model.cancel_deadline_hours, now),
            cancel_until: cancel_until.map(to_local),
            absent_sessions: absences
                .iter()
                .filter(|a| a.booking_id == b.id)
                .map(|a| a.session_id)
                .collect(),
            on_behalf: b.booked_by_email.is_some(),
            online_links: if crate::rules::online::sees_links(
                b.status == BookingStatus::Confirmed,
                model.status == entity::RunStatus::Cancelled,
            ) {
                links.get(&b.run_id).cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            state,
            run: run.clone(),
            school: school.clone(),
        });
    }
    Ok(views)
}

/// A booking, by its id.
pub async fn find(
    db: &DatabaseConnection,
    id: i32,
) -> Result<Option<booking::Model>, sea_orm::DbErr> {
    booking::Entity::find_by_id(id).one(db).await
}
