//! Skolebænk's server: configuration, database start-up, HTTP routes, demo data and the process
//! life cycle. The binary in `main.rs` is a thin command-line front over this library, and the
//! integration tests in `server/tests/` start the same app in-process.

pub mod config;
pub mod db;
pub mod demo;
pub mod jobs;
pub mod lifecycle;
pub mod mail;
pub mod observe;
pub mod startup;
pub mod wake;
pub mod webhooks;
