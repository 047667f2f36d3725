//! The catalogue's rules: which runs a filter selects, and what a run's seat situation is.
//!
//! Plain functions with no HTTP or Leptos in them, so they are unit-tested directly.
//! `filter` is shared with the browser (it reads and writes the URL query); `matching` needs the
//! Copenhagen time zone and runs on the server only.

pub mod availability;
pub mod filter;
#[cfg(feature = "ssr")]
pub mod matching;
