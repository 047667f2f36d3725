//! Signing up and everything that changes who has a seat: the booking transactions
//! ([`store`]), which take the run's lock, ask the seat rules and write the answer with the
//! messages it causes.

pub mod store;
