//! **Rules**: the domain's decisions as plain functions over plain values. No database, no
//! HTTP, no Leptos; everything here builds for the browser too and is unit-tested directly.
//! The services load facts, ask these functions, and write the answer.
//!
//! - [`vocabulary`]: formats, audiences, kinds of teacher, perspectives, and their words;
//! - [`time`]: local Copenhagen time ↔ UTC (one policy for the daylight-saving hours), terms;
//! - [`catalogue`]: the filter, which runs it selects, and a run's seat situation;
//! - [`seats`]: who gets a seat, who waits, promotion from the waiting list, afbud deadlines;
//! - [`signup`]: the sign-up form and its validation;
//! - [`access`]: who may do what in the staff workspace;
//! - [`attendance`]: when attendance may be taken, and headcounts;
//! - [`coproduction`]: the team rule (a peer teacher and a professional or relative teacher);
//! - [`embed`]: the embedded course list's colours;
//! - [`evaluation`]: the questionnaire's kinds of question and their values;
//! - [`forms`]: the one way a refused form says what to fix;
//! - [`network`]: which addresses the server may send to (public ones only);
//! - [`online`]: who sees a class's meeting link, and which sessions a new link changes;
//! - [`page_cache`]: which requests may be answered from the page cache;
//! - [`password`]: what a new staff password must be;
//! - [`plain_language`]: the LIX readability of a course text, for the editor's help;
//! - [`reports`]: report figures counted from plain facts, with groups under five hidden;
//! - [`retention`]: how long personal data and links are kept;
//! - [`throttle`]: when staff sign-in attempts must wait.

pub mod access;
pub mod attendance;
pub mod catalogue;
pub mod coproduction;
pub mod embed;
pub mod evaluation;
pub mod forms;
pub mod network;
pub mod online;
pub mod page_cache;
pub mod password;
pub mod plain_language;
pub mod reports;
pub mod retention;
pub mod seats;
pub mod signup;
pub mod sso;
pub mod throttle;
pub mod time;
pub mod vocabulary;
