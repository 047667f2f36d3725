//! iCalendar (RFC 5545) for invitations and feeds.
//!
//! Every session is one `VEVENT` with a UID that never changes and a `SEQUENCE` that the caller
//! raises on every change, so a calendar replaces the old event instead of adding a second one.
//! Times are written as local Copenhagen wall-clock times with `TZID=Europe/Copenhagen`, and the
//! calendar carries the matching `VTIMEZONE`, so a session at 17.00 stays at 17.00 on both sides
//! of a daylight-saving change. Invitations use `METHOD:REQUEST` (or `CANCEL`), with the school
//! as organiser and the person as the one attendee; feeds carry no attendee data at all.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Copenhagen;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};

/// The one time zone sessions happen in.
pub const TZID: &str = "Europe/Copenhagen";

/// `VTIMEZONE` for Europe/Copenhagen: CET (+01:00) in winter, CEST (+02:00) from the last
/// Sunday of March at 02:00 to the last Sunday of October at 03:00 (the EU rule since 1996).
/// Written out by hand because the calendar library adds `UID`/`DTSTAMP` to components it does
/// not know, which RFC 5545 does not allow in a `VTIMEZONE`.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Copenhagen\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

const PRODID: &str = "-//Skolebaenk//Skolebaenk 1.0//DA";

/// What a calendar is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// An invitation or an update of one (`METHOD:REQUEST`).
    Request,
    /// Removes the events from the person's calendar (`METHOD:CANCEL`).
    Cancel,
    /// A subscribed feed: no `METHOD`, no attendees.
    Feed,
}

impl Method {
    /// The `method` parameter of the `text/calendar` MIME type, if any.
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            Method::Request => Some("REQUEST"),
            Method::Cancel => Some("CANCEL"),
            Method::Feed => None,
        }
    }
}

/// A person or school in a calendar: a name and an address.
#[derive(Clone, Debug)]
pub struct Party {
    pub name: String,
    pub email: String,
}

/// One session as a calendar event.
#[derive(Clone, Debug)]
pub struct SessionEvent {
    pub uid: String,
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    /// Place and address on one line.
    pub location: String,
    pub description: String,
    pub url: Option<String>,
    /// Cancelled by the school (a feed keeps it, marked cancelled).
    pub cancelled: bool,
}

/// The UID of a session's event. `kind` keeps invitations and the two feeds apart, so a person
/// who both has an invitation and subscribes to a feed never sees one replace the other.
pub fn uid(kind: &str, session_id: i32, host: &str) -> String {
    format!("{kind}-session-{session_id}@{host}")
}

/// The calendar as RFC 5545 text. `name` names a feed; `organizer` and `attendee` are for
/// invitations.
pub fn calendar(
    method: Method,
    name: Option<&str>,
    events: &[SessionEvent],
    organizer: Option<&Party>,
    attendee: Option<&Party>,
    now: DateTime<Utc>,
) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", PRODID));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    if let Some(m) = method.as_str() {
        cal.append_property(Property::new("METHOD", m));
    }
    if let Some(name) = name {
        cal.append_property(Property::new("X-WR-CALNAME", name));
        cal.append_property(Property::new("X-WR-TIMEZONE", TZID));
        cal.append_property(
            Property::new("REFRESH-INTERVAL", "PT1H")
                .add_parameter("VALUE", "DURATION")
                .done(),
        );
        cal.append_property(Property::new("X-PUBLISHED-TTL", "PT1H"));
    }
    for e in events {
        let mut event = Event::new();
        event
            .uid(&e.uid)
            .timestamp(now)
            .sequence(e.sequence)
            .starts(local(e.starts_at))
            .ends(local(e.ends_at))
            .summary(&e.summary)
            .description(&e.description)
            .add_property("TRANSP", "OPAQUE");
        if !e.location.is_empty() {
            event.location(&e.location);
        }
        if let Some(url) = &e.url {
            event.url(url);
        }
        let status = if e.cancelled || method == Method::Cancel {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        };
        event.status(status);
        if let Some(o) = organizer {
            event.append_property(
                Property::new("ORGANIZER", format!("mailto:{}", o.email))
                    .add_parameter("CN", &param_text(&o.name))
                    .done(),
            );
        }
        if let Some(a) = attendee {
            let partstat = if method == Method::Cancel {
                "DECLINED"
            } else {
                "ACCEPTED"
            };
            event.append_multi_property(
                Property::new("ATTENDEE", format!("mailto:{}", a.email))
                    .add_parameter("CN", &param_text(&a.name))
                    .add_parameter("ROLE", "REQ-PARTICIPANT")
                    .add_parameter("PARTSTAT", partstat)
                    .add_parameter("RSVP", "FALSE")
                    .done(),
            );
        }
        cal.push(event.done());
    }
    fold(&with_timezone(&cal.to_string()))
}

