//! A catalogue item (kursus). Offered as one or more runs.

use sea_orm::entity::prelude::*;

use crate::{Audience, CourseFormat, CourseStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    /// The school that developed the course; runs may be held at any school.
    pub school_id: i32,
    pub title: String,
    pub summary: String,
    pub description: String,
    /// "Hvad kan du forvente": plain words about how a session goes.
    pub expectations: String,
    pub format: CourseFormat,
    pub audience: Audience,
    pub status: CourseStatus,
    /// The course's picture, if any; `image_alt` describes it and is required with it.
    pub image_id: Option<i32>,
    pub image_alt: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
