//! The catalogue's rules: the filter and its URL form ([`filter`]), which runs it selects
//! ([`matching`], judged in Copenhagen time), and a run's seat situation ([`availability`]).

pub mod availability;
pub mod filter;
pub mod matching;
