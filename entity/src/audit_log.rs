//! What staff did with people's data: who, what, when. Read by the school's coordinators.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub account_id: Option<i32>,
    /// The actor's name at the time.
    pub actor: String,
    /// The school the action concerns; `None` for installation-wide actions.
    pub school_id: Option<i32>,
    /// What was done, e.g. `booking.cancel`, `roster.view`.
    pub action: String,
    /// What it was done to, in words staff recognise ("Tilmelding 12 på hold 4").
    pub subject: String,
    /// Extra facts; never health details.
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
