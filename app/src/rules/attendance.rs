//! Fremmøde's rules: when a session's attendance may be taken (from an hour before it begins,
//! never for a cancelled session), and what a drop-in headcount may be.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long before a session begins its attendance list opens.
pub const OPEN_BEFORE_MINUTES: i64 = 60;

/// The largest headcount a form accepts.
pub const HEADCOUNT_MAX: u32 = 500;

/// Whether attendance may be taken for a session beginning at `starts_at`.
pub fn is_open(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts_at - Duration::minutes(OPEN_BEFORE_MINUTES) <= now
}

/// Why attendance cannot be taken for a session now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    Cancelled,
    NotYet,
}

/// Whether attendance can be taken for a session now, and if not, why.
pub fn closed(cancelled: bool, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Closed> {
    if cancelled {
        Some(Closed::Cancelled)
    } else if !is_open(starts_at, now) {
        Some(Closed::NotYet)
    } else {
        None
    }
}

/// A drop-in session's count: heads in all, and (if known) how many of each perspective.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headcount {
    pub total: Option<u32>,
    pub own_experience: Option<u32>,
    pub relative: Option<u32>,
    pub professional: Option<u32>,
    pub other: Option<u32>,
}

/// What is wrong with a headcount form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadcountProblem {
    /// A count that is not a whole number from 0 to [`HEADCOUNT_MAX`].
    NotACount,
    /// No total.
    NoTotal,
    /// The parts add up to more than the total.
    PartsExceedTotal,
}

/// Reads a headcount form: a total (required) and optional counts per perspective (own
/// experience, relative, professional, other) that do not add up to more than the total.
pub fn parse_headcount(values: [&str; 5]) -> Result<Headcount, HeadcountProblem> {
    let mut parsed = [None; 5];
    for (slot, value) in parsed.iter_mut().zip(values) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match value.parse::<u32>() {
            Ok(n) if n <= HEADCOUNT_MAX => *slot = Some(n),
            _ => return Err(HeadcountProblem::NotACount),
        }
    }
    let [total, own_experience, relative, professional, other] = parsed;
    let Some(total) = total else {
        return Err(HeadcountProblem::NoTotal);
    };
    let parts: u32 = [own_experience, relative, professional, other]
        .iter()
        .flatten()
        .sum();
    if parts > total {
        return Err(HeadcountProblem::PartsExceedTotal);
    }
    Ok(Headcount {
        total: Some(total),
        own_experience,
        relative,
        professional,
        other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_headcount_needs_a_total_and_parts_that_fit_in_it() {
        use HeadcountProblem::*;
        let ok = parse_headcount(["12", "5", "", "3", " "]).expect("valid");
        assert_eq!(ok.total, Some(12));
        assert_eq!(ok.own_experience, Some(5));
        assert_eq!(ok.relative, None);
        assert_eq!(ok.professional, Some(3));
        assert_eq!(parse_headcount(["", "1", "", "", ""]), Err(NoTotal));
        assert_eq!(
            parse_headcount(["4", "3", "2", "", ""]),
            Err(PartsExceedTotal)
        );
        assert_eq!(parse_headcount(["-1", "", "", "", ""]), Err(NotACount));
        assert_eq!(parse_headcount(["tolv", "", "", "", ""]), Err(NotACount));
        assert_eq!(parse_headcount(["501", "", "", "", ""]), Err(NotACount));
        assert_eq!(
            parse_headcount(["0", "", "", "", ""]).map(|c| c.total),
            Ok(Some(0))
        );
    }

    #[test]
    fn attendance_opens_an_hour_before_and_never_for_a_cancelled_session() {
        let starts = Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap();
        assert_eq!(
            closed(false, starts, starts - Duration::minutes(61)),
            Some(Closed::NotYet)
        );
        assert_eq!(closed(false, starts, starts - Duration::minutes(60)), None);
        assert_eq!(closed(true, starts, starts), Some(Closed::Cancelled));
    }
}
