//! Signing up: a seat while there is one, otherwise a place in the queue.

use chrono::{DateTime, Utc};
use entity::{BookingStatus, CourseFormat, CourseStatus, Perspective, RunStatus, booking, run};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set};
use serde_json::json;

use crate::rules::catalogue::availability::{Availability, SeatFacts, availability};
use crate::rules::seats::{self as rules, Counts, Decision};
use crate::rules::signup::{PRIVACY_NOTICE_VERSION, ValidSignup};
use crate::rules::time::to_local;
use crate::services::outbox::Kind;
use crate::services::transaction::write;

use super::error::BookingError;
use super::lock::*;

/// A new sign-up to store.
pub struct NewBooking<'a> {
    pub signup: &'a ValidSignup,
    /// Language of the page the person used.
    pub locale: &'a str,
    /// `web`, `staff` or `api`.
    pub source: &'a str,
    /// Hash of the browser's receipt key, stored on the booking.
    pub receipt_hash: Option<String>,
    /// Receipt hashes this browser can prove (the form's key and the receipt cookie), to
    /// recognise a resubmit from the same browser.
    pub known_receipts: Vec<String>,
}

/// What a sign-up led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignupOutcome {
    /// A new booking: a seat, or a place in the queue.
    Created {
        booking_id: i32,
        status: BookingStatus,
        position: Option<u32>,
    },
    /// The e-mail already has an active booking on the run. `same_browser` when the request
    /// proves it comes from the browser that made it (a resubmit, the back button, another tab).
    Existing { booking_id: i32, same_browser: bool },
}

/// Checks that the run takes sign-ups at `now`, by the same rules the catalogue shows: status,
/// drop-in, and the sign-up window (closing at the first session unless set earlier).
fn check_open(
    run: &run::Model,
    context: Option<&Context>,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    if run.status == RunStatus::Draft {
        return Err(BookingError::NoSuchRun);
    }
    let context = context
        .filter(|c| c.course_status == CourseStatus::Published)
        .ok_or(BookingError::NoSuchRun)?;
    let first = context.first_start;
    if first.is_none() && run.signup_closes_at.is_none() {
        // A run with no session to come has nothing to sign up for.
        return Err(BookingError::Closed);
    }
    let facts = SeatFacts {
        cancelled: run.status == RunStatus::Cancelled,
        drop_in: context.format == CourseFormat::DropIn,
        capacity: run.capacity,
        // Seats are decided under the lock by the rules, not here.
        held: 0,
        waiting: 0,
        waitlist_enabled: run.waitlist_enabled,
        signup_opens_at: run.signup_opens_at,
        signup_closes_at: run.signup_closes_at,
        first_start: first,
    };
    match availability(facts, now, to_local) {
        Availability::Cancelled => Err(BookingError::RunCancelled),
        Availability::DropIn => Err(BookingError::DropIn),
        Availability::NotYetOpen { .. } => Err(BookingError::NotYetOpen),
        Availability::Closed => Err(BookingError::Closed),
        Availability::Open { .. } | Availability::Waitlist | Availability::Full => Ok(()),
    }
}

