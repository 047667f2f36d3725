//! A place where sessions happen: an address and room, or online. Carries step-free access
//! information and directions, which the course page shows.

use sea_orm::entity::prelude::*;

use crate::StepFree;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "location")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub school_id: i32,
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub room: Option<String>,
    pub is_online: bool,
    pub step_free: StepFree,
    /// What the step-free answer means here ("Elevator til 2. sal").
    pub access_note: String,
    pub directions: String,
    /// A link to the place on a map.
    pub map_url: Option<String>,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub quiet_room: bool,
    /// For an online place: the platform's name ("Zoom", "Teams").
    pub platform: Option<String>,
    /// Retired: stays on past sessions, but the run editor no longer offers it.
    pub retired: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
