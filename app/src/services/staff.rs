//! The staff workspace on the server: sessions, sign-in and single-use links ([`auth`]),
//! passwords ([`password`]) and authenticator codes ([`totp`]), the checks every staff request
//! makes ([`guard`]), loading what a person acts on with their rights on it ([`access`]), the
//! home page's overview ([`overview`]) and the audit log ([`audit`]); and the schools by name
//! ([`schools`]) for every staff list and picker.

pub mod access;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod courses;
pub mod guard;
pub mod overview;
pub mod password;
pub mod people;

pub mod places;
pub mod profiles;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod schools;
pub mod sso;
pub mod themes;
pub mod totp;

use entity::school;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder};

use crate::services::query::AllInto;

/// Every school by name, as `(id, name)`.
pub async fn schools(db: &DatabaseConnection) -> Result<Vec<(i32, String)>, DbErr> {
    school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all_into(db, |s| (s.id, s.name))
        .await
}
