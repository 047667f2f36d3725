//! The staff workspace on the server: sessions, sign-in and single-use links ([`auth`]),
//! passwords ([`password`]) and authenticator codes ([`totp`]), the checks every staff request
//! makes ([`guard`]), loading what a person acts on with their rights on it ([`access`]), the
//! home page's overview ([`overview`]) and the audit log ([`audit`]).

pub mod access;
pub mod audit;
pub mod auth;
pub mod courses;
pub mod guard;
pub mod overview;
pub mod password;
pub mod people;
pub mod profiles;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod totp;
