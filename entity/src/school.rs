//! A recovery school (recovery-skole). One installation serves a network of schools.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// A short name for mail subjects and the calendar ("Recovery-skolen Aarhus" → "RS Aarhus");
    /// empty uses the name.
    pub short_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub intro: String,
    pub opening_hours: String,
    /// Hours before a run's first session that the reminder goes out.
    pub reminder_lead_hours: i32,
    /// The school's colour (`#rrggbb`), used by the embedded catalogue.
    pub colour: String,
    /// Months after a run's last session that its participants' personal data is kept.
    pub retention_months: i32,
    /// Closed: gone from the catalogue, keeps its history and reports, takes no new runs.
    pub closed: bool,
    /// Seats a new run starts with.
    pub default_seats: i32,
    /// Days before a run's first session that sign-up opens, when the run sets no time.
    pub signup_opens_days: Option<i32>,
    /// Hours before a run's first session that sign-up closes, when the run sets no time.
    pub signup_closes_hours: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
