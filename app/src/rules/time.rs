//! Time as the schools live it: Copenhagen wall-clock time. The database stores instants (UTC);
//! pages, mails and forms speak local time. This is the one place that converts between them,
//! with one policy for the two hours a year that do not map one-to-one:
//! - the hour repeated in autumn (02:00–03:00 twice) is read as its **first** occurrence;
//! - the hour skipped in spring (02:00–03:00 does not exist) is **refused** (`None`), so a form
//!   can say so rather than silently move a class.
//!
//! It also holds the term rule: forår is January–June, efterår July–December.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use serde::{Deserialize, Serialize};

/// An instant as Copenhagen wall-clock time.
pub fn to_local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Copenhagen).naive_local()
}

/// An instant with the Copenhagen offset of its moment (for RFC 3339 in the API).
pub fn in_copenhagen(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&Copenhagen).fixed_offset()
}

/// Today's date in Copenhagen at `now`.
pub fn local_today(now: DateTime<Utc>) -> NaiveDate {
    to_local(now).date()
}

/// A Copenhagen wall-clock time as an instant: the first of a repeated hour, `None` for a time
/// that does not exist (the hour skipped in spring).
pub fn local_to_utc(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    Copenhagen
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// [`local_to_utc`] of a date and a time of day.
pub fn date_time_to_utc(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    local_to_utc(date.and_time(time))
}

/// A Copenhagen wall-clock time with its UTC offset (for RFC 3339 in the API), by the same
/// policy; a time that does not exist is given as UTC, which no stored instant produces.
pub fn with_offset(local: NaiveDateTime) -> DateTime<FixedOffset> {
    match Copenhagen.from_local_datetime(&local).earliest() {
        Some(t) => t.fixed_offset(),
        None => local.and_utc().fixed_offset(),
    }
}

/// A date as a form posts it (`2026-12-08`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A time of day as people type it (`17:00`, `17.00`, `9:30`).
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().replace('.', ":");
    NaiveTime::parse_from_str(&s, "%H:%M").ok()
}

/// A `datetime-local` input's value (`2026-12-08T17:00`).
pub fn parse_datetime_local(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M").ok()
}

/// A half of the school year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Term {
    /// January to June.
    Spring,
    /// July to December.
    Autumn,
}

impl Term {
    pub fn label_key(self) -> &'static str {
        match self {
            Term::Spring => "staff.term.spring",
            Term::Autumn => "staff.term.autumn",
        }
    }
}

/// A term of a year with its first and last day (inclusive, local dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermSpan {
    pub term: Term,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl TermSpan {
    /// The term in an address: `2027-foraar`, `2026-efteraar`.
    pub fn slug(&self) -> String {
        let half = match self.term {
            Term::Spring => "foraar",
            Term::Autumn => "efteraar",
        };
        format!("{}-{half}", self.year)
    }

    /// The term after this one.
    pub fn next(&self) -> TermSpan {
        term_of(self.to + chrono::Duration::days(1))
    }

    /// Reads a term's slug; years outside 2000–2100 are not terms.
    pub fn from_slug(slug: &str) -> Option<TermSpan> {
        let (year, half) = slug.trim().split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let month = match half {
            "foraar" => 1,
            "efteraar" => 7,
            _ => return None,
        };
        Some(term_of(NaiveDate::from_ymd_opt(year, month, 1)?))
    }
}

/// The term holding `day`.
pub fn term_of(day: NaiveDate) -> TermSpan {
    let year = day.year();
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(day);
    if day.month() <= 6 {
        TermSpan {
            term: Term::Spring,
            year,
            from: date(1, 1),
            to: date(6, 30),
        }
    } else {
        TermSpan {
            term: Term::Autumn,
            year,
            from: date(7, 1),
            to: date(12, 31),
        }
    }
}

