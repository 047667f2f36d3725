//! Fremmøde: the session's list, the form as posted, headcounts.

use crate::dto::staff::MeDto;
use serde::{Deserialize, Serialize};

/// The largest headcount a form accepts.
pub const HEADCOUNT_MAX: u32 = 500;

/// One session of the run, to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub id: i32,
    /// 1-based number of the session in the run.
    pub number: usize,
    pub starts: chrono::NaiveDateTime,
    pub ends: chrono::NaiveDateTime,
    pub cancelled: bool,
    /// Attendance or a headcount has been recorded.
    pub recorded: bool,
    /// Attendance may be recorded (the session has begun, or is about to).
    pub open: bool,
}

/// One person on the attendance list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub booking_id: i32,
    pub name: String,
    /// The recorded status's slug (`present`, `late`, `left_early`, `absent`, `afbud`); for a
    /// person who gave afbud in advance and has nothing recorded, `afbud`.
    pub status: Option<String>,
    /// Gave afbud for this session in advance.
    pub afbud_in_advance: bool,
    /// Came without signing up.
    pub walk_in: bool,
}

/// A drop-in session's count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadcountDto {
    pub total: Option<u32>,
    pub own_experience: Option<u32>,
    pub relative: Option<u32>,
    pub professional: Option<u32>,
    pub other: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    /// A drop-in: heads are counted, no names.
    pub drop_in: bool,
    pub sessions: Vec<SessionChoice>,
    /// The session shown.
    pub session: Option<SessionChoice>,
    pub rows: Vec<AttendanceRow>,
    pub headcount: HeadcountDto,
}

/// The attendance form, as posted: `status[b<booking id>]` per person (a letter first: serde_qs
/// reads numeric keys as list positions). `all=present` marks everyone not yet marked present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub status: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub all: String,
}
