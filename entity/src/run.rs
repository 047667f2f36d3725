//! One offering of a course (kursusgang / hold): dates, place, seats and teacher team.

use sea_orm::entity::prelude::*;

use crate::{RunStatus, WaitlistMode};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub school_id: i32,
    /// Default place of the run's sessions; a session may override it.
    pub location_id: Option<i32>,
    /// Seats; `None` for drop-in runs, which take no sign-ups.
    pub capacity: Option<i32>,
    pub waitlist_enabled: bool,
    pub signup_opens_at: Option<DateTimeUtc>,
    pub signup_closes_at: Option<DateTimeUtc>,
    /// How a freed seat goes to the waiting list.
    pub waitlist_mode: WaitlistMode,
    /// Hours a waiting-list offer stays open (offer mode).
    pub offer_hours: i32,
    /// Participants may cancel themselves until this many hours before the first session.
    pub cancel_deadline_hours: i32,
    /// Bumped by every booking change; the guarded update on it is the run's booking lock.
    pub booking_rev: i32,
    pub status: RunStatus,
    pub note: String,
    /// Hours before the first session that the reminder goes out; `None` uses the school's.
    pub reminder_lead_hours: Option<i32>,
    pub created_at: DateTimeUtc,
    /// When the run's participants were made anonymous (see `services::retention`).
    pub anonymised_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
