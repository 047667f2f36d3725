//! What the school does to a run that changes seats or tells everyone on it: moving and
//! cancelling sessions, cancelling the run, changing its capacity, giving a waiting person a
//! seat, a walk-in at attendance; and the timed job that ends expired offers. Callers authorise.

use chrono::{DateTime, Utc};
use entity::{BookingStatus, Perspective, RunStatus, booking, run, session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;

use crate::rules::seats::{self as rules, Entry};
use crate::services::outbox::Kind;
use crate::services::transaction::write;

use super::error::BookingError;
use super::lock::*;

/// Moves a session (new times and, if given, a new place) and tells everyone on the run, with an
/// updated calendar entry for those with a seat. Callers authorise.
pub async fn move_session(
    db: &DatabaseConnection,
    session_id: i32,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    location_id: Option<Option<i32>>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    if ends_at <= starts_at {
        return Err(BookingError::SessionNotPossible);
    }
    let old = session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(BookingError::SessionNotPossible)?;
    write(db, |txn| async move {
        let run = lock_run(&txn, old.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let current = session::Entity::find_by_id(session_id)
            .one(&txn)
            .await?
            .ok_or(BookingError::SessionNotPossible)?;
        let mut change: session::ActiveModel = current.clone().into();
        change.starts_at = Set(starts_at);
        change.ends_at = Set(ends_at);
        if let Some(place) = location_id {
            change.location_id = Set(place);
        }
        change.sequence = Set(current.sequence + 1);
        change.update(&txn).await?;
        hook(
            &txn,
            &run,
            crate::services::webhooks::Event::SessionMoved,
            json!({
                "run_id": run.id,
                "session_id": session_id,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "previous_starts_at": current.starts_at,
                "previous_ends_at": current.ends_at,
            }),
            now,
        )
        .await?;
        for b in active_bookings(&txn, run.id).await? {
            notify(
                &txn,
                Kind::SessionChanged,
                &b,
                json!({
                    "run_id": run.id,
                    "session_id": session_id,
                    "old_start": current.starts_at,
                    "old_end": current.ends_at,
                    "note": note,
                }),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Sets the meeting link of a session, and with `following` of every later session of the run,
/// then tells the seat holders with an updated calendar entry (the sessions' SEQUENCE raised).
/// Nobody on the waiting list is told: they get the link with a seat. Returns how many sessions
/// changed. Callers authorise and check the link with [`crate::rules::online::parse_link`].
pub async fn set_online_link(
    db: &DatabaseConnection,
    session_id: i32,
    link: Option<String>,
    following: bool,
    now: DateTime<Utc>,
) -> Result<usize, BookingError> {
    use crate::rules::online::{self, Session};
    use sea_orm::QueryOrder;
    use sea_orm::sea_query::{Expr, ExprTrait};

    let chosen = session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(BookingError::SessionNotPossible)?;
    let link = &link;
    write(db, |txn| async move {
        let run = lock_run(&txn, chosen.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let sessions = session::Entity::find()
            .filter(session::Column::RunId.eq(run.id))
            .order_by_asc(session::Column::StartsAt)
            .order_by_asc(session::Column::Id)
            .all(&txn)
            .await?;
        let facts: Vec<Session<'_>> = sessions
            .iter()
            .map(|s| Session {
                id: s.id,
                cancelled: s.cancelled,
                link: s.online_url.as_deref(),
            })
            .collect();
        let changed = online::sessions_to_change(&facts, session_id, following, link.as_deref());
        if changed.is_empty() {
            return Ok(0);
        }
        session::Entity::update_many()
            .col_expr(session::Column::OnlineUrl, Expr::value(link.clone()))
            .col_expr(
                session::Column::Sequence,
                Expr::col(session::Column::Sequence).add(1),
            )
            .filter(session::Column::Id.is_in(changed.iter().copied()))
            .exec(&txn)
            .await?;
        for b in active_bookings(&txn, run.id).await? {
            if b.status == BookingStatus::Confirmed {
                notify(
                    &txn,
                    Kind::OnlineLink,
                    &b,
                    json!({ "run_id": run.id, "session_ids": changed }),
                    now,
                )
                .await?;
            }
        }
        Ok(changed.len())
    })
    .await
}

/// Cancels one session of a run and tells everyone on it. Callers authorise.
pub async fn cancel_session(
    db: &DatabaseConnection,
    session_id: i32,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let found = session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(BookingError::SessionNotPossible)?;
    write(db, |txn| async move {
        let run = lock_run(&txn, found.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let current = session::Entity::find_by_id(session_id)
            .one(&txn)
            .await?
            .ok_or(BookingError::SessionNotPossible)?;
        if current.cancelled {
            return Ok(());
        }
        let mut change: session::ActiveModel = current.clone().into();
        change.cancelled = Set(true);
        change.sequence = Set(current.sequence + 1);
        change.update(&txn).await?;
        for b in active_bookings(&txn, run.id).await? {
            notify(
                &txn,
                Kind::SessionCancelled,
                &b,
                json!({ "run_id": run.id, "session_id": session_id, "note": note }),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Cancels a whole run: every active booking ends and its person is told, with a calendar
/// cancellation for those who had a seat. Callers authorise.
pub async fn cancel_run(
    db: &DatabaseConnection,
    run_id: i32,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    write(db, |txn| async move {
        let run = lock_run(&txn, run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        if run.status == RunStatus::Cancelled {
            return Ok(());
        }
        let mut change: run::ActiveModel = run.clone().into();
        change.status = Set(RunStatus::Cancelled);
        change.update(&txn).await?;
        hook(
            &txn,
            &run,
            crate::services::webhooks::Event::RunCancelled,
            json!({ "run_id": run.id }),
            now,
        )
        .await?;
        for b in active_bookings(&txn, run.id).await? {
            let had_seat = b.status == BookingStatus::Confirmed;
            let mut end: booking::ActiveModel = b.clone().into();
            end.status = Set(BookingStatus::Cancelled);
            end.offer_expires_at = Set(None);
            end.cancelled_at = Set(Some(now));
            end.updated_at = Set(Some(now));
            end.calendar_seq = Set(b.calendar_seq + 1);
            let ended = end.update(&txn).await?;
            notify(
                &txn,
                Kind::RunCancelled,
                &ended,
                json!({ "run_id": run.id, "had_seat": had_seat, "note": note }),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Changes a run's capacity; a raise fills seats from the queue at once. Callers authorise.
pub async fn set_capacity(
    db: &DatabaseConnection,
    run_id: i32,
    capacity: i32,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    write(db, |txn| async move {
        let run = lock_run(&txn, run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let mut bookings = active_bookings(&txn, run.id).await?;
        let entries: Vec<Entry> = bookings.iter().map(entry).collect();
        if capacity < 0 || !rules::may_set_capacity(&entries, capacity as u32) {
            return Err(BookingError::CapacityTooLow);
        }
        let mut change: run::ActiveModel = run.clone().into();
        change.capacity = Set(Some(capacity));
        let run = change.update(&txn).await?;
        settle_locked(
            &txn,
            &run,
            first_start(&txn, run.id).await?,
            &mut bookings,
            now,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Gives a waiting (or offered) person a free seat, out of queue order: staff deciding who
/// gets a seat that is free. Never overbooks: with no free seat the answer is `Full`. Callers
/// authorise.
pub async fn staff_give_seat(
    db: &DatabaseConnection,
    booking_id: i32,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let found = booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .ok_or(BookingError::NoSuchBooking)?;
    write(db, |txn| async move {
        let run = lock_run(&txn, found.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        if run.status == RunStatus::Cancelled {
            return Err(BookingError::RunCancelled);
        }
        let bookings = active_bookings(&txn, run.id).await?;
        let Some(b) = bookings
            .iter()
            .find(|b| b.id == booking_id)
            .filter(|b| b.status != BookingStatus::Confirmed)
        else {
            return Err(BookingError::NoSuchBooking);
        };
        // Seats held by others: confirmed, and offers still open to someone else.
        let held = bookings
            .iter()
            .filter(|x| x.id != booking_id)
            .filter(|x| matches!(x.status, BookingStatus::Confirmed | BookingStatus::Offered))
            .count();
        let capacity = run
            .capacity
            .and_then(|c| usize::try_from(c).ok())
            .unwrap_or(0);
        if held >= capacity {
            return Err(BookingError::Full);
        }
        let mut change: booking::ActiveModel = b.clone().into();
        change.status = Set(BookingStatus::Confirmed);
        change.offer_expires_at = Set(None);
        change.updated_at = Set(Some(now));
        let updated = change.update(&txn).await?;
        notify(
            &txn,
            Kind::WaitlistPromoted,
            &updated,
            json!({ "run_id": run.id, "offer_until": null }),
            now,
        )
        .await?;
        hook(
            &txn,
            &run,
            crate::services::webhooks::Event::BookingPromoted,
            json!({ "booking_id": booking_id, "run_id": run.id, "status": "confirmed" }),
            now,
        )
        .await?;
        became_full(&txn, &run, held + 1, now).await?;
        Ok(())
    })
    .await
}

/// A seat for someone who came without signing up, marked present at the session. They are
/// there, so they get a seat whatever the run's capacity; the run's lock is taken all the same,
/// so the seat count every other booking action decides from includes them. There is no e-mail,
/// so no message goes to them; the key only keeps the one-booking-per-e-mail rule from matching
/// other walk-ins.
pub async fn walk_in(
    db: &sea_orm::DatabaseConnection,
    run_id: i32,
    s: &session::Model,
    name: &str,
    perspective: Option<Perspective>,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BookingError> {
    write(db, |txn| async move {
        let r = lock_run(&txn, run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let b = booking::ActiveModel {
            run_id: Set(r.id),
            name: Set(name.into()),
            email: Set(String::new()),
            email_key: Set(format!("walk-in:{}", crate::services::tokens::new_token())),
            phone: Set(None),
            perspective: Set(perspective),
            municipality: Set(None),
            needs: Set(String::new()),
            status: Set(BookingStatus::Confirmed),
            queue_no: Set(None),
            offer_expires_at: Set(None),
            consent_version: Set(String::new()),
            consent_at: Set(None),
            booked_by_name: Set(None),
            booked_by_email: Set(None),
            source: Set(crate::rules::vocabulary::source::WALK_IN.into()),
            locale: Set("da".into()),
            receipt_hash: Set(None),
            created_at: Set(s.starts_at.min(now)),
            updated_at: Set(None),
            cancelled_at: Set(None),
            calendar_seq: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        entity::attendance::ActiveModel {
            session_id: Set(s.id),
            booking_id: Set(b.id),
            status: Set(entity::AttendanceStatus::Present),
            recorded_at: Set(now),
            recorded_by: Set(Some(by)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        hook(
            &txn,
            &r,
            crate::services::webhooks::Event::BookingCreated,
            json!({
                "booking_id": b.id,
                "run_id": r.id,
                "status": "confirmed",
                "source": crate::rules::vocabulary::source::WALK_IN,
            }),
            now,
        )
        .await?;
        Ok(b.id)
    })
    .await
}

/// Ends waiting-list offers whose deadline has passed and passes their seats on. Run by a
/// background task; every booking action on a run does the same for that run.
pub async fn expire_offers(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u32, BookingError> {
    let run_ids: Vec<i32> = booking::Entity::find()
        .select_only()
        .column(booking::Column::RunId)
        .distinct()
        .filter(booking::Column::Status.eq(BookingStatus::Offered))
        .filter(booking::Column::OfferExpiresAt.lte(now))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    for run_id in &run_ids {
        write::<_, BookingError, _, _>(db, |txn| async move {
            if let Some(run) = lock_run(&txn, *run_id).await? {
                let mut bookings = active_bookings(&txn, run.id).await?;
                settle_locked(
                    &txn,
                    &run,
                    first_start(&txn, run.id).await?,
                    &mut bookings,
                    now,
                )
                .await?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(run_ids.len() as u32)
}
