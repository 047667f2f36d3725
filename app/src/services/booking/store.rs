//! The booking transactions. Each one takes the run's lock, loads the run's active bookings, asks
//! [`rules`](super::rules) what should happen, and writes the result together with the messages
//! it causes, in one transaction.
//!
//! The lock is a guarded update of the run row (`booking_rev = booking_rev + 1`) as the first
//! statement of the transaction:
//! - on PostgreSQL the update takes the row's lock, so transactions on the same run queue behind
//!   each other while other runs go on in parallel; under READ COMMITTED every later statement
//!   sees what the previous holder committed;
//! - on SQLite the transaction is begun IMMEDIATE, so it holds the database's write lock from the
//!   start and no read can go stale before the write; writers of one process also queue for
//!   SQLite's single write lock in a fair in-process queue rather than in the connection pool.
//!
//! Seats are therefore decided by a count taken under the lock: no check-then-insert race. A busy
//! SQLite database is waited for (busy timeout) and retried, never reported to a person.

use chrono::{DateTime, Duration, Utc};
use entity::{
    BookingStatus, CourseFormat, CourseStatus, Perspective, RunStatus, WaitlistMode, booking,
    course, run, session, session_absence,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::rules::catalogue::availability::{Availability, SeatFacts, availability};
use crate::rules::seats::{self as rules, Change, Decision, Entry, Mode, Place, Rules};
use crate::rules::signup::{PRIVACY_NOTICE_VERSION, ValidSignup};
use crate::rules::time::to_local;
use crate::services::outbox::{self, Kind, Message};
use crate::services::transaction::{WriteError, write};

/// Why a booking action did not happen. Each has a plain message on the page.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("the run does not exist or is not published")]
    NoSuchRun,
    #[error("the run is cancelled")]
    RunCancelled,
    #[error("the run is drop-in and takes no sign-ups")]
    DropIn,
    #[error("sign-up has not opened yet")]
    NotYetOpen,
    #[error("sign-up has closed")]
    Closed,
    #[error("the run is full and keeps no waiting list")]
    Full,
    #[error("no such booking for this person")]
    NoSuchBooking,
    #[error("the self-cancellation deadline has passed")]
    TooLate,
    #[error("the waiting-list offer has expired")]
    OfferExpired,
    #[error("afbud for that session is not possible")]
    SessionNotPossible,
    #[error("capacity may not go below the seats already held")]
    CapacityTooLow,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<BookingError> for DbErr {
    /// For callers that only write through the booking transactions' machinery and can meet
    /// nothing but database errors.
    fn from(e: BookingError) -> Self {
        match e {
            BookingError::Db(e) => e,
            other => DbErr::Custom(other.to_string()),
        }
    }
}

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

impl WriteError for BookingError {
    fn is_busy(&self) -> bool {
        matches!(self, BookingError::Db(e) if e.is_busy())
    }
}

/// Takes the run's booking lock and returns the run, or `None` if it does not exist.
async fn lock_run(txn: &DatabaseTransaction, run_id: i32) -> Result<Option<run::Model>, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    let locked = run::Entity::update_many()
        .col_expr(
            run::Column::BookingRev,
            Expr::col(run::Column::BookingRev).add(1),
        )
        .filter(run::Column::Id.eq(run_id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Ok(None);
    }
    run::Entity::find_by_id(run_id).one(txn).await
}

async fn active_bookings(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<booking::Model>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await
}

/// The seat rules of a run whose first session starts at `first_start`.
pub fn rules_of(run: &run::Model, first_start: Option<DateTime<Utc>>) -> Rules {
    Rules {
        offers_end: first_start,
        capacity: run.capacity.unwrap_or(0).max(0) as u32,
        waitlist: run.waitlist_enabled,
        mode: match run.waitlist_mode {
            WaitlistMode::Automatic => Mode::Automatic,
            WaitlistMode::Offer => Mode::Offer {
                window: Duration::hours(i64::from(run.offer_hours.max(1))),
            },
        },
    }
}

/// A booking as the rules see it.
pub fn entry(b: &booking::Model) -> Entry {
    Entry {
        id: b.id,
        queue_no: b.queue_no,
        place: match b.status {
            BookingStatus::Confirmed => Place::Confirmed,
            BookingStatus::Offered => Place::Offered {
                until: b.offer_expires_at.unwrap_or(b.created_at),
            },
            _ => Place::Waiting,
        },
    }
}

/// Start of the run's first session that takes place.
async fn first_start(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .filter(session::Column::Cancelled.eq(false))
        .order_by_asc(session::Column::StartsAt)
        .one(db)
        .await?
        .map(|s| s.starts_at))
}

