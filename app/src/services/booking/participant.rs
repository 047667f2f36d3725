//! What a participant does with their booking: afbud for the run or one session, accepting an
//! offer, answering the reminder. Each checks that the person may act on the booking.

use chrono::{DateTime, Utc};
use entity::{BookingStatus, booking, session, session_absence};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::rules::seats::{self as rules};
use crate::services::outbox::Kind;
use crate::services::transaction::write;

use super::error::BookingError;
use super::lock::*;

/// What a cancellation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelOutcome {
    Cancelled {
        was: BookingStatus,
    },
    /// It was already cancelled (a second click).
    AlreadyGone,
}

/// Who is acting on a booking.
#[derive(Clone, Debug)]
pub enum Actor {
    /// The participant, through their "Mine tilmeldinger" link for this e-mail key.
    Participant { email_key: String },
    /// A staff member (authorised by the caller); deadlines do not apply.
    Staff,
    /// The reminder's "Jeg kan ikke alligevel" link for one booking: it may cancel that booking
    /// until the first session starts, whatever the self-cancellation deadline, because the
    /// reminder asks exactly that.
    Reply { booking_id: i32 },
}

impl Actor {
    fn owns(&self, b: &booking::Model) -> bool {
        match self {
            Actor::Participant { email_key } => &b.email_key == email_key,
            Actor::Staff => true,
            Actor::Reply { booking_id } => b.id == *booking_id,
        }
    }
}

