//! Server functions and the DTOs they return.
//!
//! Server functions are public HTTP endpoints: each one validates its input itself. Entities
//! never cross the wire; `dto` holds what does, built from entities on the server only.

pub mod booking;
pub mod catalogue;
pub mod dto;
pub mod evaluation;
pub mod outbox;
pub mod reference;
pub mod reply;
pub mod staff;
