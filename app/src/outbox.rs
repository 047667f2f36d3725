//! The outbox: e-mails to send, written in the same transaction as the change that causes them.
//! A row holds what kind of message it is and the facts it needs; the sender renders the text
//! (and mints any link token) when it sends, so no token is stored in plain text.

use chrono::{DateTime, Utc};
use entity::outbox_message;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;

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

/// Queues a message on `db`, which should be the transaction making the change.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    message: Message<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut id = [0u8; 16];
    rand::rng().fill_bytes(&mut id);
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    outbox_message::ActiveModel {
        kind: Set(message.kind.as_str().into()),
        recipient: Set(message.recipient.into()),
        locale: Set(message.locale.into()),
        payload: Set(message.payload.to_string()),
        booking_id: Set(message.booking_id),
        message_id: Set(format!("<{hex}@skolebaenk>")),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
