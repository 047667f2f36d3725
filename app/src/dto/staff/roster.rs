//! A run's list of people.

use serde::{Deserialize, Serialize};

use crate::dto::booking::BookingState;
use crate::dto::staff::MeDto;
use crate::dto::staff::home::{CallDto, RunState};

/// One person on the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub booking_id: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub state: BookingState,
    /// Practical needs, as the person wrote them.
    pub needs: String,
    /// Signed up by someone else (name).
    pub booked_by: Option<String>,
    /// Answered "Ja, jeg kommer" to the reminder.
    pub coming: bool,
    /// An e-mail to them could not be delivered (evaluation mail not counted).
    pub mail_failed: bool,
    /// Signed up by phone without e-mail: staff call them with their news.
    pub phone_only: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    pub state: RunState,
    pub capacity: Option<u32>,
    pub first: Option<chrono::NaiveDateTime>,
    pub seats: Vec<RosterRow>,
    pub waiting: Vec<RosterRow>,
    pub may_edit: bool,
    /// Calls to make to people on the run without e-mail.
    pub calls: Vec<CallDto>,
}

/// Longest message to a class.
pub const MESSAGE_MAX: usize = 2000;

crate::refusals! {
    /// Why a change to the list did not happen. A sign-up on someone's behalf is refused with
    /// the sign-up form's own refusals (`SignupRefusal`) besides these.
    pub enum RosterRefusal {
        Consent => "samtykke", "staff.roster.err.consent";
        Cancel => "afmeld", "staff.roster.err.cancel";
        NoFreeSeat => "fuldt", "staff.roster.err.no_free_seat";
        Seat => "plads", "staff.roster.err.seat";
        Message => "besked", "staff.roster.err.message";
        Email => "email", "staff.roster.err.email";
        EmailTaken => "email-findes", "staff.roster.err.email_taken";
    }
}
