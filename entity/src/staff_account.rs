//! A staff member's account: sign-in by e-mail and password (argon2id), with an optional
//! authenticator app (TOTP). Roles are in `staff_role`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Trimmed and lower-cased.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// PHC string of an argon2id hash; `None` until an invitation is accepted.
    pub password_hash: Option<String>,
    /// Base32 TOTP secret. Set when the person starts setting up the app; in force once
    /// `totp_enabled`.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// The last 30-second step a code was accepted for: a code works once.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
