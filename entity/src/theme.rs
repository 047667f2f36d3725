//! A theme a course is about (søvn, angst i hverdagen, …), used by the catalogue filter.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "theme")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
    /// Retired: stays on the courses that have it, but leaves the catalogue's filters and the
    /// course editor's choices.
    pub retired: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
