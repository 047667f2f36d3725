//! **Server functions**: the pages' own endpoints (Leptos server functions, under `/api/…`),
//! one file per page or page group. Each is thin: it checks who is asking and what they may do,
//! calls a service, and answers with a DTO or a redirect. They are public HTTP endpoints, so
//! every one checks its input and the person's rights itself. No queries here: those are the
//! services' business.

pub mod api_reference;
pub mod booking;
pub mod catalogue;
pub mod evaluation;
pub mod outbox;
pub mod staff;
pub mod watch;
