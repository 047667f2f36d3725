//! A failed sign-in (a wrong password or a wrong code), counted per account and per address to
//! slow down guessing (see `rules::throttle`). Rows older than a day are deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_failure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// The account the e-mail belonged to, if any.
    pub account_id: Option<i32>,
    /// SHA-256 of the client's network (the address, or its IPv6 /64).
    pub ip_hash: String,
    /// `password` or `code`.
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
