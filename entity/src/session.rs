//! One teaching session (undervisningsgang) of a run. Attendance is per session.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    /// UTC instant; shown in Europe/Copenhagen.
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// Overrides the run's place for this session.
    pub location_id: Option<i32>,
    pub online_url: Option<String>,
    pub cancelled: bool,
    /// Revision of the session for calendars (iCalendar `SEQUENCE`); raised on every change.
    pub sequence: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
