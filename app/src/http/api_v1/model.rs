//! What the API sends and accepts. These types are the contract: the OpenAPI document is
//! generated from them, and they are built from the app's own DTOs, never from entities, so
//! the database can change without changing the API. Names are English and `snake_case`;
//! times are RFC 3339 with the Copenhagen offset of the day.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::catalogue::{PlaceDto, RunDto, SchoolDto, SessionDto, TeacherDto, ThemeDto};
use crate::rules::catalogue::availability::Availability;
use crate::rules::vocabulary::StepFree;

/// A recovery school.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct School {
    /// The school's short name in addresses, e.g. `randers`.
    #[schema(example = "randers")]
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub opening_hours: String,
    /// The school's colour, `#rrggbb`.
    #[schema(example = "#1f5f5b", pattern = "^#[0-9a-f]{6}$")]
    pub colour: String,
    /// The school's page.
    pub url: String,
    /// The school's public calendar (iCalendar), the same runs and times as this API.
    pub calendar_url: String,
}

impl School {
    pub fn new(s: SchoolDto, colour: String, base: &str) -> Self {
        School {
            url: format!("{base}/skoler/{}", s.slug),
            calendar_url: format!("{base}/skoler/{}/kalender.ics", s.slug),
            slug: s.slug,
            name: s.name,
            street: s.street,
            postal_code: s.postal_code,
            city: s.city,
            email: s.email,
            phone: s.phone,
            opening_hours: s.opening_hours,
            colour,
        }
    }
}

/// Where something takes place.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Place {
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub room: Option<String>,
    pub online: bool,
    /// Reachable without steps all the way (`step_free_level` is `yes`).
    pub step_free: bool,
    pub step_free_level: StepFreeLevel,
    /// What the step-free answer means here.
    pub access_note: String,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub quiet_room: bool,
    pub map_url: Option<String>,
    /// For an online place: the platform's name (never the meeting link).
    pub platform: Option<String>,
}

/// Whether a place can be reached without steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepFreeLevel {
    Yes,
    Partly,
    No,
}

impl From<StepFree> for StepFreeLevel {
    fn from(s: StepFree) -> Self {
        match s {
            StepFree::Yes => StepFreeLevel::Yes,
            StepFree::Partly => StepFreeLevel::Partly,
            StepFree::No => StepFreeLevel::No,
        }
    }
}

impl From<PlaceDto> for Place {
    fn from(p: PlaceDto) -> Self {
        Place {
            name: p.name,
            street: p.street,
            postal_code: p.postal_code,
            city: p.city,
            room: p.room,
            online: p.online,
            step_free: p.step_free == StepFree::Yes,
            step_free_level: p.step_free.into(),
            access_note: p.access_note,
            accessible_toilet: p.accessible_toilet,
            hearing_loop: p.hearing_loop,
            quiet_room: p.quiet_room,
            map_url: p.map_url,
            platform: p.platform,
        }
    }
}

/// A place a school teaches at.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Location {
    pub id: i32,
    /// The school's slug.
    pub school: String,
    #[serde(flatten)]
    pub place: Place,
}

/// A theme courses are tagged with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Theme {
    #[schema(example = "angst")]
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
}

impl From<ThemeDto> for Theme {
    fn from(t: ThemeDto) -> Self {
        Theme {
            slug: t.slug,
            name_da: t.name_da,
            name_en: t.name_en,
        }
    }
}

/// A course with upcoming runs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Course {
    #[schema(example = "recovery-og-haab")]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    /// `kursus`, `forloeb`, `workshop`, `temadag`, `oplaeg` or `drop-in`.
    #[schema(example = "kursus")]
    pub format: String,
    /// `alle`, `egen-erfaring`, `paarorende`, `fagpersoner` or `unge`.
    #[schema(example = "alle")]
    pub audience: String,
    /// The school's slug.
    pub school: String,
    /// Theme slugs.
    pub themes: Vec<String>,
    /// Ids of the course's upcoming runs.
    pub runs: Vec<i32>,
    /// The course's page.
    pub url: String,
}

/// A teacher on a run, as the public sees them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Teacher {
    pub name: String,
    /// `peer` (lived experience), `fagprofessionel` or `paarorende`.
    #[schema(example = "peer")]
    pub kind: String,
    pub title: Option<String>,
}

