//! The run's lock and what every booking transaction does under it: load the run's active
//! bookings, settle the waiting list by the seat rules, and queue the messages and webhook
//! events a change causes, in the same transaction.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use entity::{
    BookingStatus, CourseFormat, CourseStatus, WaitlistMode, booking, course, run, session, webhook,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::json;

use crate::rules::seats::{self as rules, Change, Entry, Mode, Place, Rules};
use crate::services::outbox::{self, Kind, Message};

/// Sign-ups to one run queue here, in this process and in order, before they take a pooled
/// connection. Without it, in a rush each would hold a connection while it waits for the
/// run's row lock, and every commit would wake all of them to find the lock taken again. The
/// row lock ([`lock_run`]) still decides, between instances too.
pub(super) async fn queue_for_run(run_id: i32) -> tokio::sync::OwnedMutexGuard<()> {
    type Queues = std::sync::Mutex<std::collections::HashMap<i32, Arc<tokio::sync::Mutex<()>>>>;
    static QUEUES: std::sync::OnceLock<Queues> = std::sync::OnceLock::new();
    let queue = {
        let mut queues = QUEUES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A run's queue is dropped once nobody holds or waits for it.
        queues.retain(|_, q| Arc::strong_count(q) > 1);
        Arc::clone(queues.entry(run_id).or_default())
    };
    queue.lock_owned().await
}

/// Takes the run's booking lock and returns the run, or `None` if it does not exist.
pub(super) async fn lock_run(
    txn: &DatabaseTransaction,
    run_id: i32,
) -> Result<Option<run::Model>, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    let lock = run::Entity::update_many()
        .col_expr(
            run::Column::BookingRev,
            Expr::col(run::Column::BookingRev).add(1),
        )
        .filter(run::Column::Id.eq(run_id));
    // Every statement under the lock makes the next writer of the run wait longer: where the
    // database can, the locking update returns the run itself.
    if txn.support_returning() {
        return Ok(lock.exec_with_returning(txn).await?.into_iter().next());
    }
    if lock.exec(txn).await?.rows_affected == 0 {
        return Ok(None);
    }
    run::Entity::find_by_id(run_id).one(txn).await
}

