//! The staff home page: next sessions, tasks, and the schools' runs this term.

use crate::dto::staff::MeDto;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Something about a run that needs a person's attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// The team lacks a peer or a professional/relative teacher (it cannot be published).
    TeamGap,
    /// Sessions with no place and no online link.
    NoPlace { sessions: u32 },
    /// E-mails to people on the run that could not be delivered.
    MailFailed { messages: u32 },
    /// No sessions yet.
    NoSessions,
}

impl Warning {
    pub fn message_key(&self) -> &'static str {
        match self {
            Warning::TeamGap => "staff.warn.team_gap",
            Warning::NoPlace { .. } => "staff.warn.no_place",
            Warning::MailFailed { .. } => "staff.warn.mail_failed",
            Warning::NoSessions => "staff.warn.no_sessions",
        }
    }

    pub fn count(&self) -> u32 {
        match self {
            Warning::NoPlace { sessions } => *sessions,
            Warning::MailFailed { messages } => *messages,
            _ => 0,
        }
    }
}

/// A run's state as staff see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunState {
    Draft,
    Published,
    Cancelled,
}

impl RunState {
    pub fn label_key(self) -> &'static str {
        match self {
            RunState::Draft => "staff.run_state.draft",
            RunState::Published => "staff.run_state.published",
            RunState::Cancelled => "staff.run_state.cancelled",
        }
    }
}

/// One run in an overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRowDto {
    pub id: i32,
    pub course_title: String,
    pub school_name: String,
    pub state: RunState,
    pub first: Option<NaiveDateTime>,
    pub last: Option<NaiveDateTime>,
    pub sessions: u32,
    pub confirmed: u32,
    pub capacity: Option<u32>,
    pub waiting: u32,
    pub warnings: Vec<Warning>,
    /// The person may open the run's participant list.
    pub may_roster: bool,
    /// The person may edit the run.
    pub may_edit: bool,
}

/// One of a teacher's coming sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySessionDto {
    pub run_id: i32,
    pub session_id: i32,
    /// Attendance can be taken now.
    pub attendance_open: bool,
    pub course_title: String,
    pub school_name: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// "Gang 2 af 4".
    pub number: u32,
    pub of: u32,
    pub place: Option<String>,
    pub confirmed: u32,
}

/// A school's runs this term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolOverviewDto {
    pub id: i32,
    pub name: String,
    pub runs: Vec<RunRowDto>,
    pub may_create: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeDto {
    pub me: MeDto,
    /// "Efterår 2026".
    pub term: (crate::rules::time::Term, i32),
    pub next_sessions: Vec<MySessionDto>,
    /// The person's own runs that need attention.
    pub tasks: Vec<RunRowDto>,
    /// Calls to make to people without e-mail on the runs the person looks after.
    pub calls: Vec<CallDto>,
    pub schools: Vec<SchoolOverviewDto>,
}

/// A call to make to a person without e-mail ("Ingen e-mail – ring").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallDto {
    pub id: i32,
    pub run_id: i32,
    pub course_title: String,
    pub name: String,
    pub phone: String,
    /// Translation key of what to tell them.
    pub what_key: String,
    /// When the news came (local time).
    pub queued: chrono::NaiveDateTime,
}
