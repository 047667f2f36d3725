//! "Giv mig besked": an address to tell once when a course gets a new run. The row is deleted
//! when that mail is queued, when the person says no thanks, or after twelve months.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_watch")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub email: String,
    /// Trimmed and lower-cased: one row per address and course.
    pub email_key: String,
    pub locale: String,
    /// SHA-256 of the newest "no thanks" link's token (minted when the receipt is sent).
    pub token_hash: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
