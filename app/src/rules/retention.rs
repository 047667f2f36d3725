//! How long things are kept: link lifetimes, kept answers, and the period after which a run's
//! participants' personal data is due for deletion. The periods are decided here, once; the
//! services and timed jobs that delete act on them.

use chrono::{DateTime, Duration, Months, Utc};

/// How long a "Mine tilmeldinger" link works.
pub const MANAGE_LINK_DAYS: i64 = 30;
/// How long the reminder's "Kommer du?" links work.
pub const REPLY_LINK_DAYS: i64 = 30;
/// How long an evaluation link works.
pub const EVALUATION_LINK_DAYS: i64 = 30;
/// How long a private calendar feed link works.
pub const FEED_LINK_DAYS: i64 = 365;
/// How long a "Giv mig besked" address waits for a new run before it is deleted unused.
pub const WATCH_DAYS: i64 = 365;
/// How long the confirmation page can be shown again to the browser that signed up.
pub const RECEIPT_HOURS: i64 = 12;
/// How long a staff invitation works.
pub const INVITE_DAYS: i64 = 7;
/// How long a staff password reset link works.
pub const RESET_HOURS: i64 = 2;
/// How long an API answer is kept for a retry with the same `Idempotency-Key`.
pub const IDEMPOTENCY_HOURS: i64 = 24;
/// Ended staff sessions, sign-in failures and spent staff links are removed after this.
pub const STAFF_TRACES_DAYS: i64 = 1;
/// Failed mail is kept this many times as long as sent mail (to look into what went wrong).
pub const FAILED_MAIL_FACTOR: i32 = 3;
/// A school's default: participants' personal data is due for deletion this many months after
/// their run's last session.
pub const PARTICIPANT_DATA_MONTHS: u32 = 6;

/// When sent and failed mail older than these instants is deleted, for mail kept `days`.
pub fn mail_cut_offs(now: DateTime<Utc>, days: i64) -> (DateTime<Utc>, DateTime<Utc>) {
    let kept = Duration::days(days);
    (now - kept, now - kept * FAILED_MAIL_FACTOR)
}

/// When the personal data of a run whose last session ended at `last_end` is due for deletion,
/// kept `months` after it.
pub fn participant_data_due(last_end: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    last_end
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// What the audit log says an action on a booking concerned: the booking and its run, never
/// the person (administrators read the log, and it outlives the person's data).
pub fn booking_subject(booking_id: i32, run_id: i32) -> String {
    format!("Tilmelding {booking_id}, hold {run_id}")
}

/// An older audit subject that names the person ("Ane Hansen (tilmelding 12, hold 4)"), as
/// [`booking_subject`] writes it now ("Tilmelding 12, hold 4"). `None` for a subject that
/// names no one.
pub fn subject_without_person(subject: &str) -> Option<String> {
    let start = subject.rfind("(tilmelding ")?;
    let inner = subject[start + 1..].strip_suffix(')')?;
    let rest = inner.strip_prefix("tilmelding ")?;
    let (booking, run) = rest.split_once(", hold ")?;
    Some(booking_subject(booking.parse().ok()?, run.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn failed_mail_stays_three_times_as_long() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let (sent, failed) = mail_cut_offs(now, 30);
        assert_eq!(now - sent, Duration::days(30));
        assert_eq!(now - failed, Duration::days(90));
    }

    #[test]
    fn audit_subjects_name_the_booking_not_the_person() {
        assert_eq!(booking_subject(12, 4), "Tilmelding 12, hold 4");
        assert_eq!(
            subject_without_person("Ane (Hansen) (tilmelding 12, hold 4)").as_deref(),
            Some("Tilmelding 12, hold 4")
        );
        assert_eq!(subject_without_person("Hold 4"), None);
        assert_eq!(subject_without_person("X (tilmelding x, hold 4)"), None);
    }

    #[test]
    fn personal_data_is_due_months_after_the_last_session() {
        let end = Utc.with_ymd_and_hms(2026, 8, 31, 18, 0, 0).unwrap();
        assert_eq!(
            participant_data_due(end, PARTICIPANT_DATA_MONTHS),
            Utc.with_ymd_and_hms(2027, 2, 28, 18, 0, 0).unwrap()
        );
    }
}
