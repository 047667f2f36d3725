//! Fremmøde: the session's list, the form as posted, headcounts.

use crate::dto::staff::MeDto;
use crate::rules::attendance::Headcount;
use serde::{Deserialize, Serialize};

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
    pub headcount: Headcount,
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

crate::refusals! {
    /// Why attendance, a walk-in or a headcount was not saved.
    pub enum AttendanceRefusal {
        Cancelled => "aflyst", "staff.attendance.err.cancelled";
        NotYet => "fremtid", "staff.attendance.err.future";
        Choice => "valg", "staff.attendance.err.choice";
        NameMissing => "navn-mangler", "signup.err.name_missing";
        NameLong => "navn-for-langt", "signup.err.name_long";
        NameInvalid => "navn-ugyldigt", "signup.err.name_invalid";
        Count => "antal", "staff.attendance.err.count";
        CountMissing => "antal_mangler", "staff.attendance.err.count_missing";
        CountSum => "antal_sum", "staff.attendance.err.count_sum";
    }
}

impl From<crate::rules::attendance::Closed> for AttendanceRefusal {
    fn from(c: crate::rules::attendance::Closed) -> Self {
        match c {
            crate::rules::attendance::Closed::Cancelled => AttendanceRefusal::Cancelled,
            crate::rules::attendance::Closed::NotYet => AttendanceRefusal::NotYet,
        }
    }
}

impl From<crate::rules::signup::NameProblem> for AttendanceRefusal {
    fn from(p: crate::rules::signup::NameProblem) -> Self {
        match p {
            crate::rules::signup::NameProblem::Missing => AttendanceRefusal::NameMissing,
            crate::rules::signup::NameProblem::Long => AttendanceRefusal::NameLong,
            crate::rules::signup::NameProblem::Invalid => AttendanceRefusal::NameInvalid,
        }
    }
}

impl From<crate::rules::attendance::HeadcountProblem> for AttendanceRefusal {
    fn from(p: crate::rules::attendance::HeadcountProblem) -> Self {
        use crate::rules::attendance::HeadcountProblem;
        match p {
            HeadcountProblem::NotACount => AttendanceRefusal::Count,
            HeadcountProblem::NoTotal => AttendanceRefusal::CountMissing,
            HeadcountProblem::PartsExceedTotal => AttendanceRefusal::CountSum,
        }
    }
}
