//! A signed-in staff browser. Only the SHA-256 of the cookie's token is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub account_id: i32,
    /// `password` until the second factor is given, then `full`.
    pub stage: String,
    pub created_at: DateTimeUtc,
    /// Raised as the person works; the session ends after the idle timeout.
    pub last_seen_at: DateTimeUtc,
    /// The absolute end of the session.
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
