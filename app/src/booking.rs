//! Signing up: the seat rules, the form, and (on the server) the transactions that apply them.

#[cfg(feature = "ssr")]
pub mod limit;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;
