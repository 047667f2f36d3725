//! Dates and times as people read them: "Tirsdag 8. december 2026, kl. 17.00–20.00" in Danish,
//! "Tuesday 8 December 2026, 17:00–20:00" in English. Inputs are already local Copenhagen times.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::i18n::Locale;
use crate::tr;

/// Translation keys of the weekdays, Monday first.
pub const WEEKDAY_KEYS: [&str; 7] = [
    "weekday.mon",
    "weekday.tue",
    "weekday.wed",
    "weekday.thu",
    "weekday.fri",
    "weekday.sat",
    "weekday.sun",
];

fn month_name(l: Locale, month: u32) -> String {
    let key = format!("month.m{month}");
    tr!(l, key.as_str())
}

fn weekday_name(l: Locale, d: NaiveDate) -> String {
    let i = d.weekday().num_days_from_monday() as usize;
    WEEKDAY_KEYS.get(i).map(|k| tr!(l, *k)).unwrap_or_default()
}

/// "Tirsdag 8. december 2026" / "Tuesday 8 December 2026".
pub fn date_long(l: Locale, d: NaiveDate) -> String {
    format!("{} {}", weekday_name(l, d), date_plain(l, d))
}

/// "8. december 2026" / "8 December 2026".
pub fn date_plain(l: Locale, d: NaiveDate) -> String {
    match l {
        Locale::Da => format!("{}. {} {}", d.day(), month_name(l, d.month()), d.year()),
        Locale::En => format!("{} {} {}", d.day(), month_name(l, d.month()), d.year()),
    }
}

/// "17.00" / "17:00".
pub fn time(l: Locale, t: NaiveTime) -> String {
    match l {
        Locale::Da => format!("{:02}.{:02}", t.hour(), t.minute()),
        Locale::En => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

/// "kl. 17.00–20.00" / "17:00–20:00".
pub fn time_range(l: Locale, start: NaiveDateTime, end: NaiveDateTime) -> String {
    let range = format!("{}–{}", time(l, start.time()), time(l, end.time()));
    match l {
        Locale::Da => format!("kl. {range}"),
        Locale::En => range,
    }
}

/// "tirsdag 8. december 2026 kl. 17.00" / "Tuesday 8 December 2026 at 17:00": a moment, such
/// as a deadline.
pub fn date_time(l: Locale, t: NaiveDateTime) -> String {
    let at = match l {
        Locale::Da => "kl.",
        Locale::En => "at",
    };
    format!("{} {at} {}", date_long(l, t.date()), time(l, t.time()))
}

/// "Tirsdag 8. december 2026, kl. 17.00–20.00".
pub fn session_when(l: Locale, start: NaiveDateTime, end: NaiveDateTime) -> String {
    format!(
        "{}, {}",
        date_long(l, start.date()),
        time_range(l, start, end)
    )
}

/// "December 2026" for a month choice.
pub fn month_label(l: Locale, first: NaiveDate) -> String {
    let name = month_name(l, first.month());
    let mut chars = name.chars();
    let capitalised = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    format!("{capitalised} {}", first.year())
}

/// "2026-12" for a month's URL value.
pub fn month_value(first: NaiveDate) -> String {
    format!("{:04}-{:02}", first.year(), first.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 8)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    #[test]
    fn danish_and_english() {
        assert_eq!(
            session_when(Locale::Da, dt(17, 0), dt(20, 0)),
            "Tirsdag 8. december 2026, kl. 17.00–20.00"
        );
        assert_eq!(
            session_when(Locale::En, dt(9, 30), dt(12, 0)),
            "Tuesday 8 December 2026, 09:30–12:00"
        );
        assert_eq!(month_label(Locale::Da, dt(0, 0).date()), "December 2026");
    }
}