/// What a sign-up needs to know of a locked run besides its bookings (read with its [`Line`]).
pub(super) struct Context {
    pub course_status: CourseStatus,
    pub format: CourseFormat,
    /// Start of the first session that takes place.
    pub first_start: Option<DateTime<Utc>>,
    /// Whether the run's school has webhooks (if not, there is nothing to queue for them).
    pub hooks: bool,
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

/// What the seat rules need of an active booking, read without the person's details.
#[derive(Clone, Debug)]
pub(super) struct Held {
    pub id: i32,
    pub status: BookingStatus,
    pub queue_no: Option<i32>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A run's line in numbers, and what a sign-up with `email_key` needs to know of it.
#[derive(Clone, Debug, Default)]
pub(super) struct Line {
    /// Confirmed and offered bookings.
    pub held: u32,
    /// Bookings waiting.
    pub in_line: u32,
    /// The highest place in line the run has given out.
    pub highest_queue_no: Option<i32>,
    /// The address's highest calendar revision on the run (a new booking after a cancelled
    /// one must outrank the old cancellation in calendars).
    pub earlier_seq: Option<i32>,
    /// The address's active booking, with its browser's receipt hash.
    pub existing: Option<(i32, Option<String>)>,
}

/// Counts the run's line, finds what [`Line`] says of `email_key`, and reads the run's
/// [`Context`] (`None` if its course is gone), in one query: each statement made under the
/// run's lock makes the next sign-up wait longer.
pub(super) async fn line(
    db: &impl ConnectionTrait,
    run: &run::Model,
    email_key: &str,
) -> Result<(Option<Context>, Line), DbErr> {
    use sea_orm::sea_query::{CaseStatement, ExprTrait, Func, SelectStatement};
    let of_address = || booking::Column::EmailKey.eq(email_key);
    let active_of_address =
        || of_address().and(booking::Column::Status.is_in(BookingStatus::ACTIVE));
    let count_if = |cond: sea_orm::sea_query::SimpleExpr| {
        Func::sum(
            CaseStatement::new()
                .case(cond, Expr::val(1))
                .finally(Expr::val(0)),
        )
    };
    let scalar = |q: SelectStatement| Expr::SubQuery(None, Box::new(q.into()));
    let course_column = |c: course::Column| {
        course::Entity::find_by_id(run.course_id)
            .select_only()
            .column(c)
            .into_query()
    };
    let first = first_start_query(run.id).into_query();
    let hooks = webhook::Entity::find()
        .select_only()
        .expr(Expr::val(1))
        .filter(webhook::Column::SchoolId.eq(run.school_id))
        .into_query();
    type Row = (
        Option<i64>,
        Option<i64>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<String>,
        Option<CourseStatus>,
        Option<CourseFormat>,
        Option<DateTime<Utc>>,
        bool,
    );
    let row: Option<Row> = booking::Entity::find()
        .select_only()
        .column_as(
            Expr::from(count_if(
                booking::Column::Status.is_in([BookingStatus::Confirmed, BookingStatus::Offered]),
            )),
            "held",
        )
        .column_as(
            Expr::from(count_if(
                booking::Column::Status.eq(BookingStatus::Waitlisted),
            )),
            "in_line",
        )
        .column_as(booking::Column::QueueNo.max(), "highest")
        .column_as(
            Expr::from(Func::max(
                CaseStatement::new().case(of_address(), Expr::col(booking::Column::CalendarSeq)),
            )),
            "earlier",
        )
        .column_as(
            Expr::from(Func::max(
                CaseStatement::new().case(active_of_address(), Expr::col(booking::Column::Id)),
            )),
            "existing",
        )
        .column_as(
            Expr::from(Func::max(CaseStatement::new().case(
                active_of_address(),
                Expr::col(booking::Column::ReceiptHash),
            ))),
            "receipt",
        )
        .column_as(
            scalar(course_column(course::Column::Status)),
            "course_status",
        )
        .column_as(scalar(course_column(course::Column::Format)), "format")
        .column_as(scalar(first), "first_start")
        .column_as(Expr::exists(hooks), "hooks")
        .filter(booking::Column::RunId.eq(run.id))
        .into_tuple()
        .one(db)
        .await?;
    let Some((
        held,
        in_line,
        highest_queue_no,
        earlier_seq,
        existing_id,
        existing_receipt,
        course_status,
        format,
        first_start,
        hooks,
    )) = row
    else {
        return Ok((None, Line::default()));
    };
    let count = |n: Option<i64>| u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX);
    let context = course_status
        .zip(format)
        .map(|(course_status, format)| Context {
            course_status,
            format,
            first_start,
            hooks,
        });
    let line = Line {
        held: count(held),
        in_line: count(in_line),
        highest_queue_no,
        earlier_seq,
        existing: existing_id.map(|id| (id, existing_receipt)),
    };
    Ok((context, line))
}

/// The run's held bookings and the first `line_front` in line, as [`Held`]: what settling
/// needs (see [`rules::line_front`]). `held` is how many are held, from [`line`].
pub(super) async fn front(
    db: &impl ConnectionTrait,
    run_id: i32,
    held: u32,
    line_front: usize,
) -> Result<Vec<Held>, DbErr> {
    use sea_orm::Order;
    type Row = (
        i32,
        BookingStatus,
        Option<i32>,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
    );
    Ok(booking::Entity::find()
        .select_only()
        .columns([
            booking::Column::Id,
            booking::Column::Status,
            booking::Column::QueueNo,
            booking::Column::OfferExpiresAt,
            booking::Column::CreatedAt,
        ])
        .filter(booking::Column::RunId.eq(run_id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        // Held first, then the line in its order (as `rules::seats` orders it).
        .order_by(
            booking::Column::Status.eq(BookingStatus::Waitlisted),
            Order::Asc,
        )
        .order_by(
            Expr::cust(format!("coalesce(queue_no, {})", i32::MAX)),
            Order::Asc,
        )
        .order_by_asc(booking::Column::Id)
        .limit(u64::from(held) + line_front as u64)
        .into_tuple::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(
            |(id, status, queue_no, offer_expires_at, created_at)| Held {
                id,
                status,
                queue_no,
                offer_expires_at,
                created_at,
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
    Ok(first_start_query(run_id)
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?
        .flatten())
}

/// The start of the first session of `run_id` that takes place, as a query (also read inside
/// [`line`]).
fn first_start_query(run_id: i32) -> sea_orm::Select<session::Entity> {
    session::Entity::find()
        .select_only()
        .expr(session::Column::StartsAt.min())
        .filter(session::Column::RunId.eq(run_id))
        .filter(session::Column::Cancelled.eq(false))
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
