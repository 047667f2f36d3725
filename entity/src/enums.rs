//! Enumerations stored as short strings, so they read well in SQL on SQLite and PostgreSQL alike.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The three kinds of teacher in a co-producing team.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum TeacherKind {
    /// Peer-underviser: lived experience turned into experiential expertise.
    #[sea_orm(string_value = "peer")]
    Peer,
    /// Fagprofessionel underviser.
    #[sea_orm(string_value = "professional")]
    Professional,
    /// Pårørende-underviser: a relative's experience.
    #[sea_orm(string_value = "relative")]
    Relative,
}

/// Course formats seen in the field.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum CourseFormat {
    #[sea_orm(string_value = "course")]
    Course,
    #[sea_orm(string_value = "series")]
    Series,
    #[sea_orm(string_value = "workshop")]
    Workshop,
    #[sea_orm(string_value = "theme_day")]
    ThemeDay,
    #[sea_orm(string_value = "talk")]
    Talk,
    /// Drop-in or café: no sign-up, heads are counted.
    #[sea_orm(string_value = "drop_in")]
    DropIn,
}

/// Who a course especially speaks to. Everyone may sign up to every course.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Audience {
    #[sea_orm(string_value = "everyone")]
    Everyone,
    #[sea_orm(string_value = "own_experience")]
    OwnExperience,
    #[sea_orm(string_value = "relatives")]
    Relatives,
    #[sea_orm(string_value = "professionals")]
    Professionals,
    #[sea_orm(string_value = "young")]
    Young,
}

/// Whether a place can be reached without steps.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum StepFree {
    #[sea_orm(string_value = "yes")]
    Yes,
    /// Some of the way: the detail says what.
    #[sea_orm(string_value = "partly")]
    Partly,
    #[sea_orm(string_value = "no")]
    No,
}

/// Life cycle of a catalogue item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum CourseStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Life cycle of a run (kursusgang).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum RunStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// State of a booking (tilmelding).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum BookingStatus {
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Next in line in a run with offer mode: the seat is held until the offer expires.
    #[sea_orm(string_value = "offered")]
    Offered,
    /// Afbud, left the waiting list, or cancelled by staff.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// An offer that was not accepted in time; the seat passed on.
    #[sea_orm(string_value = "expired")]
    Expired,
}

impl BookingStatus {
    /// Statuses that hold a place on the run or in its queue. One e-mail may have at most one
    /// booking in these statuses per run (a partial unique index in the database).
    pub const ACTIVE: [BookingStatus; 3] = [
        BookingStatus::Confirmed,
        BookingStatus::Waitlisted,
        BookingStatus::Offered,
    ];

    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }
}

/// How a freed seat goes to the waiting list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum WaitlistMode {
    /// The next in line is confirmed at once.
    #[sea_orm(string_value = "automatic")]
    Automatic,
    /// The next in line gets an offer to accept before a deadline.
    #[sea_orm(string_value = "offer")]
    Offer,
}

/// How a participant sees themself on the course ("Jeg deltager som ..."). Optional; only ever
/// reported in aggregate.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Perspective {
    #[sea_orm(string_value = "own_experience")]
    OwnExperience,
    #[sea_orm(string_value = "relative")]
    Relative,
    #[sea_orm(string_value = "professional")]
    Professional,
    #[sea_orm(string_value = "other")]
    Other,
    #[sea_orm(string_value = "undisclosed")]
    Undisclosed,
}

/// A staff role. Administrators act on the whole installation; the others at one school.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum StaffRoleKind {
    #[sea_orm(string_value = "admin")]
    Admin,
    /// Koordinator / skoleleder: runs a school.
    #[sea_orm(string_value = "coordinator")]
    Coordinator,
    /// Underviser: their own courses and runs.
    #[sea_orm(string_value = "teacher")]
    Teacher,
    /// Ledelse: reads reports.
    #[sea_orm(string_value = "management")]
    Management,
}

/// How a person took part in one session (fremmøde).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
pub enum AttendanceStatus {
    #[sea_orm(string_value = "present")]
    Present,
    #[sea_orm(string_value = "late")]
    Late,
    #[sea_orm(string_value = "left_early")]
    LeftEarly,
    #[sea_orm(string_value = "absent")]
    Absent,
    /// Afbud given for the session (in advance, or to the teacher).
    #[sea_orm(string_value = "afbud")]
    Afbud,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 5] = [
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::LeftEarly,
        AttendanceStatus::Absent,
        AttendanceStatus::Afbud,
    ];

    /// The value in forms and the database.
    pub fn slug(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Late => "late",
            AttendanceStatus::LeftEarly => "left_early",
            AttendanceStatus::Absent => "absent",
            AttendanceStatus::Afbud => "afbud",
        }
    }

    pub fn from_slug(s: &str) -> Option<AttendanceStatus> {
        Self::ALL.into_iter().find(|a| a.slug() == s)
    }

    /// Whether the person was there (for all or part of the session).
    pub fn attended(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Present | AttendanceStatus::Late | AttendanceStatus::LeftEarly
        )
    }
}
