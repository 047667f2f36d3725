//! Data sent from the server to pages. Times are local Copenhagen wall-clock times, worked out on
//! the server, so the browser needs no time-zone database.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::rules::catalogue::availability::Availability;
use crate::rules::vocabulary::{Audience, Format, StepFree, TeacherKind};

/// A place: an address and room, or online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceDto {
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub room: Option<String>,
    pub online: bool,
    pub step_free: StepFree,
    /// What the step-free answer means here ("Elevator til 2. sal").
    pub access_note: String,
    pub directions: String,
    pub map_url: Option<String>,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub quiet_room: bool,
    /// For an online place: the platform's name.
    pub platform: Option<String>,
}

/// One session (undervisningsgang), in local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub cancelled: bool,
    /// Set when the session is somewhere else than the run's usual place.
    pub place: Option<PlaceDto>,
}

/// A teacher as the public sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherDto {
    pub id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub title: Option<String>,
    pub bio: String,
    /// The photo's address, if the teacher has one.
    pub photo: Option<String>,
}

/// A theme for filters and course pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDto {
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
}

/// A school by name, for lists and links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolRef {
    pub slug: String,
    pub name: String,
}

/// One run (kursusgang / hold) with what a person needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDto {
    pub id: i32,
    pub course_slug: String,
    pub course_title: String,
    pub course_summary: String,
    pub format: Format,
    pub school: SchoolRef,
    pub place: Option<PlaceDto>,
    /// All sessions, in order, including past and cancelled ones.
    pub sessions: Vec<SessionDto>,
    /// The next session that takes place, if any is still to come.
    pub next_session: Option<SessionDto>,
    pub teachers: Vec<TeacherDto>,
    pub availability: Availability,
}

impl RunDto {
    /// Number of sessions that take place.
    pub fn active_sessions(&self) -> usize {
        self.sessions.iter().filter(|s| !s.cancelled).count()
    }

    /// True when every session is online.
    pub fn is_online(&self) -> bool {
        self.place.as_ref().is_some_and(|p| p.online)
    }
}

/// The choices the catalogue's filter form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueOptions {
    pub schools: Vec<SchoolRef>,
    pub themes: Vec<ThemeDto>,
    /// Months with upcoming sessions, first day of each.
    pub months: Vec<chrono::NaiveDate>,
}

/// The course page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetailDto {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub expectations: String,
    pub format: Format,
    pub audience: Audience,
    /// The picture's address and its alt text.
    pub image: Option<(String, String)>,
    pub themes: Vec<ThemeDto>,
    pub developers: Vec<TeacherDto>,
    pub school: SchoolRef,
    pub runs: Vec<RunDto>,
}

/// A school with its contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolDto {
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub intro: String,
    pub opening_hours: String,
    /// Months after a run's last session that participants' data is kept.
    pub retention_months: u32,
}

/// The school page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolDetailDto {
    pub school: SchoolDto,
    pub locations: Vec<PlaceDto>,
    pub runs: Vec<RunDto>,
}
