//! A slug that something had before it was changed, so old links still lead to it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slug_alias")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the slug named: `theme`.
    pub kind: String,
    pub slug: String,
    pub target_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
