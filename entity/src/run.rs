//! One offering of a course (kursusgang / hold): dates, place, seats and teacher team.

use sea_orm::entity::prelude::*;

use crate::RunStatus;

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
    pub status: RunStatus,
    pub note: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
