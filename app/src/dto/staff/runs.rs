//! The run editor.

use crate::dto::staff::MeDto;
use crate::dto::staff::home::RunState;
use crate::rules::coproduction::TeamGap;
use crate::rules::vocabulary::TeacherKind;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A place to choose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceOption {
    pub id: i32,
    pub name: String,
    pub school_id: i32,
}

/// A teacher on the team, or one who could join it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherOption {
    pub id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub school_name: String,
}

/// One session in the editor (local times).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: i32,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub location_id: Option<i32>,
    pub online_url: Option<String>,
    pub cancelled: bool,
}

/// The run's settings as the form shows them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    pub school_id: i32,
    pub location_id: Option<i32>,
    pub capacity: Option<i32>,
    pub waitlist: bool,
    /// `automatic` or `offer`.
    pub waitlist_mode: String,
    pub offer_hours: i32,
    pub opens: Option<NaiveDateTime>,
    pub closes: Option<NaiveDateTime>,
    pub cancel_deadline_hours: i32,
    /// `None`: the school's lead time.
    pub reminder_lead_hours: Option<i32>,
    pub note: String,
}

/// What the run editor shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunEditorDto {
    pub me: MeDto,
    /// `None` while creating.
    pub id: Option<i32>,
    pub course_id: i32,
    pub course_title: String,
    pub course_slug: String,
    pub drop_in: bool,
    pub state: RunState,
    pub settings: RunSettings,
    /// Schools the run may be held at (for a new run).
    pub schools: Vec<(i32, String)>,
    pub places: Vec<PlaceOption>,
    pub team: Vec<TeacherOption>,
    /// Teachers who could join the team.
    pub candidates: Vec<TeacherOption>,
    pub sessions: Vec<SessionRow>,
    pub gaps: Vec<TeamGap>,
    pub confirmed: u32,
    pub waiting: u32,
    pub may_roster: bool,
    /// The school's own reminder lead time, shown as the default.
    pub school_lead_hours: i32,
}

/// The courses a person may make runs of, for the "new run" choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseChoice {
    pub id: i32,
    pub title: String,
    pub school_name: String,
}

/// The run settings form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    pub run: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub waitlist: String,
    #[serde(default)]
    pub waitlist_mode: String,
    #[serde(default)]
    pub offer_hours: String,
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
    #[serde(default)]
    pub cancel_deadline_hours: String,
    #[serde(default)]
    pub reminder_lead_hours: String,
    #[serde(default)]
    pub note: String,
}

/// The session form, as posted: local date and times, an optional place or online link.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub run: String,
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub online_url: String,
    /// A word to the participants about a change.
    #[serde(default)]
    pub note: String,
}

crate::refusals! {
    /// Why a change to a run was refused.
    pub enum RunRefusal {
        Capacity => "pladser", "staff.runs.err.capacity";
        CapacityLow => "pladser-faerre", "staff.runs.err.capacity_low";
        OfferHours => "tilbud", "staff.runs.err.offer_hours";
        CancelHours => "afbud", "staff.runs.err.cancel_hours";
        Lead => "paamindelse", "staff.runs.err.lead";
        Opens => "aabner", "staff.runs.err.opens";
        Closes => "lukker", "staff.runs.err.closes";
        Window => "vindue", "staff.runs.err.window";
        Place => "sted", "staff.runs.err.place";
        Note => "note", "staff.runs.err.note";
        Date => "dato", "staff.runs.err.date";
        Start => "start", "staff.runs.err.start";
        End => "slut", "staff.runs.err.end";
        EndBeforeStart => "slut-foer-start", "staff.runs.err.end_before_start";
        Link => "link", "staff.runs.err.link";
        Move => "flyt", "staff.runs.err.move";
        Cancel => "aflys", "staff.runs.err.cancel";
        Team => "team", "staff.runs.err.team";
        TeamPublished => "team-offentlig", "staff.runs.err.team_published";
        NoSessions => "ingen-gange", "staff.runs.err.no_sessions";
        CourseDraft => "kursus-kladde", "staff.runs.err.course_draft";
        NotDraft => "ikke-kladde", "staff.runs.err.not_draft";
        Confirm => "bekraeft", "staff.runs.err.confirm";
        Weeks => "uger", "staff.runs.err.weeks";
    }
}

/// A run's settings as read from its form.
#[derive(Clone, Debug, PartialEq)]
pub struct RunValues {
    /// `None` for a drop-in (no seats to count).
    pub capacity: Option<i32>,
    pub waitlist: bool,
    pub offer_mode: bool,
    pub offer_hours: i32,
    pub cancel_deadline_hours: i32,
    pub reminder_lead_hours: Option<i32>,
    pub opens: Option<chrono::DateTime<chrono::Utc>>,
    pub closes: Option<chrono::DateTime<chrono::Utc>>,
    pub location_id: Option<i32>,
    pub note: String,
}

