//! Bookings: signing up and everything that changes who has a seat. Each transaction takes the
//! run's lock, loads the run's active bookings, asks the seat rules ([`crate::rules::seats`])
//! what should happen, and writes the result together with the messages it causes, in one
//! transaction through [`crate::services::transaction::write`].
//!
//! The lock is a guarded update of the run row (`booking_rev = booking_rev + 1`) as the first
//! statement of the transaction:
//! - on PostgreSQL the update takes the row's lock, so transactions on the same run queue behind
//!   each other while other runs go on in parallel; under READ COMMITTED every later statement
//!   sees what the previous holder committed;
//! - on SQLite the transaction is begun IMMEDIATE by the write helper, so it holds the database's
//!   write lock from the start and no read can go stale before the write.
//!
//! Seats are therefore decided by a count taken under the lock: no check-then-insert race. A busy
//! SQLite database is waited for (busy timeout) and retried, never reported to a person.
//!
//! - [`signup`]: signing up;
//! - [`mine`]: the confirmation, "Mine tilmeldinger", links and the reminder's page;
//! - [`participant`]: what a participant does with their booking;
//! - [`school`]: what the school does to a run (sessions, capacity, seats, walk-ins);
//! - [`privacy`]: a person's data export and deletion;
//! - [`views`]: bookings as the person's pages show them;
//! - [`lock`]: the run's lock and the settling every transaction does under it.

mod error;
mod lock;
pub mod mine;
pub mod participant;
pub mod privacy;
pub mod school;
pub mod signup;
mod views;

pub use error::BookingError;
pub use lock::{entry, rules_of};
pub use participant::{
    Actor, CancelOutcome, accept_offer, cancel, confirm_coming, give_email, session_afbud,
    withdraw_session_afbud,
};
pub use privacy::{export, forget};
pub use school::{
    cancel_run, cancel_session, expire_offers, move_session, set_capacity, set_online_link,
    staff_give_seat, walk_in,
};
pub use signup::{NewBooking, SignupOutcome, sign_up};
pub use views::{booking_views, find};
