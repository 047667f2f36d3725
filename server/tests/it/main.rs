//! Skolebænk's integration tests: one binary, one module per area. Each test starts the real
//! app in-process (see `common`) on a fresh SQLite file or a fresh PostgreSQL database, and most
//! run on both (`both_backends!`). Mail goes over SMTP to a sink on loopback.
//!
//! Run them with `cargo test --workspace --features app/ssr`; PostgreSQL comes from
//! `SKOLEBAENK_TEST_PG_URL` (`make test` starts a private cluster and sets it).

#[macro_use]
mod common;

mod api;
mod assets;
mod attendance;
mod binary;
mod booking;
mod catalogue;
mod evaluation;
mod instances;
mod mail;
mod online;
mod operations;
mod page_cache;
mod privacy;
mod prospectus;
mod race;
mod reports;
mod security;
mod staff;
mod startup;
mod webhooks;
