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