impl From<TeacherDto> for Teacher {
    fn from(t: TeacherDto) -> Self {
        Teacher {
            name: t.name,
            kind: t.kind.slug().into(),
            title: t.title,
        }
    }
}

/// One session (undervisningsgang).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub id: i32,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub cancelled: bool,
    /// Set when the session is somewhere else than the run's usual place.
    pub place: Option<Place>,
}

impl From<SessionDto> for Session {
    fn from(s: SessionDto) -> Self {
        Session {
            id: s.id,
            starts_at: crate::rules::time::with_offset(s.starts),
            ends_at: crate::rules::time::with_offset(s.ends),
            cancelled: s.cancelled,
            place: s.place.map(Place::from),
        }
    }
}

/// Whether a person can sign up now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Seats {
    /// `open`, `waitlist` (full; new sign-ups join the waiting list), `full`, `not_yet_open`,
    /// `closed`, `cancelled` or `drop_in` (just come, no sign-up).
    #[schema(example = "open")]
    pub state: String,
    /// Seats left, when `state` is `open`.
    pub left: Option<i32>,
    /// When sign-up opens, when `state` is `not_yet_open`.
    pub opens_at: Option<DateTime<FixedOffset>>,
}

impl From<Availability> for Seats {
    fn from(a: Availability) -> Self {
        let (state, left, opens_at) = match a {
            Availability::DropIn => ("drop_in", None, None),
            Availability::Open { left } => ("open", Some(left), None),
            Availability::Waitlist => ("waitlist", None, None),
            Availability::Full => ("full", None, None),
            Availability::NotYetOpen { opens } => (
                "not_yet_open",
                None,
                Some(crate::rules::time::with_offset(opens)),
            ),
            Availability::Closed => ("closed", None, None),
            Availability::Cancelled => ("cancelled", None, None),
        };
        Seats {
            state: state.into(),
            left,
            opens_at,
        }
    }
}

/// A run (hold) of a course: its sessions, place, teachers and seats.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Run {
    pub id: i32,
    pub course_slug: String,
    pub course_title: String,
    pub course_summary: String,
    /// The course's format; see `Course.format`.
    pub format: String,
    /// The school's slug.
    pub school: String,
    pub place: Option<Place>,
    /// All sessions, in order, including cancelled ones.
    pub sessions: Vec<Session>,
    pub teachers: Vec<Teacher>,
    pub seats: Seats,
    /// The sign-up page for people; the API's own sign-up is `POST /api/v1/runs/{id}/bookings`.
    pub signup_url: String,
}

impl Run {
    pub fn new(r: RunDto, base: &str) -> Self {
        Run {
            signup_url: format!("{base}/hold/{}/tilmelding", r.id),
            id: r.id,
            course_slug: r.course_slug,
            course_title: r.course_title,
            course_summary: r.course_summary,
            format: r.format.slug().into(),
            school: r.school.slug,
            place: r.place.map(Place::from),
            sessions: r.sessions.into_iter().map(Session::from).collect(),
            teachers: r.teachers.into_iter().map(Teacher::from).collect(),
            seats: r.availability.into(),
        }
    }
}

/// Where a list is in its pages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PageInfo {
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Items in all pages.
    pub total: u64,
    pub total_pages: u32,
}

macro_rules! list {
    ($(#[$meta:meta])* $name:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            #[serde(flatten)]
            pub page: PageInfo,
        }
    };
}

list!(
    /// A page of schools.
    SchoolList,
    School
);
list!(
    /// A page of places.
    LocationList,
    Location
);
list!(
    /// A page of themes.
    ThemeList,
    Theme
);
list!(
    /// A page of courses.
    CourseList,
    Course
);
list!(
    /// A page of runs.
    RunList,
    Run
);
list!(
    /// A page of bookings.
    BookingList,
    BookingRecord
);

/// Signing a person up. The same rules as the web form: a name (a first name is fine) and an
/// e-mail; nothing about health.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(example = "Mette")]
    pub name: String,
    #[schema(example = "mette@example.org")]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// `own_experience`, `relative`, `professional`, `other` or `undisclosed`.
    #[serde(default)]
    pub perspective: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
    /// Practical needs (a quiet seat, step-free access). Never health details.
    #[serde(default)]
    pub needs: Option<String>,
    /// The person has read the privacy notice and agrees: must be `true`.
    pub consent: bool,
    /// Someone signing another person up, with the person's consent.
    #[serde(default)]
    pub booked_by: Option<Booker>,
}

