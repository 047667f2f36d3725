//! Why a booking action did not happen.

use sea_orm::DbErr;

use crate::services::transaction::WriteError;

/// Why a booking action did not happen. Each has a plain message on the page.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("the run does not exist or is not published")]
    NoSuchRun,
    #[error("the run is cancelled")]
    RunCancelled,
    #[error("the run is drop-in and takes no sign-ups")]
    DropIn,
    #[error("sign-up has not opened yet")]
    NotYetOpen,
    #[error("sign-up has closed")]
    Closed,
    #[error("the run is full and keeps no waiting list")]
    Full,
    #[error("no such booking for this person")]
    NoSuchBooking,
    #[error("the self-cancellation deadline has passed")]
    TooLate,
    #[error("the waiting-list offer has expired")]
    OfferExpired,
    #[error("afbud for that session is not possible")]
    SessionNotPossible,
    #[error("capacity may not go below the seats already held")]
    CapacityTooLow,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<BookingError> for DbErr {
    /// For callers that only write through the booking transactions' machinery and can meet
    /// nothing but database errors.
    fn from(e: BookingError) -> Self {
        match e {
            BookingError::Db(e) => e,
            other => DbErr::Custom(other.to_string()),
        }
    }
}

impl WriteError for BookingError {
    fn is_busy(&self) -> bool {
        matches!(self, BookingError::Db(e) if e.is_busy())
    }
}

impl BookingError {
    /// What the sign-up form (and the API, in its own words) says about a booking that did not
    /// happen.
    pub fn signup_refusal(&self) -> crate::rules::signup::SignupRefusal {
        use crate::rules::signup::SignupRefusal;
        match self {
            BookingError::RunCancelled => SignupRefusal::RunCancelled,
            BookingError::DropIn => SignupRefusal::DropIn,
            BookingError::NotYetOpen => SignupRefusal::NotOpen,
            BookingError::Closed => SignupRefusal::Closed,
            BookingError::Full => SignupRefusal::Full,
            BookingError::Db(_) => SignupRefusal::TryAgain,
            _ => SignupRefusal::Unknown,
        }
    }
}
