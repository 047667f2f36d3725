//! A sign-up (tilmelding) to a run: a confirmed seat, a place in the queue, an offer, or a
//! finished booking kept for the school's figures until personal data is cleared.

use sea_orm::entity::prelude::*;

use crate::{BookingStatus, Perspective};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    /// A first name or nickname is enough.
    pub name: String,
    /// As typed; the confirmation goes here.
    pub email: String,
    /// Trimmed and lower-cased e-mail: the key for "one active booking per e-mail per run" and
    /// for "Mine tilmeldinger".
    pub email_key: String,
    pub phone: Option<String>,
    pub perspective: Option<Perspective>,
    pub municipality: Option<String>,
    /// Practical needs (step-free access, interpreter); never health details.
    pub needs: String,
    pub status: BookingStatus,
    /// Order in the waiting list; set when the person joins it, kept when promoted.
    pub queue_no: Option<i32>,
    /// Deadline of a waiting-list offer (status `offered`).
    pub offer_expires_at: Option<DateTimeUtc>,
    /// Version of the privacy notice the person accepted, and when.
    pub consent_version: String,
    pub consent_at: Option<DateTimeUtc>,
    /// Set when someone signed the person up on their behalf (a relative or staff member).
    pub booked_by_name: Option<String>,
    pub booked_by_email: Option<String>,
    /// `web`, `staff`, `api` or `demo`.
    pub source: String,
    /// Language the person used; their messages follow it.
    pub locale: String,
    /// SHA-256 of the browser's receipt key, so the confirmation page can be shown again to the
    /// browser that made the booking and to no one else.
    pub receipt_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    /// Raised on every change of the person's calendar entries for this booking; a calendar
    /// event's `SEQUENCE` is the session's number plus this one.
    pub calendar_seq: i32,
    /// Start of the first session the last reminder was about.
    pub reminder_for: Option<DateTimeUtc>,
    /// `coming` once the person answered "Ja, jeg kommer" to the reminder.
    pub rsvp: Option<String>,
    pub rsvp_at: Option<DateTimeUtc>,
    pub evaluation_invited_at: Option<DateTimeUtc>,
    pub evaluation_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
