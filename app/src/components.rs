//! Pieces shared by several pages.

pub mod calls;
pub mod course;
pub mod form;
pub mod layout;
pub mod load;
pub mod not_found;
pub mod questions;
pub mod results;
pub mod run;
pub mod school;
pub mod watch;
