//! The page behind a reminder's "Kommer du?" links.

use crate::dto::booking::MyBookingDto;
use serde::{Deserialize, Serialize};

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
