//! The run's lock and what every booking transaction does under it: load the run's active
//! bookings, settle the waiting list by the seat rules, and queue the messages and webhook
//! events a change causes, in the same transaction.

use chrono::{DateTime, Duration, Utc};
use entity::{BookingStatus, WaitlistMode, booking, run, session};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::rules::seats::{self as rules, Change, Entry, Mode, Place, Rules};
use crate::services::outbox::{self, Kind, Message};

/// Takes the run's booking lock and returns the run, or `None` if it does not exist.
pub(super) async fn lock_run(
    txn: &DatabaseTransaction,
    run_id: i32,
) -> Result<Option<run::Model>, DbErr> {
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

pub(super) async fn active_bookings(
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

/// What the seat rules and a sign-up need of an active booking, read without the person's
/// details: a sign-up reads every active booking of its run under the lock, so in a rush for a
/// popular run the fewer columns, the shorter the queue.
#[derive(Clone, Debug)]
pub(super) struct Held {
    pub id: i32,
    pub status: BookingStatus,
    pub queue_no: Option<i32>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub email_key: String,
    pub receipt_hash: Option<String>,
}

/// The run's active bookings as [`Held`], oldest first.
pub(super) async fn held(db: &impl ConnectionTrait, run_id: i32) -> Result<Vec<Held>, DbErr> {
    type Row = (
        i32,
        BookingStatus,
        Option<i32>,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
        String,
        Option<String>,
    );
    Ok(booking::Entity::find()
        .select_only()
        .columns([
            booking::Column::Id,
            booking::Column::Status,
            booking::Column::QueueNo,
            booking::Column::OfferExpiresAt,
            booking::Column::CreatedAt,
            booking::Column::EmailKey,
            booking::Column::ReceiptHash,
        ])
        .filter(booking::Column::RunId.eq(run_id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .order_by_asc(booking::Column::Id)
        .into_tuple::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(
            |(id, status, queue_no, offer_expires_at, created_at, email_key, receipt_hash)| Held {
                id,
                status,
                queue_no,
                offer_expires_at,
                created_at,
                email_key,
                receipt_hash,
            },
        )
        .collect())
}

/// A booking as [`settle_locked`] keeps it: whole, or as [`Held`].
pub(super) trait Seat {
    fn id(&self) -> i32;
    fn status(&self) -> BookingStatus;
    fn entry(&self) -> Entry;
    /// Takes on what settling stored.
    fn settled(&mut self, stored: &booking::Model);
}

impl Seat for booking::Model {
    fn id(&self) -> i32 {
        self.id
    }
    fn status(&self) -> BookingStatus {
        self.status
    }
    fn entry(&self) -> Entry {
        entry(self)
    }
    fn settled(&mut self, stored: &booking::Model) {
        *self = stored.clone();
    }
}

impl Seat for Held {
    fn id(&self) -> i32 {
        self.id
    }
    fn status(&self) -> BookingStatus {
        self.status
    }
    fn entry(&self) -> Entry {
        place_entry(
            self.id,
            self.queue_no,
            self.status,
            self.offer_expires_at.unwrap_or(self.created_at),
        )
    }
    fn settled(&mut self, stored: &booking::Model) {
        self.status = stored.status;
        self.offer_expires_at = stored.offer_expires_at;
    }
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
    place_entry(
        b.id,
        b.queue_no,
        b.status,
        b.offer_expires_at.unwrap_or(b.created_at),
    )
}

/// An entry for the rules; `offer_until` counts only for an offer.
fn place_entry(
    id: i32,
    queue_no: Option<i32>,
    status: BookingStatus,
    offer_until: DateTime<Utc>,
) -> Entry {
    Entry {
        id,
        queue_no,
        place: match status {
            BookingStatus::Confirmed => Place::Confirmed,
            BookingStatus::Offered => Place::Offered { until: offer_until },
            _ => Place::Waiting,
        },
    }
}

/// Start of the run's first session that takes place.
pub(super) async fn first_start(
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
pub(super) async fn settle_locked<B: Seat>(
    txn: &DatabaseTransaction,
    run: &run::Model,
    first: Option<DateTime<Utc>>,
    bookings: &mut Vec<B>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entries: Vec<Entry> = bookings.iter().map(Seat::entry).collect();
    for change in rules::settle(&rules_of(run, first), &entries, now) {
        let (id, status, offer_until, kind) = match change {
            Change::Expire { id } => (id, BookingStatus::Expired, None, Kind::OfferExpired),
            Change::Confirm { id } => (id, BookingStatus::Confirmed, None, Kind::WaitlistPromoted),
            Change::Offer { id, until } => {
                (id, BookingStatus::Offered, Some(until), Kind::WaitlistOffer)
            }
        };
        let Some(b) = bookings.iter_mut().find(|b| b.id() == id) else {
            continue;
        };
        let updated = booking::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id),
            status: Set(status),
            offer_expires_at: Set(offer_until),
            updated_at: Set(Some(now)),
            ..Default::default()
        }
        .update(txn)
        .await?;
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
        b.settled(&updated);
    }
    bookings.retain(|b| b.status().is_active());
    Ok(())
}

/// Queues a webhook delivery of `event` about `run` for the school's webhooks that asked.
pub(super) async fn hook(
    txn: &DatabaseTransaction,
    run: &run::Model,
    event: crate::services::webhooks::Event,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::services::webhooks::emit(txn, run.school_id, event, data, now).await
}

/// Queues a message to a booking's person, in their language.
pub(super) async fn notify(
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

/// Tells webhooks the run is full when `held` seats fill its capacity.
pub(super) async fn became_full(
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

pub(super) fn status_slug(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => "confirmed",
        BookingStatus::Waitlisted => "waitlisted",
        BookingStatus::Offered => "offered",
        BookingStatus::Cancelled => "cancelled",
        BookingStatus::Expired => "expired",
    }
}

/// Raises a booking's calendar revision and returns the booking as it now is.
pub(super) async fn bump_calendar(
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
