//! Deleting participants' personal data on schedule: a run's bookings (walk-ins included) are
//! made anonymous once its school's retention period has passed since the run's last session
//! (`rules::retention::participant_data_due`). What the reports count stays, so the figures do
//! not change; who it was goes (see `booking::privacy::clear_people`). The timed jobs run it;
//! `server retention --dry-run` shows what would go.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{booking, course, run, school, session};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

use crate::rules::retention::participant_data_due;
use crate::services::booking::privacy::{clear_people, pseudonyms_for};
use crate::services::query::AllInto;
use crate::services::transaction::write;

/// A run whose participants' data is due for deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueRun {
    pub run_id: i32,
    pub school: String,
    pub course: String,
    pub last_session_end: DateTime<Utc>,
    pub months: u32,
    /// Bookings (walk-ins included) that will be made anonymous.
    pub bookings: u64,
}

/// The runs whose participants' data is due at `now` and not yet made anonymous.
pub async fn due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<DueRun>, DbErr> {
    let runs = run::Entity::find()
        .filter(run::Column::AnonymisedAt.is_null())
        .all(db)
        .await?;
    let ids: Vec<i32> = runs.iter().map(|r| r.id).collect();
    let mut last_end: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        let end = last_end.entry(s.run_id).or_insert(s.ends_at);
        *end = (*end).max(s.ends_at);
    }
    let schools: HashMap<i32, school::Model> =
        school::Entity::find().all_into(db, |s| (s.id, s)).await?;
    let courses: HashMap<i32, String> = course::Entity::find()
        .all_into(db, |c| (c.id, c.title))
        .await?;
    let mut due = Vec::new();
    for r in runs {
        let (Some(end), Some(school)) = (last_end.get(&r.id), schools.get(&r.school_id)) else {
            continue;
        };
        let months = u32::try_from(school.retention_months.max(1)).unwrap_or(6);
        if participant_data_due(*end, months) > now {
            continue;
        }
        due.push(DueRun {
            run_id: r.id,
            school: school.name.clone(),
            course: courses.get(&r.course_id).cloned().unwrap_or_default(),
            last_session_end: *end,
            months,
            bookings: 0,
        });
    }
    // The bookings of the due runs, counted in one query.
    let mut counts: HashMap<i32, u64> = HashMap::new();
    let booked: Vec<i32> = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(due.iter().map(|d| d.run_id)))
        .all_into(db, |b| b.run_id)
        .await?;
    for run_id in booked {
        *counts.entry(run_id).or_default() += 1;
    }
    for d in &mut due {
        d.bookings = counts.get(&d.run_id).copied().unwrap_or(0);
    }
    due.sort_by_key(|d| (d.last_session_end, d.run_id));
    Ok(due)
}

/// Makes the participants of every due run anonymous, one run per transaction, and marks the
/// run done. One person's bookings get one pseudonym within a round. Returns what went.
pub async fn apply(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<DueRun>, DbErr> {
    let due = due(db, now).await?;
    let people = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(due.iter().map(|d| d.run_id)))
        .all(db)
        .await?;
    let pseudonyms = &pseudonyms_for(&people);
    for d in &due {
        write(db, |txn| async move {
            // Checked again inside the transaction: another instance may have done it.
            let Some(r) = run::Entity::find_by_id(d.run_id)
                .filter(run::Column::AnonymisedAt.is_null())
                .one(&txn)
                .await?
            else {
                return Ok(());
            };
            let bookings = booking::Entity::find()
                .filter(booking::Column::RunId.eq(r.id))
                .all(&txn)
                .await?;
            clear_people(&txn, &bookings, pseudonyms, true, now).await?;
            run::Entity::update(run::ActiveModel {
                id: Set(r.id),
                anonymised_at: Set(Some(now)),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            Ok::<(), DbErr>(())
        })
        .await?;
    }
    Ok(due)
}
