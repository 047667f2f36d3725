//! A school's own data for the keyed part of the API: its runs' lists of people, attendance
//! and bookings. The API checks the key; these read what it may show.

use std::collections::HashMap;

use entity::{BookingStatus, attendance, booking, course, headcount, run, school, session};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::rules::seats;
use crate::services::booking::entry;
use crate::services::query::AllInto;

/// A school, by its slug.
pub async fn school(db: &DatabaseConnection, slug: &str) -> Result<Option<school::Model>, DbErr> {
    school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// A run of the school; `None` for another school's.
pub async fn run(
    db: &DatabaseConnection,
    school_id: i32,
    run_id: i32,
) -> Result<Option<run::Model>, DbErr> {
    Ok(run::Entity::find_by_id(run_id)
        .one(db)
        .await?
        .filter(|r| r.school_id == school_id))
}

/// A session, by its id.
pub async fn session(db: &DatabaseConnection, id: i32) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

/// The run's course title and its people with a seat, an open offer or a place in the queue:
/// seats first, then the queue in order.
pub async fn roster(
    db: &DatabaseConnection,
    r: &run::Model,
) -> Result<(String, Vec<(booking::Model, Option<u32>)>), DbErr> {
    let title = course::Entity::find_by_id(r.course_id)
        .one(db)
        .await?
        .map(|c| c.title)
        .unwrap_or_default();
    let bookings: Vec<booking::Model> = booking::Entity::find()
        .filter(booking::Column::RunId.eq(r.id))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Confirmed,
            BookingStatus::Offered,
            BookingStatus::Waitlisted,
        ]))
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let entries: Vec<seats::Entry> = bookings.iter().map(entry).collect();
    let mut listed: Vec<(booking::Model, Option<u32>)> = bookings
        .into_iter()
        .map(|b| {
            let position = (b.status == BookingStatus::Waitlisted)
                .then(|| seats::position(&entries, b.id))
                .flatten();
            (b, position)
        })
        .collect();
    listed.sort_by_key(|(b, position)| (position.is_some(), *position, b.id));
    Ok((title, listed))
}

/// A run's sessions in order, the marks of each (by booking), and drop-in headcounts.
pub struct RunAttendance {
    pub sessions: Vec<session::Model>,
    pub marks: HashMap<i32, Vec<attendance::Model>>,
    pub heads: HashMap<i32, i32>,
}

/// Attendance at every session of a run.
pub async fn attendance(db: &DatabaseConnection, run_id: i32) -> Result<RunAttendance, DbErr> {
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await?;
    let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let mut marks: HashMap<i32, Vec<attendance::Model>> = HashMap::new();
    for a in attendance::Entity::find()
        .filter(attendance::Column::SessionId.is_in(ids.clone()))
        .order_by_asc(attendance::Column::BookingId)
        .all(db)
        .await?
    {
        marks.entry(a.session_id).or_default().push(a);
    }
    let heads = headcount::Entity::find()
        .filter(headcount::Column::SessionId.is_in(ids))
        .all_into(db, |h| (h.session_id, h.total))
        .await?;
    Ok(RunAttendance {
        sessions,
        marks,
        heads,
    })
}

/// The ids of every booking on a run, whatever its status.
pub async fn bookings_on_run(db: &DatabaseConnection, run_id: i32) -> Result<Vec<i32>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .all_into(db, |b| b.id)
        .await
}

/// Every booking of the school's runs, by id, each with its course's slug.
pub async fn bookings(
    db: &DatabaseConnection,
    school_id: i32,
) -> Result<Vec<(booking::Model, String)>, DbErr> {
    let runs: HashMap<i32, i32> = run::Entity::find()
        .filter(run::Column::SchoolId.eq(school_id))
        .all_into(db, |r| (r.id, r.course_id))
        .await?;
    let courses: HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::SchoolId.eq(school_id))
        .all_into(db, |c| (c.id, c.slug))
        .await?;
    Ok(booking::Entity::find()
        .filter(booking::Column::RunId.is_in(runs.keys().copied()))
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|b| {
            let slug = runs
                .get(&b.run_id)
                .and_then(|c| courses.get(c))
                .cloned()
                .unwrap_or_default();
            (b, slug)
        })
        .collect())
}