/// Signs a person up: a seat while there is one, otherwise a place in the queue. A second
/// sign-up with the same e-mail finds the first.
pub async fn sign_up(
    db: &DatabaseConnection,
    request: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> Result<SignupOutcome, BookingError> {
    let _turn = queue_for_run(request.signup.run_id).await;
    write(
        db,
        |txn| async move { sign_up_in(&txn, request, now).await },
    )
    .await?
}

/// The sign-up inside its transaction. The outer error rolls back; the inner one is an answer
/// for the person that keeps what the transaction did (an expired offer passing on).
async fn sign_up_in(
    txn: &DatabaseTransaction,
    request: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> Result<Result<SignupOutcome, BookingError>, BookingError> {
    let s = request.signup;
    let run = lock_run(txn, s.run_id)
        .await?
        .ok_or(BookingError::NoSuchRun)?;
    // The line in numbers, and (below) only its front as bookings: settling moves no one
    // further back.
    let (context, line) = line(txn, &run, &s.email_key).await?;

    // The browser that made the booking proves it (a resubmit, the back button, another tab).
    if let Some((id, Some(receipt))) = &line.existing
        && request.known_receipts.contains(receipt)
    {
        return Ok(Ok(SignupOutcome::Existing {
            booking_id: *id,
            same_browser: true,
        }));
    }

    // Anyone else gets the answer a new address would get, so the answer never tells whether
    // an address is signed up: first whether the run takes sign-ups, then whether there is room.
    check_open(&run, context.as_ref(), now)?;
    let (first, hooks) = context.map_or((None, false), |c| (c.first_start, c.hooks));
    let rules = rules_of(&run, first);
    let mut bookings = front(txn, run.id, line.held, rules::line_front(&rules)).await?;
    let waiting_in_front = |bookings: &[Held]| {
        bookings
            .iter()
            .filter(|b| b.status == BookingStatus::Waitlisted)
            .count() as u32
    };
    let front_before = waiting_in_front(&bookings);
    let existing_in_front = line
        .existing
        .as_ref()
        .is_some_and(|(id, _)| bookings.iter().any(|b| b.id == *id));
    settle_locked(txn, &run, first, &mut bookings, now).await?;
    // Settling changed only the front: those it moved out of the line leave the count.
    let counts = Counts {
        held: rules::held(&bookings.iter().map(Seat::entry).collect::<Vec<_>>()),
        in_line: line
            .in_line
            .saturating_sub(front_before - waiting_in_front(&bookings)),
    };
    // The address's booking is still active unless settling ended it (an offer that ran out).
    let existing = line
        .existing
        .map(|(id, _)| id)
        .filter(|id| !existing_in_front || bookings.iter().any(|b| b.id == *id));

    let (status, queue_no, position) = match rules::decide(
        &rules_of(&run, None),
        counts,
        line.highest_queue_no.unwrap_or(0) + 1,
    ) {
        Decision::Confirm => (BookingStatus::Confirmed, None, None),
        Decision::Wait { queue_no, position } => {
            (BookingStatus::Waitlisted, Some(queue_no), Some(position))
        }
        Decision::Full => {
            // Keep what settling did (an expired offer passing on) even though this
            // person gets nothing.
            return Ok(Err(BookingError::Full));
        }
    };

    if let Some(existing) = existing {
        let existing = booking::Entity::find_by_id(existing)
            .one(txn)
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("booking {existing}")))?;
        // Tell the address's owner, with a way to their bookings.
        notify(
            txn,
            Kind::AlreadyBooked,
            &existing,
            json!({ "run_id": run.id }),
            now,
        )
        .await?;
        return Ok(Ok(SignupOutcome::Existing {
            booking_id: existing.id,
            same_browser: false,
        }));
    }

    let held_before = counts.held as usize;
    let perspective = s
        .perspective
        .as_deref()
        .and_then(crate::rules::vocabulary::Perspective::from_slug)
        .map(Perspective::from);
    let created = booking::ActiveModel {
        run_id: Set(run.id),
        name: Set(s.name.clone()),
        email: Set(s.email.clone()),
        email_key: Set(s.email_key.clone()),
        phone: Set(s.phone.clone()),
        perspective: Set(perspective),
        municipality: Set(s.municipality.clone()),
        needs: Set(s.needs.clone()),
        status: Set(status),
        queue_no: Set(queue_no),
        offer_expires_at: Set(None),
        consent_version: Set(PRIVACY_NOTICE_VERSION.into()),
        consent_at: Set(Some(now)),
        booked_by_name: Set(s.booked_by.as_ref().map(|(n, _)| n.clone())),
        booked_by_email: Set(s.booked_by.as_ref().map(|(_, e)| e.clone())),
        source: Set(request.source.into()),
        locale: Set(request.locale.into()),
        receipt_hash: Set(request.receipt_hash.clone()),
        created_at: Set(now),
        updated_at: Set(None),
        cancelled_at: Set(None),
        calendar_seq: Set(line.earlier_seq.map_or(0, |n| n + 1)),
        ..Default::default()
    }
    .insert(txn)
    .await?;

    notify(
        txn,
        if status == BookingStatus::Confirmed {
            Kind::BookingConfirmed
        } else {
            Kind::BookingWaitlisted
        },
        &created,
        json!({
            "run_id": run.id,
            "position": position,
            "on_behalf": s.booked_by.is_some(),
        }),
        now,
    )
    .await?;
    if hooks {
        hook(
            txn,
            &run,
            crate::services::webhooks::Event::BookingCreated,
            json!({
                "booking_id": created.id,
                "run_id": run.id,
                "status": status_slug(status),
                "source": request.source,
            }),
            now,
        )
        .await?;
        if status == BookingStatus::Confirmed {
            became_full(txn, &run, held_before + 1, now).await?;
        }
    }
    Ok(Ok(SignupOutcome::Created {
        booking_id: created.id,
        status,
        position,
    }))
}
