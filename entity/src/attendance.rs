//! Fremmøde: how one person on a run took part in one session.

use sea_orm::entity::prelude::*;

use crate::AttendanceStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub booking_id: i32,
    pub status: AttendanceStatus,
    pub recorded_at: DateTimeUtc,
    /// The staff account that recorded it last.
    pub recorded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