/// A run's sign-up window: its own times, or else the school's defaults (days before and
/// hours before) counted back from the first session's start.
pub fn signup_window(
    own: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    defaults: (Option<i32>, Option<i32>),
    first: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let opens = own.0.or_else(|| {
        defaults
            .0
            .map(|d| first - chrono::Duration::days(i64::from(d)))
    });
    let closes = own.1.or_else(|| {
        defaults
            .1
            .map(|h| first - chrono::Duration::hours(i64::from(h)))
    });
    (opens, closes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_have_slugs_and_follow_each_other() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a valid date");
        let autumn = term_of(day);
        assert_eq!(autumn.slug(), "2026-efteraar");
        let spring = autumn.next();
        assert_eq!(
            (spring.slug().as_str(), spring.from, spring.to.month()),
            (
                "2027-foraar",
                NaiveDate::from_ymd_opt(2027, 1, 1).expect("a valid date"),
                6
            )
        );
        assert_eq!(TermSpan::from_slug("2027-foraar"), Some(spring));
        for bad in ["", "2027", "2027-sommer", "1999-foraar", "x-foraar"] {
            assert_eq!(TermSpan::from_slug(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_window_left_open_follows_the_school() {
        let first = Utc.with_ymd_and_hms(2027, 3, 1, 16, 0, 0).unwrap();
        let own = Utc.with_ymd_and_hms(2027, 2, 1, 8, 0, 0).unwrap();
        assert_eq!(
            signup_window((None, None), (Some(30), Some(2)), first),
            (
                Some(Utc.with_ymd_and_hms(2027, 1, 30, 16, 0, 0).unwrap()),
                Some(Utc.with_ymd_and_hms(2027, 3, 1, 14, 0, 0).unwrap())
            )
        );
        assert_eq!(
            signup_window((Some(own), None), (Some(30), None), first),
            (Some(own), None),
            "the run's own time wins, and no default leaves it open"
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    #[test]
    fn local_times_round_trip_outside_the_changes() {
        let winter = date_time_to_utc(d(2026, 12, 8), t(17, 0)).expect("exists");
        assert_eq!(winter, Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap());
        assert_eq!(to_local(winter), d(2026, 12, 8).and_time(t(17, 0)));
        let summer = date_time_to_utc(d(2026, 6, 8), t(17, 0)).expect("exists");
        assert_eq!(summer, Utc.with_ymd_and_hms(2026, 6, 8, 15, 0, 0).unwrap());
    }

    #[test]
    fn the_skipped_hour_is_refused_and_the_repeated_hour_is_the_first() {
        // 29 March 2026: 02:00 becomes 03:00.
        assert_eq!(date_time_to_utc(d(2026, 3, 29), t(2, 30)), None);
        assert!(date_time_to_utc(d(2026, 3, 29), t(3, 0)).is_some());
        // 25 October 2026: 02:00–03:00 happens twice; the first is at 00:30 UTC.
        assert_eq!(
            date_time_to_utc(d(2026, 10, 25), t(2, 30)),
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
        assert_eq!(
            with_offset(d(2026, 10, 25).and_time(t(2, 30)))
                .offset()
                .local_minus_utc(),
            7200
        );
    }

    #[test]
    fn form_values_are_read_plainly() {
        assert_eq!(parse_date("2026-12-08"), Some(d(2026, 12, 8)));
        assert_eq!(parse_time("17.00"), Some(t(17, 0)));
        assert_eq!(parse_time("9:30"), Some(t(9, 30)));
        assert!(parse_time("25:00").is_none());
        assert!(parse_datetime_local("2026-12-08T17:00").is_some());
    }

    #[test]
    fn terms_are_halves_of_the_year() {
        let spring = term_of(d(2026, 3, 29));
        assert_eq!(
            (spring.term, spring.from, spring.to),
            (Term::Spring, d(2026, 1, 1), d(2026, 6, 30))
        );
        let autumn = term_of(d(2026, 12, 1));
        assert_eq!(
            (autumn.term, autumn.from, autumn.to),
            (Term::Autumn, d(2026, 7, 1), d(2026, 12, 31))
        );
        let t = term_of(d(2026, 11, 23));
        assert_eq!(
            (t.term, t.year, t.from, t.to),
            (Term::Autumn, 2026, d(2026, 7, 1), d(2026, 12, 31))
        );
        let t = term_of(d(2027, 6, 30));
        assert_eq!(
            (t.term, t.year, t.from, t.to),
            (Term::Spring, 2027, d(2027, 1, 1), d(2027, 6, 30))
        );
        assert_eq!(term_of(d(2027, 7, 1)).term, Term::Autumn);
        assert_eq!(term_of(d(2027, 7, 1)).year, 2027);
    }
}