/// Who signed the person up for them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Booker {
    pub name: String,
    pub email: String,
    /// They have the person's consent: must be `true`.
    pub consent: bool,
}

/// The answer to a sign-up. It is the same whether or not the address was already signed up,
/// so it cannot be used to find out who takes part: the person gets their seat or their place on
/// the waiting list by e-mail.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignupResult {
    /// Always `received`.
    #[schema(example = "received")]
    pub status: String,
    pub run_id: i32,
}

/// One person on a run's list (how they take part is counted in the reports only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RosterEntry {
    pub booking_id: i32,
    pub name: String,
    /// Empty for someone who came without signing up.
    pub email: String,
    pub phone: Option<String>,
    /// `confirmed`, `offered` or `waitlisted`.
    pub status: String,
    pub queue_position: Option<u32>,
    /// `web`, `api`, `staff` or `walk_in`.
    pub source: String,
    pub booked_at: DateTime<FixedOffset>,
}

/// A run's list of participants.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Roster {
    pub run_id: i32,
    pub course_title: String,
    pub capacity: Option<i32>,
    pub entries: Vec<RosterEntry>,
}

/// One attendance mark.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub booking_id: i32,
    /// `present`, `late`, `left_early`, `absent` or `afbud`.
    #[schema(example = "present")]
    pub status: String,
}

/// Attendance at one session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionAttendance {
    pub session_id: i32,
    pub starts_at: DateTime<FixedOffset>,
    pub cancelled: bool,
    pub marks: Vec<Mark>,
    /// For drop-in sessions: how many came (never names).
    pub headcount: Option<i32>,
}

/// Attendance for every session of a run.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunAttendance {
    pub run_id: i32,
    pub sessions: Vec<SessionAttendance>,
}

/// Marks to record for a session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarksRequest {
    pub marks: Vec<Mark>,
}

/// What recording marks changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MarksResult {
    pub session_id: i32,
    /// Marks recorded for the first time.
    pub added: u32,
    /// Marks that changed an earlier one.
    pub corrected: u32,
}

/// One booking, for a school's own records. How the person takes part and where they live are
/// counted in the reports, never handed out per person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BookingRecord {
    pub booking_id: i32,
    pub run_id: i32,
    pub course_slug: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// `confirmed`, `offered`, `waitlisted`, `cancelled` or `expired`.
    pub status: String,
    pub source: String,
    pub booked_at: DateTime<FixedOffset>,
    pub cancelled_at: Option<DateTime<FixedOffset>>,
}

/// A figure, with small groups hidden. `value` is set unless the figure counts 1–4 people
/// (`suppressed`) or there is nothing to count.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    pub value: Option<f64>,
    /// The figure as shown on the dashboard, e.g. `87,5 %` or `< 5`.
    pub text: String,
    /// True when the figure is withheld: a group of 1–4 people (`< 5`), or a figure that would
    /// give such a group back by subtraction (`skjult`).
    pub suppressed: bool,
}

impl From<&crate::rules::reports::Cell> for Figure {
    fn from(c: &crate::rules::reports::Cell) -> Self {
        Figure {
            value: c.value(),
            text: c.text(),
            suppressed: c.withheld(),
        }
    }
}

/// A run's figures.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunFigures {
    pub run_id: i32,
    pub course_title: String,
    pub starts_on: chrono::NaiveDate,
    pub sessions: u32,
    pub capacity: Option<u32>,
    pub seats: Figure,
    /// Share of seats taken, in percent.
    pub fill: Figure,
    pub attendance_rate: Figure,
    pub completion: Figure,
    pub responses: Figure,
}

/// A school's figures for a period, as on the dashboard.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub school: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub runs: u32,
    pub sessions: u32,
    pub sign_ups: Figure,
    pub participants: Figure,
    pub seats: Figure,
    pub fill: Figure,
    /// People who never got a seat.
    pub unmet: Figure,
    pub attendance_rate: Figure,
    pub no_show_rate: Figure,
    pub completion: Figure,
    pub drop_in_heads: Figure,
    pub responses: Figure,
    pub by_run: Vec<RunFigures>,
}
