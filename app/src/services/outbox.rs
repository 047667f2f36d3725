//! The outbox: e-mails to send, written in the same transaction as the change that causes them.
//! A row holds what kind of message it is and the facts it needs; the sender renders the text
//! (and mints any link token) when it sends, so no token is stored in plain text.
//!
//! A row's life: `pending` → claimed (`sending`, with a lease) → `sent`, `failed` (a permanent
//! refusal, or 24 hours of temporary ones) or `skipped` (what it was about no longer holds, such
//! as a reminder to someone who has since cancelled). A claim is a lease: the claiming worker
//! moves `next_attempt_at` to the lease's end, so if it dies mid-send the row is due again then
//! and another worker sends it, with the same Message-ID. On PostgreSQL the claim skips rows
//! other workers hold (`FOR UPDATE SKIP LOCKED`); on SQLite claims go through the process's
//! single write queue.

use chrono::{DateTime, Duration, Utc};
use entity::outbox_message;
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

use crate::services::transaction::write_unseen;

/// The states of a row.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
    pub const SKIPPED: &str = "skipped";
    /// Not mail: a person without e-mail is to be called with this news ("Ingen e-mail – ring").
    pub const CALL: &str = "call";
    /// The call was made.
    pub const CALLED: &str = "called";
}

/// The kinds of message the booking engine queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BookingConfirmed,
    BookingWaitlisted,
    WaitlistOffer,
    WaitlistPromoted,
    OfferExpired,
    BookingCancelled,
    SessionAfbud,
    AlreadyBooked,
    ManageLink,
    SessionReturn,
    SessionChanged,
    SessionCancelled,
    RunCancelled,
    Reminder,
    EvaluationInvitation,
    EvaluationReminder,
    /// An invitation to the staff workspace: a link to set a password.
    StaffInvite,
    /// A staff password reset link.
    StaffReset,
    /// A message from a run's staff to everyone on it.
    RunMessage,
    /// To a school's koordinatorer: a webhook kept failing and was switched off.
    WebhookDisabled,
    /// To seat holders: a class's meeting link was set or changed.
    OnlineLink,
    /// "Giv mig besked": the receipt, with a "no thanks" link.
    WatchReceipt,
    /// "Giv mig besked": the course has a new run (sent once, then the address is deleted).
    NewRun,
}

