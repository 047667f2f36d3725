//! "Giv mig besked" about a course's next run.

use serde::{Deserialize, Serialize};

crate::refusals! {
    /// Why an address was not left.
    pub enum WatchRefusal {
        Email => "email", "watch.err.email";
        Consent => "samtykke", "watch.err.consent";
        RateLimited => "for-mange", "signup.err.rate_limited";
    }
}

/// What a "no thanks" link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WatchPageDto {
    /// Unknown, expired, or already used.
    Invalid,
    /// The address waits for news of this course.
    Waiting { course: String, school: String },
}
