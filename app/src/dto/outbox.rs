//! The demo outbox page's list of messages.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItemDto {
    pub id: i32,
    pub created: NaiveDateTime,
    pub recipient: String,
    pub kind: String,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// From the written `.eml` file, when there is one.
    pub subject: Option<String>,
    pub text: Option<String>,
    pub has_calendar: bool,
}
