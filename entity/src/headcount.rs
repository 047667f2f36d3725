//! The headcount of a drop-in session: how many came, and optionally how many from each
//! perspective. Never names.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "headcount")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i32,
    pub total: i32,
    pub own_experience: Option<i32>,
    pub relative: Option<i32>,
    pub professional: Option<i32>,
    pub other: Option<i32>,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