/// A session of the booking's run that has not started yet.
async fn session_ahead(
    db: &DatabaseConnection,
    b: &booking::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<session::Model, BookingError> {
    session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .filter(|s| s.run_id == b.run_id && s.starts_at > now)
        .ok_or(BookingError::SessionNotPossible)
}

/// Loads a booking the actor may act on.
async fn owned_booking(
    db: &DatabaseConnection,
    booking_id: i32,
    actor: &Actor,
) -> Result<booking::Model, BookingError> {
    booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .filter(|b| actor.owns(b))
        .ok_or(BookingError::NoSuchBooking)
}

/// Cancels a booking: afbud for a seat, leaving the waiting list, or turning down an offer. The
/// freed seat goes to the next in line in the same transaction.
pub async fn cancel(
    db: &DatabaseConnection,
    booking_id: i32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<CancelOutcome, BookingError> {
    let found = owned_booking(db, booking_id, actor).await?;
    write(db, |txn| async move {
        let run = lock_run(&txn, found.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let mut bookings = active_bookings(&txn, run.id).await?;
        let Some(b) = bookings.iter().find(|b| b.id == booking_id).cloned() else {
            return Ok(CancelOutcome::AlreadyGone);
        };
        let first = first_start(&txn, run.id).await?;
        let allowed = match actor {
            Actor::Participant { .. } => {
                rules::may_self_cancel(entry(&b).place, first, run.cancel_deadline_hours, now)
            }
            Actor::Reply { .. } => first.is_some_and(|f| f > now),
            Actor::Staff => true,
        };
        if !allowed {
            return Err(BookingError::TooLate);
        }
        let was = b.status;
        let mut change: booking::ActiveModel = b.clone().into();
        change.status = Set(BookingStatus::Cancelled);
        change.offer_expires_at = Set(None);
        change.cancelled_at = Set(Some(now));
        change.updated_at = Set(Some(now));
        if was == BookingStatus::Confirmed {
            // The cancellation's calendar entries must outrank the invitation's.
            change.calendar_seq = Set(b.calendar_seq + 1);
        }
        let cancelled = change.update(&txn).await?;
        notify(
            &txn,
            Kind::BookingCancelled,
            &cancelled,
            json!({ "run_id": run.id, "was": status_slug(was) }),
            now,
        )
        .await?;
        hook(
            &txn,
            &run,
            crate::services::webhooks::Event::BookingCancelled,
            json!({ "booking_id": booking_id, "run_id": run.id, "previous_status": status_slug(was) }),
            now,
        )
        .await?;
        bookings.retain(|x| x.id != booking_id);
        settle_locked(&txn, &run, first, &mut bookings, now).await?;
        Ok(CancelOutcome::Cancelled { was })
    })
    .await
}

/// Accepts a waiting-list offer before its deadline.
pub async fn accept_offer(
    db: &DatabaseConnection,
    booking_id: i32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let found = owned_booking(db, booking_id, actor).await?;
    // An offer that ran out stays ended even though the answer is a refusal.
    write::<_, BookingError, _, _>(db, |txn| async move {
        let run = lock_run(&txn, found.run_id)
            .await?
            .ok_or(BookingError::NoSuchRun)?;
        let mut bookings = active_bookings(&txn, run.id).await?;
        // Expired offers end first, so a late acceptance finds its offer gone.
        settle_locked(
            &txn,
            &run,
            first_start(&txn, run.id).await?,
            &mut bookings,
            now,
        )
        .await?;
        let Some(b) = bookings.iter().find(|b| b.id == booking_id).cloned() else {
            return Ok(Err(BookingError::OfferExpired));
        };
        match b.status {
            BookingStatus::Confirmed => {
                return Ok(Ok(()));
            }
            BookingStatus::Offered => {}
            _ => {
                return Ok(Err(BookingError::OfferExpired));
            }
        }
        let mut change: booking::ActiveModel = b.clone().into();
        change.status = Set(BookingStatus::Confirmed);
        change.offer_expires_at = Set(None);
        change.updated_at = Set(Some(now));
        change.update(&txn).await?;
        notify(
            &txn,
            Kind::BookingConfirmed,
            &b,
            json!({ "run_id": run.id, "from_offer": true }),
            now,
        )
        .await?;
        Ok(Ok(()))
    })
    .await?
}

/// Afbud for one session of a run the person keeps their seat on. Allowed until the session
/// starts; giving it twice is harmless.
pub async fn session_afbud(
    db: &DatabaseConnection,
    booking_id: i32,
    session_id: i32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let b = owned_booking(db, booking_id, actor).await?;
    if b.status != BookingStatus::Confirmed {
        return Err(BookingError::SessionNotPossible);
    }
    let session = session_ahead(db, &b, session_id, now).await?;
    if session.cancelled {
        return Err(BookingError::SessionNotPossible);
    }
    write(db, |txn| async move {
        let already = session_absence::Entity::find()
            .filter(session_absence::Column::BookingId.eq(b.id))
            .filter(session_absence::Column::SessionId.eq(session.id))
            .one(&txn)
            .await?;
        if already.is_none() {
            session_absence::ActiveModel {
                booking_id: Set(b.id),
                session_id: Set(session.id),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let b = bump_calendar(&txn, b.id).await?;
            notify(
                &txn,
                Kind::SessionAfbud,
                &b,
                json!({ "run_id": b.run_id, "session_id": session.id }),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Takes back an afbud for one session ("I can come after all"), while the session is ahead.
pub async fn withdraw_session_afbud(
    db: &DatabaseConnection,
    booking_id: i32,
    session_id: i32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let b = owned_booking(db, booking_id, actor).await?;
    let session = session_ahead(db, &b, session_id, now).await?;
    write(db, |txn| async move {
        let removed = session_absence::Entity::delete_many()
            .filter(session_absence::Column::BookingId.eq(b.id))
            .filter(session_absence::Column::SessionId.eq(session.id))
            .exec(&txn)
            .await?
            .rows_affected;
        if removed > 0 {
            let b = bump_calendar(&txn, b.id).await?;
            notify(
                &txn,
                Kind::SessionReturn,
                &b,
                json!({ "run_id": b.run_id, "session_id": session.id }),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// The person answered the reminder with "Ja, jeg kommer". Saying it twice is harmless.
pub async fn confirm_coming(
    db: &DatabaseConnection,
    booking_id: i32,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let b = booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .filter(|b| b.status == BookingStatus::Confirmed)
        .ok_or(BookingError::NoSuchBooking)?;
    if b.rsvp.is_some() {
        return Ok(());
    }
    write(db, |txn| async move {
        booking::Entity::update_many()
            .col_expr(booking::Column::Rsvp, Expr::value("coming"))
            .col_expr(booking::Column::RsvpAt, Expr::value(now))
            .filter(booking::Column::Id.eq(b.id))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}

/// Gives a person signed up by phone without e-mail their e-mail address (staff, on their
/// word): from now on they get the normal mails, starting with where they stand now (a seat
/// with its calendar invitation, a place in the queue, or an open offer). `Ok(false)` when the
/// run already has an active booking for that address. Callers authorise and check the address.
pub async fn give_email(
    db: &DatabaseConnection,
    booking_id: i32,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, BookingError> {
    use crate::rules::signup::{email_key, is_phone_key};
    let found = booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .filter(|b| b.email.is_empty() && is_phone_key(&b.email_key))
        .ok_or(BookingError::NoSuchBooking)?;
    let key = email_key(email);
    let run_id = found.run_id;
    write(db, |txn| {
        let key = key.clone();
        async move {
            let run = lock_run(&txn, run_id)
                .await?
                .ok_or(BookingError::NoSuchRun)?;
            let b = booking::Entity::find_by_id(booking_id)
                .one(&txn)
                .await?
                .filter(|b| b.email.is_empty() && b.status.is_active())
                .ok_or(BookingError::NoSuchBooking)?;
            let taken = active_bookings(&txn, run.id)
                .await?
                .iter()
                .any(|other| other.email_key == key);
            if taken {
                return Ok(false);
            }
            let mut change: booking::ActiveModel = b.clone().into();
            change.email = Set(email.trim().to_string());
            change.email_key = Set(key);
            change.updated_at = Set(Some(now));
            let b = change.update(&txn).await?;
            let kind = match b.status {
                BookingStatus::Confirmed => Kind::BookingConfirmed,
                BookingStatus::Offered => Kind::WaitlistOffer,
                _ => Kind::BookingWaitlisted,
            };
            notify(&txn, kind, &b, json!({ "run_id": run.id }), now).await?;
            Ok(true)
        }
    })
    .await
}
