//! Does a run match a filter? Dates, weekdays and times of day are judged in Copenhagen local
//! time, so a session at 00.30 on the night clocks change still counts for the right day.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::filter::{CatalogueFilter, Mode};
use crate::rules::time::to_local;
use crate::rules::vocabulary::{Audience, Format};

/// One session as the filter sees it.
#[derive(Debug, Clone, Copy)]
pub struct SessionFacts {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
}

/// What the filter needs to know about a run.
#[derive(Debug, Clone)]
pub struct RunFacts<'a> {
    pub school_slug: &'a str,
    pub theme_slugs: &'a [String],
    pub format: Format,
    pub audience: Audience,
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub online: bool,
    pub has_room: bool,
    pub sessions: &'a [SessionFacts],
}

/// True when the run has a session still to come that satisfies the date, weekday and time
/// filters, and the run itself satisfies the rest.
pub fn matches(filter: &CatalogueFilter, run: &RunFacts<'_>, now: DateTime<Utc>) -> bool {
    if filter
        .school
        .as_deref()
        .is_some_and(|s| s != run.school_slug)
    {
        return false;
    }
    if let Some(theme) = &filter.theme
        && !run.theme_slugs.iter().any(|t| t == theme)
    {
        return false;
    }
    if filter.format.is_some_and(|f| f != run.format) {
        return false;
    }
    if filter.audience.is_some_and(|a| a != run.audience) {
        return false;
    }
    match filter.mode {
        Some(Mode::Online) if !run.online => return false,
        Some(Mode::Physical) if run.online => return false,
        _ => {}
    }
    if filter.free_seats && !run.has_room {
        return false;
    }
    if let Some(q) = &filter.q
        && !text_matches(q, &[run.title, run.summary, run.description])
    {
        return false;
    }
    let (from, to) = filter.date_range();
    run.sessions.iter().any(|s| {
        if s.cancelled || s.ends_at <= now {
            return false;
        }
        let local = to_local(s.starts_at);
        let date = local.date();
        from.is_none_or(|f| date >= f)
            && to.is_none_or(|t| date <= t)
            && (filter.weekdays.is_empty()
                || filter
                    .weekdays
                    .contains(&(local.weekday().num_days_from_monday() as u8)))
            && (filter.times.is_empty()
                || filter
                    .times
                    .contains(&super::filter::TimeOfDay::of_hour(local.hour())))
    })
}

