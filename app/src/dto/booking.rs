//! What the sign-up, confirmation and "Mine tilmeldinger" pages show and send.

use crate::dto::catalogue::RunDto;
use crate::dto::catalogue::SchoolDto;
use crate::rules::signup::SignupForm;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Where a booking stands, as the person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingState {
    Confirmed,
    /// In the queue, as number `position`.
    Waiting {
        position: u32,
    },
    /// Offered a seat until this local time.
    Offered {
        until: NaiveDateTime,
    },
    Cancelled,
    /// An offer that ran out.
    Expired,
}

/// What the sign-up page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignupPageDto {
    /// The run, if it is listed in the catalogue now.
    pub run: Option<RunDto>,
    pub school: Option<SchoolDto>,
    /// What was typed, when a refused form comes back (what to fix is in the address).
    pub typed: Option<SignupForm>,
    /// Fresh random key for the form (see `SignupForm::key`).
    pub key: String,
}

/// One booking on "Mine tilmeldinger".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyBookingDto {
    pub id: i32,
    pub state: BookingState,
    pub run: RunDto,
    pub school: SchoolDto,
    /// The seat may be cancelled now (before the deadline).
    pub can_cancel: bool,
    pub cancel_until: Option<NaiveDateTime>,
    /// Sessions the person has given afbud for.
    pub absent_sessions: Vec<i32>,
    pub on_behalf: bool,
    /// Meeting links by session id: only for a seat on a run that takes place.
    pub online_links: Vec<(i32, String)>,
}

/// "Mine tilmeldinger" for a link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MyBookingsDto {
    /// The link is unknown or has expired.
    Invalid,
    Valid {
        bookings: Vec<MyBookingDto>,
        /// A calendar feed link made just now, shown once.
        calendar_feed: Option<String>,
    },
}

/// What the person asked for on "Mine tilmeldinger".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManageAction {
    /// Afbud for the whole run, leaving the waiting list, or turning down an offer.
    Cancel,
    Accept,
    SessionAfbud,
    SessionUndo,
}

/// The page a reminder's link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReplyPageDto {
    /// The link is unknown or has expired.
    Invalid,
    Valid {
        booking: Box<MyBookingDto>,
        /// The person has already said they are coming.
        coming: bool,
    },
}

crate::refusals! {
    /// Why no "Mine tilmeldinger" link was sent.
    pub enum LinkRefusal {
        Email => "email", "signup.err.email_invalid";
        TooMany => "mange", "mine.err_rate";
    }
}
