//! Signing up: the seat rules, the form, and (on the server) the transactions that apply them.

pub mod form;
#[cfg(feature = "ssr")]
pub mod limit;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;
