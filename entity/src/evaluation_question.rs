//! A question of the evaluation: one of the default set (with a `code`; its text is translated
//! in the app) or a course's own question (with a `course_id` and its `text`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: Option<String>,
    pub course_id: Option<i32>,
    pub position: i32,
    /// `likert`, `recommend` or `text`.
    pub kind: String,
    /// CHIME domain (`connectedness`, `hope`, `identity`, `meaning`, `empowerment`) or `course`.
    pub domain: String,
    pub text: String,
    /// Retired questions keep their answers but are no longer asked.
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
