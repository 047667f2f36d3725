//! A teacher's profile, in the teacher's own words.

use sea_orm::entity::prelude::*;

use crate::TeacherKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teacher")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub school_id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub title: Option<String>,
    pub bio: String,
    /// The staff account that may edit this profile and sees the teacher's runs.
    pub account_id: Option<i32>,
    pub image_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
