//! Database migrations for Skolebænk.
//!
//! Migrations are the source of truth for the schema; entities in `entity/` follow them. They run at
//! server start-up (see `server::db`) and must apply cleanly to an empty SQLite file and an empty
//! PostgreSQL database, so they only use portable column types and indexes (a partial index is written in the SQL both
//! backends share).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_catalogue;
mod m20261123_120000_create_booking_engine;
mod m20261123_180000_create_mail_calendar;
mod m20261123_200000_create_staff_workspace;
mod m20261201_000001_create_attendance_evaluation;
mod m20261202_000001_create_public_api;
mod m20261203_000001_sign_in_attempts;
mod m20261203_000002_retention;
mod m20261204_000001_evaluation_order;
mod m20261204_000002_theme_admin;
mod m20261205_000001_schools_places;
mod m20261206_000001_recovery_question;
mod m20261206_000002_course_watch;
mod m20261207_000001_sso_login;
mod m20261208_000001_rate_count;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_catalogue::Migration),
            Box::new(m20261123_120000_create_booking_engine::Migration),
            Box::new(m20261123_180000_create_mail_calendar::Migration),
            Box::new(m20261123_200000_create_staff_workspace::Migration),
            Box::new(m20261201_000001_create_attendance_evaluation::Migration),
            Box::new(m20261202_000001_create_public_api::Migration),
            Box::new(m20261203_000001_sign_in_attempts::Migration),
            Box::new(m20261203_000002_retention::Migration),
            Box::new(m20261204_000001_evaluation_order::Migration),
            Box::new(m20261204_000002_theme_admin::Migration),
            Box::new(m20261205_000001_schools_places::Migration),
            Box::new(m20261206_000001_recovery_question::Migration),
            Box::new(m20261206_000002_course_watch::Migration),
            Box::new(m20261207_000001_sso_login::Migration),
            Box::new(m20261208_000001_rate_count::Migration),
        ]
    }
}