/// A number in a range, or the refusal for the field.
pub fn number(text: &str, min: i32, max: i32, refusal: RunRefusal) -> Result<i32, RunRefusal> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or(refusal)
}

impl RunForm {
    /// Reads the settings form of a run of a course that is (or is not) a drop-in. Times are
    /// local and read by the one time policy (`rules::time`).
    pub fn values(&self, drop_in: bool) -> Result<RunValues, RunRefusal> {
        use crate::rules::time::{local_to_utc, parse_datetime_local};
        let or_default = |text: &str, default: &'static str| -> String {
            if text.trim().is_empty() {
                default.to_string()
            } else {
                text.to_string()
            }
        };
        let capacity = if drop_in {
            None
        } else {
            Some(number(&self.capacity, 1, 500, RunRefusal::Capacity)?)
        };
        let offer_hours = number(
            &or_default(&self.offer_hours, "24"),
            1,
            168,
            RunRefusal::OfferHours,
        )?;
        let cancel_deadline_hours = number(
            &or_default(&self.cancel_deadline_hours, "24"),
            0,
            336,
            RunRefusal::CancelHours,
        )?;
        let reminder_lead_hours = match self.reminder_lead_hours.trim() {
            "" => None,
            t => Some(number(t, 1, 336, RunRefusal::Lead)?),
        };
        let time = |text: &str, refusal: RunRefusal| match text.trim() {
            "" => Ok(None),
            t => parse_datetime_local(t)
                .and_then(local_to_utc)
                .map(Some)
                .ok_or(refusal),
        };
        let opens = time(&self.opens, RunRefusal::Opens)?;
        let closes = time(&self.closes, RunRefusal::Closes)?;
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            return Err(RunRefusal::Window);
        }
        let location_id = match self.location.trim() {
            "" => None,
            t => Some(t.parse::<i32>().map_err(|_| RunRefusal::Place)?),
        };
        if self.note.chars().count() > 1000 {
            return Err(RunRefusal::Note);
        }
        Ok(RunValues {
            capacity,
            waitlist: self.waitlist == "ja",
            offer_mode: self.waitlist_mode == "offer",
            offer_hours,
            cancel_deadline_hours,
            reminder_lead_hours,
            opens,
            closes,
            location_id,
            note: self.note.trim().to_string(),
        })
    }
}

impl SessionForm {
    /// The session's start and end, read from the local date and times.
    pub fn times(
        &self,
    ) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), RunRefusal> {
        use crate::rules::time::{date_time_to_utc, parse_date, parse_time};
        let date = parse_date(&self.date).ok_or(RunRefusal::Date)?;
        let start = parse_time(&self.start).ok_or(RunRefusal::Start)?;
        let end = parse_time(&self.end).ok_or(RunRefusal::End)?;
        if end <= start {
            return Err(RunRefusal::EndBeforeStart);
        }
        let starts = date_time_to_utc(date, start).ok_or(RunRefusal::Start)?;
        let ends = date_time_to_utc(date, end).ok_or(RunRefusal::End)?;
        Ok((starts, ends))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_within_their_range() {
        assert_eq!(number("12", 1, 500, RunRefusal::Capacity), Ok(12));
        assert_eq!(
            number("0", 1, 500, RunRefusal::Capacity),
            Err(RunRefusal::Capacity)
        );
        assert_eq!(
            number("tolv", 1, 500, RunRefusal::Capacity),
            Err(RunRefusal::Capacity)
        );
    }

    #[test]
    fn a_session_ends_after_it_starts_and_exists_in_local_time() {
        let form = |date: &str, start: &str, end: &str| SessionForm {
            date: date.into(),
            start: start.into(),
            end: end.into(),
            ..SessionForm::default()
        };
        assert!(form("2026-12-08", "17.00", "20:00").times().is_ok());
        assert_eq!(
            form("2026-12-08", "20:00", "17:00").times(),
            Err(RunRefusal::EndBeforeStart)
        );
        assert_eq!(
            form("8/12", "17:00", "20:00").times(),
            Err(RunRefusal::Date)
        );
        // 02:30 does not exist on 29 March 2026.
        assert_eq!(
            form("2026-03-29", "02:30", "04:00").times(),
            Err(RunRefusal::Start)
        );
    }

    #[test]
    fn the_sign_up_window_must_open_before_it_closes() {
        let form = RunForm {
            capacity: "12".into(),
            opens: "2026-12-08T10:00".into(),
            closes: "2026-12-01T10:00".into(),
            ..RunForm::default()
        };
        assert_eq!(form.values(false), Err(RunRefusal::Window));
        assert_eq!(
            form.values(true).map(|v| v.capacity),
            Err(RunRefusal::Window)
        );
        let ok = RunForm {
            capacity: "12".into(),
            ..RunForm::default()
        };
        assert_eq!(
            ok.values(false).map(|v| (v.capacity, v.offer_hours)),
            Ok((Some(12), 24))
        );
        assert_eq!(ok.values(true).map(|v| v.capacity), Ok(None));
    }
}
