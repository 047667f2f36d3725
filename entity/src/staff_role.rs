//! A role an account holds at one school, or across the installation (administrator).

use sea_orm::entity::prelude::*;

use crate::StaffRoleKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_role")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    /// `None` for the administrator.
    pub school_id: Option<i32>,
    pub role: StaffRoleKind,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
