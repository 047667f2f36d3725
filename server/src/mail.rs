//! Sending e-mail: the backends ([`transport`]) and the worker that drains the outbox
//! ([`worker`]). What a message says is decided in `app::services::mail`; here it becomes a MIME message
//! and leaves the building.

pub mod transport;
pub mod worker;
