//! One anonymous evaluation of a run. The key is random and there is no time and no link to a
//! booking, so an answer cannot be traced back to the person who gave it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub run_id: i32,
    /// `web` (the link in the e-mail) or `paper` (typed in by staff from a paper form).
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
