//! **Services** (server only): the only code that reads or writes the database, sends nothing
//! itself but queues it, and knows the request it serves. Each service loads the facts a rule
//! needs, asks the rule (`crate::rules`), and writes the answer through the one transaction
//! helper ([`transaction::write`]).
//!
//! - [`transaction`]: the write helper (writer queue and busy retry on SQLite; row locks on
//!   PostgreSQL are taken by the services that count);
//! - [`request`]: the request being served: app state, cookies, the client's address;
//! - [`state`]: the app's shared state;
//! - [`catalogue`], [`booking`], [`attendance`], [`evaluation`], [`reports`]: the domain;
//!   [`watch`]: "Giv mig besked" about a course's next run;
//! - [`retention`]: participants' data made anonymous on schedule;
//! - [`tokens`], [`rate_limit`], [`api_keys`], [`idempotency`]: links, limits, keys and kept
//!   API answers;
//! - [`staff`]: sessions and sign-in, the audit log, and what staff pages load and change;
//! - [`outbox`], [`webhooks`], [`mail`], [`worker_signal`]: what leaves the app, and when;
//! - [`page_cache`]: public pages kept as rendered until something changes;
//! - [`assets`]: the bundle's files under hashed names;
//! - [`images`]: pictures; [`health`]: whether the database answers;
//! - [`vocabulary`]: the database's enums mapped to the rules' words; [`query`]: reading helpers.

pub mod api_keys;
pub mod assets;
pub mod attendance;
pub mod booking;
pub mod catalogue;
pub mod embed;
pub mod evaluation;
pub mod health;
pub mod idempotency;
pub mod images;
pub mod integrations;
pub mod mail;
pub mod operations;
pub mod outbox;
pub mod page_cache;
pub mod qr;
pub mod query;
pub mod rate_limit;
pub mod reports;
pub mod request;
pub mod retention;
pub mod school_data;
pub mod slug_alias;
pub mod staff;
pub mod state;
pub mod tokens;
pub mod transaction;
pub mod vocabulary;
pub mod watch;
pub mod webhooks;
pub mod worker_signal;