impl Kind {
    /// Every kind, for parsing and for tests.
    pub const ALL: [Kind; 23] = [
        Kind::BookingConfirmed,
        Kind::BookingWaitlisted,
        Kind::WaitlistOffer,
        Kind::WaitlistPromoted,
        Kind::OfferExpired,
        Kind::BookingCancelled,
        Kind::SessionAfbud,
        Kind::AlreadyBooked,
        Kind::ManageLink,
        Kind::SessionReturn,
        Kind::SessionChanged,
        Kind::SessionCancelled,
        Kind::RunCancelled,
        Kind::Reminder,
        Kind::EvaluationInvitation,
        Kind::EvaluationReminder,
        Kind::StaffInvite,
        Kind::StaffReset,
        Kind::RunMessage,
        Kind::WebhookDisabled,
        Kind::OnlineLink,
        Kind::WatchReceipt,
        Kind::NewRun,
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// News a person without e-mail must hear by phone: their seat, a place on or off the
    /// waiting list, changes and cancellations, the reminder and a new meeting link. Not the
    /// evaluation (paper forms are for them) nor messages that are only about e-mail.
    pub fn worth_a_call(self) -> bool {
        !matches!(
            self,
            Kind::EvaluationInvitation
                | Kind::EvaluationReminder
                | Kind::AlreadyBooked
                | Kind::ManageLink
                | Kind::StaffInvite
                | Kind::StaffReset
                | Kind::RunMessage
                | Kind::WebhookDisabled
                | Kind::WatchReceipt
                | Kind::NewRun
        )
    }

    /// Translation key of what staff are to tell a person without e-mail.
    pub fn call_key(self) -> &'static str {
        match self {
            Kind::BookingConfirmed => "staff.calls.confirmed",
            Kind::BookingWaitlisted => "staff.calls.waitlisted",
            Kind::WaitlistOffer => "staff.calls.offer",
            Kind::WaitlistPromoted => "staff.calls.promoted",
            Kind::OfferExpired => "staff.calls.offer_expired",
            Kind::BookingCancelled => "staff.calls.cancelled",
            Kind::SessionAfbud | Kind::SessionReturn => "staff.calls.session_afbud",
            Kind::SessionChanged => "staff.calls.session_changed",
            Kind::SessionCancelled => "staff.calls.session_cancelled",
            Kind::RunCancelled => "staff.calls.run_cancelled",
            Kind::Reminder => "staff.calls.reminder",
            Kind::OnlineLink => "staff.calls.online_link",
            _ => "staff.calls.other",
        }
    }
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BookingConfirmed => "booking_confirmed",
            Kind::BookingWaitlisted => "booking_waitlisted",
            Kind::WaitlistOffer => "waitlist_offer",
            Kind::WaitlistPromoted => "waitlist_promoted",
            Kind::OfferExpired => "offer_expired",
            Kind::BookingCancelled => "booking_cancelled",
            Kind::SessionAfbud => "session_afbud",
            Kind::AlreadyBooked => "already_booked",
            Kind::ManageLink => "manage_link",
            Kind::SessionReturn => "session_return",
            Kind::SessionChanged => "session_changed",
            Kind::SessionCancelled => "session_cancelled",
            Kind::RunCancelled => "run_cancelled",
            Kind::Reminder => "reminder",
            Kind::EvaluationInvitation => "evaluation_invitation",
            Kind::EvaluationReminder => "evaluation_reminder",
            Kind::StaffInvite => "staff_invite",
            Kind::StaffReset => "staff_reset",
            Kind::RunMessage => "run_message",
            Kind::WebhookDisabled => "webhook_disabled",
            Kind::OnlineLink => "online_link",
            Kind::WatchReceipt => "watch_receipt",
            Kind::NewRun => "new_run",
        }
    }
}

/// A message to queue.
pub struct Message<'a> {
    pub kind: Kind,
    pub recipient: &'a str,
    pub locale: &'a str,
    pub booking_id: Option<i32>,
    pub payload: Value,
}

/// The name (without extension) of the file a message is written to by the file backend:
/// queued time, id and kind, so a folder listing reads in order.
pub fn file_stem(m: &outbox_message::Model) -> String {
    format!(
        "{}-{:06}-{}",
        m.created_at.format("%Y%m%dT%H%M%S"),
        m.id,
        m.kind
    )
}

/// Queues a message on `db`, which should be the transaction making the change. A message to
/// nobody is not queued: someone who came without signing up has no e-mail, nor has someone
/// signed up by phone without one; for the latter, news [`Kind::worth_a_call`] becomes a call
/// for staff to make instead ([`status::CALL`]), shown on the run's list and the team's home page.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    message: Message<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if message.recipient.trim().is_empty() {
        return queue_call(db, &message, now).await;
    }
    insert(db, &message, status::PENDING, "", now).await?;
    super::worker_signal::queued(db).await
}

/// Records a call for staff to make, when `message` is news for a person signed up by phone
/// without e-mail. The row holds no contact details: the list reads them from the booking.
async fn queue_call(
    db: &impl ConnectionTrait,
    message: &Message<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(booking_id) = message.booking_id.filter(|_| message.kind.worth_a_call()) else {
        return Ok(());
    };
    let by_phone = entity::booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .is_some_and(|b| {
            b.email.is_empty()
                && b.phone.is_some()
                && crate::rules::signup::is_phone_key(&b.email_key)
        });
    if !by_phone {
        return Ok(());
    }
    insert(db, message, status::CALL, "call-", now).await
}

