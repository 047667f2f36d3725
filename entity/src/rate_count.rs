//! How many attempts one limited key (an address or an e-mail, hashed) made in its current
//! window. Shared by every server instance on the database; rows whose window has passed are
//! deleted by the timed jobs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_count")]
pub struct Model {
    /// What is limited (`signup_ip`, `signup_email`, `link_ip`, `link_email`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// SHA-256 of the key, so no address or e-mail is stored.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hash: String,
    /// When the window began, in seconds since 1970.
    pub window_start: i64,
    /// Attempts in the window.
    pub count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