/// Applies the rules' changes to a locked run and queues the messages they cause. `bookings` is
/// the run's active bookings and is kept up to date.
async fn settle_locked(
    txn: &DatabaseTransaction,
    run: &run::Model,
    first: Option<DateTime<Utc>>,
    bookings: &mut Vec<booking::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entries: Vec<Entry> = bookings.iter().map(entry).collect();
    for change in rules::settle(&rules_of(run, first), &entries, now) {
        let (id, status, offer_until, kind) = match change {
            Change::Expire { id } => (id, BookingStatus::Expired, None, Kind::OfferExpired),
            Change::Confirm { id } => (id, BookingStatus::Confirmed, None, Kind::WaitlistPromoted),
            Change::Offer { id, until } => {
                (id, BookingStatus::Offered, Some(until), Kind::WaitlistOffer)
            }
        };
        let Some(b) = bookings.iter_mut().find(|b| b.id == id) else {
            continue;
        };
        let mut change: booking::ActiveModel = b.clone().into();
        change.status = Set(status);
        change.offer_expires_at = Set(offer_until);
        change.updated_at = Set(Some(now));
        let updated = change.update(txn).await?;
        notify(
            txn,
            kind,
            &updated,
            json!({ "run_id": run.id, "offer_until": offer_until }),
            now,
        )
        .await?;
        if matches!(status, BookingStatus::Confirmed | BookingStatus::Offered) {
            hook(
                txn,
                run,
                crate::services::webhooks::Event::BookingPromoted,
                json!({ "booking_id": id, "run_id": run.id, "status": status_slug(status) }),
                now,
            )
            .await?;
        }
        *b = updated;
    }
    bookings.retain(|b| b.status.is_active());
    Ok(())
}

/// Queues a webhook delivery of `event` about `run` for the school's webhooks that asked.
async fn hook(
    txn: &DatabaseTransaction,
    run: &run::Model,
    event: crate::services::webhooks::Event,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::services::webhooks::emit(txn, run.school_id, event, data, now).await
}