/// A name as a parameter value: RFC 5545 allows no double quote and no control character there
/// (not even quoted), so a `"` becomes `'` and control characters go. The calendar library
/// quotes the value when it holds `:`, `;` or `,`.
fn param_text(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect()
}

/// Longest content line, in octets, not counting the line break (RFC 5545, 3.1).
const LINE_OCTETS: usize = 75;

/// Folds every content line to at most 75 octets, continuation lines included (their leading
/// space counts), never inside a UTF-8 character. The calendar library folds continuation lines
/// to 76 octets, so its folding is undone first.
fn fold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 40);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = LINE_OCTETS;
        loop {
            if rest.len() <= limit {
                out.push_str(rest);
                out.push_str("\r\n");
                break;
            }
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            // A continuation line starts with a space, which counts.
            limit = LINE_OCTETS - 1;
        }
    }
    out
}

/// A UTC instant as a Copenhagen wall-clock time referring to the `VTIMEZONE`.
fn local(t: DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: t.with_timezone(&Copenhagen).naive_local(),
        tzid: TZID.into(),
    }
}

/// Puts the `VTIMEZONE` before the first event (or before the end of an empty calendar).
fn with_timezone(text: &str) -> String {
    let at = text
        .find("BEGIN:VEVENT")
        .or_else(|| text.find("END:VCALENDAR"))
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + VTIMEZONE.len());
    out.push_str(&text[..at]);
    out.push_str(VTIMEZONE);
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(id: i32, start: DateTime<Utc>) -> SessionEvent {
        SessionEvent {
            uid: uid("invite", id, "example.org"),
            sequence: 2,
            starts_at: start,
            ends_at: start + chrono::Duration::hours(2),
            summary: "Kursus, med komma; og semikolon".into(),
            location: "Huset, Vestergade 1, 8000 Aarhus C".into(),
            description: "Første linje\nAnden linje".into(),
            url: None,
            cancelled: false,
        }
    }

    #[test]
    fn local_times_follow_daylight_saving() {
        // 15:00 UTC is 17:00 in summer time (before 25 October 2026) and 16:00 in winter.
        let summer = Utc.with_ymd_and_hms(2026, 10, 22, 15, 0, 0).single();
        let winter = Utc.with_ymd_and_hms(2026, 10, 29, 16, 0, 0).single();
        let (Some(summer), Some(winter)) = (summer, winter) else {
            panic!("valid dates");
        };
        let text = calendar(
            Method::Request,
            None,
            &[event(1, summer), event(2, winter)],
            None,
            None,
            summer,
        );
        assert!(text.contains("DTSTART;TZID=Europe/Copenhagen:20261022T170000"));
        assert!(text.contains("DTSTART;TZID=Europe/Copenhagen:20261029T170000"));
        assert!(text.contains("METHOD:REQUEST"));
        // Text values are escaped.
        assert!(text.contains("SUMMARY:Kursus\\, med komma\\; og semikolon"));
        assert!(text.contains("DESCRIPTION:Første linje\\nAnden linje"));
        // The time zone comes before the events and exactly once.
        let tz = text.find("BEGIN:VTIMEZONE").unwrap_or(usize::MAX);
        let ev = text.find("BEGIN:VEVENT").unwrap_or(0);
        assert!(tz < ev);
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let long = format!("DESCRIPTION:{}\r\n", "æøå ".repeat(40));
        let folded = fold(&long);
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), long);
    }

    #[test]
    fn cancel_marks_events_cancelled() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).single();
        let Some(start) = start else {
            panic!("valid date")
        };
        let text = calendar(
            Method::Cancel,
            None,
            &[event(1, start)],
            Some(&Party {
                name: "Skolen".into(),
                email: "skole@example.org".into(),
            }),
            Some(&Party {
                name: "Kim".into(),
                email: "kim@example.org".into(),
            }),
            start,
        )
        .replace("\r\n ", "");
        assert!(text.contains("METHOD:CANCEL"));
        assert!(text.contains("STATUS:CANCELLED"));
        assert!(text.contains("ORGANIZER;CN=Skolen:mailto:skole@example.org"));
        assert!(text.contains("mailto:kim@example.org"));
    }
}
