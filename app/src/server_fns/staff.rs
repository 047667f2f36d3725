//! Server functions of the staff workspace, one file per group. Every function starts with
//! [`guard::signed_in`](crate::services::staff::guard::signed_in) (or, for the sign-in steps themselves, with the session stage it needs)
//! and asks [`guard::allow`](crate::services::staff::guard::allow) before it reads or changes anything: these are public endpoints.

pub mod account;
pub mod attendance;
pub mod courses;
pub mod home;
pub mod integrations;
pub mod people;
pub mod places;
pub mod profile;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod schools;
pub mod sign_in;
pub mod themes;