/// Queues a message to a booking's person, in their language.
async fn notify(
    txn: &DatabaseTransaction,
    kind: Kind,
    b: &booking::Model,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::enqueue(
        txn,
        Message {
            kind,
            recipient: &b.email,
            locale: &b.locale,
            booking_id: Some(b.id),
            payload,
        },
        now,
    )
    .await
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

/// Checks that the run takes sign-ups at `now`, by the same rules the catalogue shows: status,
/// drop-in, and the sign-up window (closing at the first session unless set earlier).
async fn check_open(
    txn: &DatabaseTransaction,
    run: &run::Model,
    first: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    if run.status == RunStatus::Draft {
        return Err(BookingError::NoSuchRun);
    }
    let course = course::Entity::find_by_id(run.course_id)
        .one(txn)
        .await?
        .filter(|c| c.status == CourseStatus::Published)
        .ok_or(BookingError::NoSuchRun)?;
    if first.is_none() && run.signup_closes_at.is_none() {
        // A run with no session to come has nothing to sign up for.
        return Err(BookingError::Closed);
    }
    let facts = SeatFacts {
        cancelled: run.status == RunStatus::Cancelled,
        drop_in: course.format == CourseFormat::DropIn,
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
    let mut bookings = active_bookings(txn, run.id).await?;

    if let Some(existing) = bookings.iter().find(|b| b.email_key == s.email_key) {
        let same_browser = existing
            .receipt_hash
            .as_ref()
            .is_some_and(|h| request.known_receipts.contains(h));
        if !same_browser {
            // Tell the address's owner, with a way to their bookings; the person at the form
            // learns no more than that the address is already signed up.
            notify(
                txn,
                Kind::AlreadyBooked,
                existing,
                json!({ "run_id": run.id }),
                now,
            )
            .await?;
        }
        let outcome = SignupOutcome::Existing {
            booking_id: existing.id,
            same_browser,
        };
        return Ok(Ok(outcome));
    }

    let first = first_start(txn, run.id).await?;
    check_open(txn, &run, first, now).await?;
    settle_locked(txn, &run, first, &mut bookings, now).await?;

    let highest_queue_no: Option<i32> = booking::Entity::find()
        .select_only()
        .column_as(booking::Column::QueueNo.max(), "highest")
        .filter(booking::Column::RunId.eq(run.id))
        .into_tuple::<Option<i32>>()
        .one(txn)
        .await?
        .flatten();
    // A new booking after a cancelled one must outrank the old cancellation in calendars.
    let earlier_seq: Option<i32> = booking::Entity::find()
        .select_only()
        .column_as(booking::Column::CalendarSeq.max(), "highest")
        .filter(booking::Column::RunId.eq(run.id))
        .filter(booking::Column::EmailKey.eq(&s.email_key))
        .into_tuple::<Option<i32>>()
        .one(txn)
        .await?
        .flatten();
    let entries: Vec<Entry> = bookings.iter().map(entry).collect();
    let (status, queue_no, position) = match rules::decide(
        &rules_of(&run, None),
        &entries,
        highest_queue_no.unwrap_or(0) + 1,
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

    let held_before = bookings
        .iter()
        .filter(|b| matches!(b.status, BookingStatus::Confirmed | BookingStatus::Offered))
        .count();
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
        calendar_seq: Set(earlier_seq.map_or(0, |n| n + 1)),
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
    Ok(Ok(SignupOutcome::Created {
        booking_id: created.id,
        status,
        position,
    }))
}

/// Tells webhooks the run is full when `held` seats fill its capacity.
async fn became_full(
    txn: &DatabaseTransaction,
    run: &run::Model,
    held: usize,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(capacity) = run.capacity.and_then(|c| usize::try_from(c).ok()) else {
        return Ok(());
    };
    if held == capacity {
        hook(
            txn,
            run,
            crate::services::webhooks::Event::RunFull,
            json!({ "run_id": run.id, "capacity": capacity }),
            now,
        )
        .await?;
    }
    Ok(())
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

fn status_slug(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => "confirmed",
        BookingStatus::Waitlisted => "waitlisted",
        BookingStatus::Offered => "offered",
        BookingStatus::Cancelled => "cancelled",
        BookingStatus::Expired => "expired",
    }
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

/// Raises a booking's calendar revision and returns the booking as it now is.
async fn bump_calendar(
    txn: &DatabaseTransaction,
    booking_id: i32,
) -> Result<booking::Model, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    booking::Entity::update_many()
        .col_expr(
            booking::Column::CalendarSeq,
            Expr::col(booking::Column::CalendarSeq).add(1),
        )
        .filter(booking::Column::Id.eq(booking_id))
        .exec(txn)
        .await?;
    booking::Entity::find_by_id(booking_id)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("booking {booking_id}")))
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

/// Everything stored about the person behind an e-mail key, as JSON for them to keep: each
/// booking with its run, status and the details they gave, and their afbud for single sessions.
pub async fn export(db: &DatabaseConnection, email_key: &str) -> Result<serde_json::Value, DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key))
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let courses: std::collections::HashMap<i32, String> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let runs: std::collections::HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(bookings.iter().map(|b| b.run_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let absences = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .all(db)
        .await?;
    let items: Vec<serde_json::Value> = bookings
        .iter()
        .map(|b| {
            let course = runs
                .get(&b.run_id)
                .and_then(|r| courses.get(&r.course_id))
                .cloned();
            json!({
                "booking": b.id,
                "course": course,
                "run": b.run_id,
                "status": status_slug(b.status),
                "name": b.name,
                "email": b.email,
                "phone": b.phone,
                "perspective": b.perspective,
                "municipality": b.municipality,
                "practical_needs": b.needs,
                "signed_up_at": b.created_at,
                "signed_up_by": b.booked_by_name.as_ref().map(|n| json!({ "name": n, "email": b.booked_by_email })),
                "privacy_notice_version": b.consent_version,
                "privacy_notice_accepted_at": b.consent_at,
                "cancelled_at": b.cancelled_at,
                "afbud_for_sessions": absences
                    .iter()
                    .filter(|a| a.booking_id == b.id)
                    .map(|a| a.session_id)
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "email": email_key, "bookings": items }))
}

/// Deletes what is stored about the person behind an e-mail key, at their request. Active
/// bookings are cancelled first, so their seats go to the next in line; then every booking of
/// theirs loses name, e-mail, phone, practical needs and who signed them up, their queued
/// e-mails and link tokens are deleted, and only what the school's figures need stays, with
/// nothing that points to the person. Returns how many bookings were cleared.
pub async fn forget(
    db: &DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<u64, BookingError> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key))
        .all(db)
        .await?;
    for b in bookings.iter().filter(|b| b.status.is_active()) {
        cancel(db, b.id, &Actor::Staff, now).await?;
    }
    let ids: Vec<i32> = bookings.iter().map(|b| b.id).collect();
    let addresses: Vec<String> = bookings.iter().map(|b| b.email.clone()).collect();
    let ids = &ids;
    let addresses = &addresses;
    write(db, |txn| async move {
        // Every message to or about them goes, sent or not: the rows hold their address.
        entity::outbox_message::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(entity::outbox_message::Column::BookingId.is_in(ids.iter().copied()))
                    .add(
                        entity::outbox_message::Column::Recipient.is_in(addresses.iter().cloned()),
                    ),
            )
            .exec(&txn)
            .await?;
        entity::access_token::Entity::delete_many()
            .filter(entity::access_token::Column::EmailKey.eq(email_key))
            .exec(&txn)
            .await?;
        let cleared = booking::Entity::update_many()
            .col_expr(booking::Column::Name, Expr::value(""))
            .col_expr(booking::Column::Email, Expr::value(""))
            .col_expr(booking::Column::EmailKey, Expr::value(""))
            .col_expr(booking::Column::Phone, Expr::value(Option::<String>::None))
            .col_expr(booking::Column::Needs, Expr::value(""))
            .col_expr(
                booking::Column::BookedByName,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                booking::Column::BookedByEmail,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                booking::Column::ReceiptHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(booking::Column::UpdatedAt, Expr::value(now))
            .filter(booking::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?
            .rows_affected;
        Ok(cleared)
    })
    .await
}