/// Every word of `query` occurs in one of `fields`, ignoring case.
pub fn text_matches(query: &str, fields: &[&str]) -> bool {
    let haystack = fields.join("\n").to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalogue::filter::TimeOfDay;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap_or_default()
    }

    fn session(start: DateTime<Utc>) -> SessionFacts {
        SessionFacts {
            starts_at: start,
            ends_at: start + chrono::Duration::hours(3),
            cancelled: false,
        }
    }

    fn run(sessions: &[SessionFacts]) -> RunFacts<'_> {
        RunFacts {
            school_slug: "aarhus",
            theme_slugs: &[],
            format: Format::Course,
            audience: Audience::Everyone,
            title: "Søvn og hvile",
            summary: "Om at sove bedre",
            description: "Vi taler om nætter, der er lange.",
            online: false,
            has_room: true,
            sessions,
        }
    }

    fn filter(pairs: &[(&str, &str)]) -> CatalogueFilter {
        CatalogueFilter::from_pairs(pairs.iter().copied())
    }

    const LONG_AGO: fn() -> DateTime<Utc> = || utc(2020, 1, 1, 0, 0);

    /// 22.30 UTC on 24 October 2026 is 00.30 on Sunday 25 October in Copenhagen (still summer
    /// time, UTC+2): it belongs to the 25th, the day the clocks go back.
    #[test]
    fn date_range_uses_local_date_across_autumn_dst_change() {
        let s = [session(utc(2026, 10, 24, 22, 30))];
        let r = run(&s);
        assert!(matches(
            &filter(&[("fra", "2026-10-25"), ("til", "2026-10-25")]),
            &r,
            LONG_AGO()
        ));
        assert!(!matches(&filter(&[("til", "2026-10-24")]), &r, LONG_AGO()));
        assert!(matches(&filter(&[("dag", "soen")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("dag", "loer")]), &r, LONG_AGO()));
    }

    /// 23.30 UTC on 28 March 2027 is 01.30 on 29 March in Copenhagen (summer time since 02.00
    /// that night, UTC+2), and 22.30 UTC on 27 March is 23.30 on the 27th (winter time, UTC+1).
    #[test]
    fn date_range_uses_local_date_across_spring_dst_change() {
        let late = [session(utc(2027, 3, 28, 23, 30))];
        assert!(matches(
            &filter(&[("fra", "2027-03-29")]),
            &run(&late),
            LONG_AGO()
        ));
        let before = [session(utc(2027, 3, 27, 22, 30))];
        assert!(matches(
            &filter(&[("til", "2027-03-27")]),
            &run(&before),
            LONG_AGO()
        ));
        assert!(!matches(
            &filter(&[("fra", "2027-03-28")]),
            &run(&before),
            LONG_AGO()
        ));
    }

    /// 16.00 UTC is 18.00 in summer and 17.00 in winter: evening both times. 15.30 UTC is 17.30
    /// in summer (evening) but 16.30 in winter (afternoon).
    #[test]
    fn time_of_day_is_local() {
        let summer = [session(utc(2027, 6, 15, 15, 30))];
        let winter = [session(utc(2027, 1, 12, 15, 30))];
        let evening = filter(&[("tid", "aften")]);
        let afternoon = filter(&[("tid", "eftermiddag")]);
        assert!(matches(&evening, &run(&summer), LONG_AGO()));
        assert!(!matches(&afternoon, &run(&summer), LONG_AGO()));
        assert!(matches(&afternoon, &run(&winter), LONG_AGO()));
        assert!(!matches(&evening, &run(&winter), LONG_AGO()));
        assert_eq!(
            TimeOfDay::of_hour(to_local(utc(2027, 1, 12, 8, 0)).hour()),
            TimeOfDay::Morning
        );
    }

    #[test]
    fn weekday_and_time_must_hold_for_the_same_session() {
        // Tuesday morning (09.00 local) and Thursday evening (18.00 local), January: UTC+1.
        let s = [
            session(utc(2027, 1, 12, 8, 0)),
            session(utc(2027, 1, 14, 17, 0)),
        ];
        let r = run(&s);
        assert!(matches(
            &filter(&[("dag", "tir"), ("tid", "formiddag")]),
            &r,
            LONG_AGO()
        ));
        assert!(matches(
            &filter(&[("dag", "tor"), ("tid", "aften")]),
            &r,
            LONG_AGO()
        ));
        assert!(!matches(
            &filter(&[("dag", "tir"), ("tid", "aften")]),
            &r,
            LONG_AGO()
        ));
    }

    #[test]
    fn month_filter_is_local_month() {
        // 23.30 UTC on 31 January 2027 is 00.30 on 1 February in Copenhagen.
        let s = [session(utc(2027, 1, 31, 23, 30))];
        assert!(matches(
            &filter(&[("maaned", "2027-02")]),
            &run(&s),
            LONG_AGO()
        ));
        assert!(!matches(
            &filter(&[("maaned", "2027-01")]),
            &run(&s),
            LONG_AGO()
        ));
    }

    #[test]
    fn past_and_cancelled_sessions_do_not_count() {
        let mut s = [
            session(utc(2027, 1, 12, 8, 0)),
            session(utc(2027, 1, 19, 8, 0)),
        ];
        let now = utc(2027, 1, 15, 0, 0);
        assert!(matches(&filter(&[("maaned", "2027-01")]), &run(&s), now));
        assert!(!matches(&filter(&[("til", "2027-01-13")]), &run(&s), now));
        s[1].cancelled = true;
        assert!(!matches(&filter(&[]), &run(&s), now));
    }

    #[test]
    fn other_filters() {
        let s = [session(utc(2027, 1, 12, 8, 0))];
        let r = run(&s);
        assert!(matches(&filter(&[("q", "SØVN bedre")]), &r, LONG_AGO()));
        assert!(matches(&filter(&[("q", "nætter")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("q", "søvn angst")]), &r, LONG_AGO()));
        assert!(matches(&filter(&[("skole", "aarhus")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("skole", "viborg")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("sted", "online")]), &r, LONG_AGO()));
        assert!(matches(&filter(&[("sted", "fysisk")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("format", "workshop")]), &r, LONG_AGO()));
        assert!(!matches(&filter(&[("for", "paarorende")]), &r, LONG_AGO()));
        let themes = vec!["soevn".to_string()];
        let themed = RunFacts {
            theme_slugs: &themes,
            has_room: false,
            ..run(&s)
        };
        assert!(matches(&filter(&[("tema", "soevn")]), &themed, LONG_AGO()));
        assert!(!matches(&filter(&[("tema", "angst")]), &themed, LONG_AGO()));
        assert!(!matches(&filter(&[("ledige", "ja")]), &themed, LONG_AGO()));
    }
}
