//! A queued e-mail (udgående mail). Written in the same transaction as the change that causes
//! it, so no booking is ever without its message; a worker sends it later.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the message says, e.g. `booking_confirmed`; the sender renders it from `payload`.
    pub kind: String,
    pub recipient: String,
    pub locale: String,
    /// JSON with the ids and facts the message needs (never a token in plain text).
    pub payload: String,
    pub booking_id: Option<i32>,
    /// Stable across retries, so a resent message is recognisable.
    pub message_id: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