/// Inserts a message row in `state`, with a fresh Message-ID (`<prefix…@skolebaenk>`).
async fn insert(
    db: &impl ConnectionTrait,
    message: &Message<'_>,
    state: &str,
    prefix: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut id = [0u8; 16];
    rand::rng().fill_bytes(&mut id);
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    store(
        db,
        outbox_message::ActiveModel {
            kind: Set(message.kind.as_str().into()),
            recipient: Set(message.recipient.trim().into()),
            locale: Set(message.locale.into()),
            payload: Set(message.payload.to_string()),
            booking_id: Set(message.booking_id),
            message_id: Set(format!("<{prefix}{hex}@skolebaenk>")),
            ..due_now(state, now)
        },
    )
    .await
}

/// A new row's bookkeeping in `state`: not tried yet, due at once. The caller fills in what it
/// carries.
fn due_now(state: &str, now: DateTime<Utc>) -> outbox_message::ActiveModel {
    outbox_message::ActiveModel {
        status: Set(state.into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// Stores a new row. Nothing of it is needed back, so nothing is read back.
async fn store(db: &impl ConnectionTrait, row: outbox_message::ActiveModel) -> Result<(), DbErr> {
    outbox_message::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Queues a row of another channel than e-mail (a webhook delivery): `kind`, `recipient` and
/// `payload` as the channel's sender reads them, with a stable `message_id`.
pub async fn enqueue_raw(
    db: &impl ConnectionTrait,
    kind: &str,
    recipient: &str,
    payload: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    store(
        db,
        outbox_message::ActiveModel {
            kind: Set(kind.into()),
            recipient: Set(recipient.into()),
            locale: Set(String::new()),
            payload: Set(payload.into()),
            booking_id: Set(None),
            message_id: Set(message_id.into()),
            ..due_now(status::PENDING, now)
        },
    )
    .await?;
    super::worker_signal::queued(db).await
}

/// The outbox kind of a webhook delivery; every other kind is a mail.
pub const WEBHOOK_KIND: &str = "webhook";

/// Which sender a row is for: e-mails, or webhook deliveries (kind `webhook`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Mail,
    Webhook,
}

/// When to try again after a temporary failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Pause after the first, second, … failed attempt; the last one repeats.
    pub steps: Vec<Duration>,
    /// A message still not sent this long after it was queued has failed.
    pub give_up_after: Duration,
}

impl Default for Backoff {
    /// About 10 s, 30 s, 1 min, 5 min, 15 min, then hourly, for up to 24 hours.
    fn default() -> Self {
        Backoff {
            steps: [10, 30, 60, 300, 900, 3600]
                .into_iter()
                .map(Duration::seconds)
                .collect(),
            give_up_after: Duration::hours(24),
        }
    }
}

impl Backoff {
    /// When to try again after `attempts` failed attempts of a message queued at `created_at`,
    /// or `None` when it is time to give up.
    pub fn next_attempt(
        &self,
        attempts: i32,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let i = usize::try_from(Ord::max(attempts, 1) - 1).unwrap_or(0);
        let pause = self
            .steps
            .get(i)
            .or(self.steps.last())
            .copied()
            .unwrap_or_else(|| Duration::seconds(60));
        let next = now + pause;
        (next <= created_at + self.give_up_after).then_some(next)
    }
}

/// Claims up to `limit` due messages of `channel` for sending: each becomes `sending` with a
/// lease ending at `now + lease`, and its attempt count goes up.
pub async fn claim(
    db: &DatabaseConnection,
    channel: Channel,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    use outbox_message::Column as C;
    let of_channel = match channel {
        Channel::Mail => C::Kind.ne(WEBHOOK_KIND),
        Channel::Webhook => C::Kind.eq(WEBHOOK_KIND),
    };
    let of_channel = &of_channel;
    write_unseen(db, |txn| async move {
        let mut due = outbox_message::Entity::find()
            .filter(of_channel.clone())
            .filter(C::Status.is_in([status::PENDING, status::SENDING]))
            .filter(C::NextAttemptAt.lte(now))
            .order_by_asc(C::NextAttemptAt)
            .order_by_asc(C::Id)
            .limit(limit);
        if db.get_database_backend() == DbBackend::Postgres {
            // Rows another worker is claiming right now are passed over, not waited for.
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = due.all(&txn).await?;
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let until = now + lease;
        outbox_message::Entity::update_many()
            .col_expr(C::Status, Expr::value(status::SENDING))
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .col_expr(C::NextAttemptAt, Expr::value(until))
            .filter(C::Id.is_in(ids))
            .exec(&txn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|mut r| {
                r.status = status::SENDING.into();
                r.attempts += 1;
                r.next_attempt_at = until;
                r
            })
            .collect())
    })
    .await
}

/// A claimed row, as the claimant knows it: the attempt number its claim gave the row is the
/// fence. When a lease runs out and another worker claims the row, the attempt number goes up,
/// so the first worker's late result no longer matches and changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    pub id: i32,
    pub attempt: i32,
}

impl From<&outbox_message::Model> for Claim {
    fn from(row: &outbox_message::Model) -> Self {
        Claim {
            id: row.id,
            attempt: row.attempts,
        }
    }
}

/// Records the end of a send. Only a row still held by this claim changes: a row deleted
/// meanwhile (the person asked to be forgotten) stays deleted, and a row claimed again after
/// the lease ran out keeps the new claimant's result.
async fn finish(
    db: &DatabaseConnection,
    claims: &[Claim],
    new_status: &str,
    error: Option<String>,
    next_attempt_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    use outbox_message::Column as C;
    if claims.is_empty() {
        return Ok(());
    }
    let mut update = outbox_message::Entity::update_many()
        .col_expr(C::Status, Expr::value(new_status))
        .col_expr(C::LastError, Expr::value(error))
        .col_expr(C::SentAt, Expr::value(sent_at));
    if let Some(at) = next_attempt_at {
        update = update.col_expr(C::NextAttemptAt, Expr::value(at));
    }
    let held = claims.iter().fold(Condition::any(), |any, c| {
        any.add(C::Id.eq(c.id).and(C::Attempts.eq(c.attempt)))
    });
    let update = &update;
    let held = &held;
    write_unseen(db, |txn| async move {
        update
            .clone()
            .filter(held.clone())
            .filter(C::Status.eq(status::SENDING))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}

/// The messages went out.
pub async fn mark_sent(
    db: &DatabaseConnection,
    claims: &[Claim],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    finish(db, claims, status::SENT, None, None, Some(now)).await
}

/// The message is no longer wanted (what it was about has changed).
pub async fn mark_skipped(
    db: &DatabaseConnection,
    claim: Claim,
    reason: &str,
) -> Result<(), DbErr> {
    finish(
        db,
        &[claim],
        status::SKIPPED,
        Some(reason.into()),
        None,
        None,
    )
    .await
}

/// A temporary failure: try again at `at`.
pub async fn mark_retry(
    db: &DatabaseConnection,
    claim: Claim,
    error: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    finish(
        db,
        &[claim],
        status::PENDING,
        Some(error.into()),
        Some(at),
        None,
    )
    .await
}

/// A permanent failure, or temporary ones for too long.
pub async fn mark_failed(db: &DatabaseConnection, claim: Claim, error: &str) -> Result<(), DbErr> {
    finish(db, &[claim], status::FAILED, Some(error.into()), None, None).await
}

/// Deletes sent and skipped messages queued before `done_before`, and failed ones queued before
/// `failed_before`. Returns how many went.
pub async fn purge(
    db: &DatabaseConnection,
    done_before: DateTime<Utc>,
    failed_before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use outbox_message::Column as C;
    write_unseen(db, |txn| async move {
        Ok(outbox_message::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(C::Status.is_in([status::SENT, status::SKIPPED, status::CALLED]))
                            .add(C::CreatedAt.lt(done_before)),
                    )
                    .add(
                        Condition::all()
                            .add(C::Status.is_in([status::FAILED, status::CALL]))
                            .add(C::CreatedAt.lt(failed_before)),
                    ),
            )
            .exec(&txn)
            .await?
            .rows_affected)
    })
    .await
}

/// How a person's mail stands, for staff: the latest message per booking and whether any failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailState {
    pub last_kind: String,
    pub last_status: String,
    pub any_failed: bool,
}

