//! The staff workspace's rules and machinery.
//!
//! `access` (who may do what) and `coproduction` (the team rule for publishing) are plain
//! functions with no HTTP, Leptos or database in them, so they are unit-tested directly and the
//! pages can use them to show only what a person may do. The rest runs on the server: password
//! hashing, the authenticator app's codes, sessions and single-use links, throttling, and the
//! audit log.

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod totp;
