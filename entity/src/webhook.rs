//! A school's webhook: an address that is told, with a signed POST, when chosen things happen.
//! Its deliveries are outbox rows of kind `webhook` whose recipient is the webhook's id.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub school_id: i32,
    pub url: String,
    pub secret: String,
    /// Event names separated by commas.
    pub events: String,
    pub active: bool,
    /// Failed delivery attempts since the last success; at the limit the webhook is disabled.
    pub failures_in_row: i32,
    pub disabled_at: Option<DateTimeUtc>,
    pub last_success_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