/// The mail state of each of `booking_ids` that has messages. Evaluation mail is left out:
/// whether a person got a reminder (or answered) must not show next to their name.
pub async fn mail_state(
    db: &impl ConnectionTrait,
    booking_ids: &[i32],
) -> Result<std::collections::HashMap<i32, MailState>, DbErr> {
    let rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.is_in(booking_ids.iter().copied()))
        .filter(outbox_message::Column::Kind.is_not_in([
            Kind::EvaluationInvitation.as_str(),
            Kind::EvaluationReminder.as_str(),
        ]))
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await?;
    let mut states = std::collections::HashMap::new();
    for r in rows {
        let Some(b) = r.booking_id else { continue };
        let failed = r.status == status::FAILED;
        let entry = states.entry(b).or_insert(MailState {
            last_kind: String::new(),
            last_status: String::new(),
            any_failed: false,
        });
        entry.last_kind = r.kind;
        entry.last_status = r.status;
        entry.any_failed |= failed;
    }
    Ok(states)
}

/// The latest messages (at most 200), newest first, with what the file backend wrote for each
/// (read from `dir`): for the demo's outbox page.
pub async fn demo_list(
    db: &sea_orm::DatabaseConnection,
    dir: &std::path::Path,
) -> Result<Vec<crate::dto::outbox::OutboxItemDto>, DbErr> {
    use crate::dto::outbox::OutboxItemDto;
    use crate::rules::time::to_local;
    use sea_orm::{QueryOrder, QuerySelect};

    let rows = outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|m| {
            let file = dir.join(format!("{}.eml", file_stem(&m)));
            let parsed = std::fs::read(file).ok().and_then(|bytes| {
                let message = mail_parser::MessageParser::default().parse(&bytes)?;
                let calendar = message.parts.iter().any(|p| {
                    use mail_parser::MimeHeaders;
                    p.content_type()
                        .and_then(|c| c.subtype())
                        .is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
                });
                Some((
                    message.subject().map(str::to_string),
                    message.body_text(0).map(|t| t.into_owned()),
                    calendar,
                ))
            });
            let (subject, text, has_calendar) = parsed.unwrap_or((None, None, false));
            OutboxItemDto {
                id: m.id,
                created: to_local(m.created_at),
                recipient: m.recipient,
                kind: m.kind,
                status: m.status,
                attempts: m.attempts,
                last_error: m.last_error,
                subject,
                text,
                has_calendar,
            }
        })
        .collect();
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_follows_the_schedule_then_gives_up() {
        let b = Backoff::default();
        let created = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single();
        let Some(created) = created else {
            panic!("valid date")
        };
        let wait = |attempts, now| b.next_attempt(attempts, created, now).map(|t| t - now);
        assert_eq!(wait(1, created), Some(Duration::seconds(10)));
        assert_eq!(wait(2, created), Some(Duration::seconds(30)));
        assert_eq!(wait(3, created), Some(Duration::seconds(60)));
        assert_eq!(wait(4, created), Some(Duration::minutes(5)));
        assert_eq!(wait(5, created), Some(Duration::minutes(15)));
        assert_eq!(wait(6, created), Some(Duration::hours(1)));
        assert_eq!(wait(20, created), Some(Duration::hours(1)));
        // A next try that would fall after 24 hours is not made.
        assert_eq!(
            wait(20, created + Duration::hours(23) + Duration::minutes(1)),
            None
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("nonsense"), None);
    }
}
