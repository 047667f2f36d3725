//! The co-producing teacher team of a run (underviserteam).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_teacher")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
