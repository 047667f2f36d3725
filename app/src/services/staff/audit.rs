//! The audit log: who did what to whose data, and when. Written by staff server functions in
//! the same breath as the action; read by the school's coordinators.

use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// One entry.
pub struct Entry<'a> {
    pub account_id: i32,
    pub actor: &'a str,
    pub school_id: Option<i32>,
    /// e.g. `booking.cancel`.
    pub action: &'a str,
    /// e.g. "Tilmelding 12 (hold 4)".
    pub subject: String,
    pub detail: String,
}

pub async fn record(
    db: &impl ConnectionTrait,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(now),
        account_id: Set(Some(entry.account_id)),
        actor: Set(entry.actor.chars().take(120).collect()),
        school_id: Set(entry.school_id),
        action: Set(entry.action.chars().take(40).collect()),
        subject: Set(entry.subject.chars().take(200).collect()),
        detail: Set(entry.detail),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
