//! What a run's seat situation is right now, as the catalogue shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The seat situation of a run, from a would-be participant's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// Drop-in or café: just come, no sign-up.
    DropIn,
    /// Seats left.
    Open { left: i32 },
    /// Full, and new sign-ups join the waiting list.
    Waitlist,
    /// Full, with no waiting list.
    Full,
    /// Sign-up has not opened yet; the local time it opens.
    NotYetOpen { opens: chrono::NaiveDateTime },
    /// Sign-up has closed, or the run has begun.
    Closed,
    /// The school has cancelled the run.
    Cancelled,
}

impl Availability {
    /// True when a person can get a seat now, or needs none.
    pub fn has_room(self) -> bool {
        matches!(self, Availability::DropIn | Availability::Open { .. })
    }
}

/// The facts a run's availability depends on.
#[derive(Debug, Clone, Copy)]
pub struct SeatFacts {
    pub cancelled: bool,
    pub drop_in: bool,
    pub capacity: Option<i32>,
    /// Seats held: confirmed bookings and open waiting-list offers.
    pub held: i32,
    /// People waiting in line.
    pub waiting: i32,
    pub waitlist_enabled: bool,
    pub signup_opens_at: Option<DateTime<Utc>>,
    pub signup_closes_at: Option<DateTime<Utc>>,
    /// Start of the first session that takes place.
    pub first_start: Option<DateTime<Utc>>,
}

/// Works out the availability at `now`. `to_local` turns an instant into local wall-clock time.
pub fn availability(
    facts: SeatFacts,
    now: DateTime<Utc>,
    to_local: impl Fn(DateTime<Utc>) -> chrono::NaiveDateTime,
) -> Availability {
    if facts.cancelled {
        return Availability::Cancelled;
    }
    let Some(capacity) = facts.capacity.filter(|_| !facts.drop_in) else {
        return Availability::DropIn;
    };
    if let Some(opens) = facts.signup_opens_at
        && now < opens
    {
        return Availability::NotYetOpen {
            opens: to_local(opens),
        };
    }
    let closes = facts.signup_closes_at.or(facts.first_start);
    if closes.is_some_and(|c| now >= c) {
        return Availability::Closed;
    }
    let left = capacity - facts.held;
    // A free seat with people still in line belongs to them, not to a newcomer.
    if left > 0 && facts.waiting == 0 {
        Availability::Open { left }
    } else if facts.waitlist_enabled {
        Availability::Waitlist
    } else {
        Availability::Full
    }
}

/// The seat situation as a short label.
pub fn availability_text(l: crate::i18n::Locale, a: Availability) -> String {
    use crate::format;
    use crate::tr;
    match a {
        Availability::DropIn => tr!(l, "seats.drop_in"),
        Availability::Open { left: 1 } => tr!(l, "seats.left_one"),
        Availability::Open { left } => tr!(l, "seats.left_many", count = left),
        Availability::Waitlist => tr!(l, "seats.waitlist"),
        Availability::Full => tr!(l, "seats.full"),
        Availability::NotYetOpen { opens } => {
            tr!(l, "seats.opens", date = format::date_plain(l, opens.date()))
        }
        Availability::Closed => tr!(l, "seats.closed"),
        Availability::Cancelled => tr!(l, "seats.cancelled"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn facts() -> SeatFacts {
        SeatFacts {
            cancelled: false,
            drop_in: false,
            capacity: Some(10),
            held: 4,
            waiting: 0,
            waitlist_enabled: true,
            signup_opens_at: Some(at(1, 8)),
            signup_closes_at: None,
            first_start: Some(at(20, 16)),
        }
    }

    fn local(t: DateTime<Utc>) -> chrono::NaiveDateTime {
        t.naive_utc()
    }

    #[test]
    fn seats_left_while_open() {
        assert_eq!(
            availability(facts(), at(5, 8), local),
            Availability::Open { left: 6 }
        );
    }

    #[test]
    fn full_run_offers_waitlist_or_not() {
        let full = SeatFacts {
            held: 10,
            waiting: 0,
            ..facts()
        };
        assert_eq!(availability(full, at(5, 8), local), Availability::Waitlist);
        let no_list = SeatFacts {
            waitlist_enabled: false,
            ..full
        };
        assert_eq!(availability(no_list, at(5, 8), local), Availability::Full);
        let over = SeatFacts {
            held: 12,
            waiting: 0,
            ..facts()
        };
        assert_eq!(availability(over, at(5, 8), local), Availability::Waitlist);
    }

    #[test]
    fn a_free_seat_with_people_in_line_is_theirs() {
        let queued = SeatFacts {
            held: 9,
            waiting: 2,
            ..facts()
        };
        assert_eq!(
            availability(queued, at(5, 8), local),
            Availability::Waitlist
        );
    }

    #[test]
    fn window_before_and_after() {
        assert_eq!(
            availability(facts(), at(1, 7), local),
            Availability::NotYetOpen {
                opens: at(1, 8).naive_utc()
            }
        );
        assert_eq!(
            availability(facts(), at(20, 16), local),
            Availability::Closed
        );
        let closes_early = SeatFacts {
            signup_closes_at: Some(at(18, 12)),
            ..facts()
        };
        assert_eq!(
            availability(closes_early, at(19, 8), local),
            Availability::Closed
        );
    }

    #[test]
    fn drop_in_and_cancelled() {
        let drop_in = SeatFacts {
            drop_in: true,
            ..facts()
        };
        assert_eq!(availability(drop_in, at(5, 8), local), Availability::DropIn);
        let no_capacity = SeatFacts {
            capacity: None,
            ..facts()
        };
        assert_eq!(
            availability(no_capacity, at(5, 8), local),
            Availability::DropIn
        );
        let cancelled = SeatFacts {
            cancelled: true,
            ..facts()
        };
        assert_eq!(
            availability(cancelled, at(5, 8), local),
            Availability::Cancelled
        );
    }
}
