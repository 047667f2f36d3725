//! A sign-up (tilmelding) to a run. This first version holds what the catalogue needs to count
//! seats; the booking engine extends it.

use sea_orm::entity::prelude::*;

use crate::BookingStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub name: String,
    pub email: String,
    pub status: BookingStatus,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
