//! A link token for "Mine tilmeldinger". Only the SHA-256 of the token is stored; the token
//! itself exists in the link sent by e-mail.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the token opens: `manage` (Mine tilmeldinger), `reply` (the reminder's "Kommer
    /// du?"), `evaluation` (single use) or `feed` (the personal calendar feed).
    pub purpose: String,
    pub email_key: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The booking a `reply` or `evaluation` token belongs to.
    pub booking_id: Option<i32>,
    /// When a single-use token was spent.
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
