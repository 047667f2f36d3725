//! sea-orm entities for Skolebænk.
//!
//! One module per table, written to match `migration/`. Entities stay on the server: the Leptos
//! app has its own serde DTOs (see `app::api`), so the database shape can change without
//! breaking the wire format. Hand-written behaviour lives in the enums and small helpers here,
//! never in the generated-style `Model` structs.

pub mod access_token;
pub mod api_key;
pub mod attendance;
pub mod audit_log;
pub mod booking;
pub mod course;
pub mod course_teacher;
pub mod course_theme;
pub mod course_watch;
pub mod enums;
pub mod evaluation_answer;
pub mod evaluation_question;
pub mod evaluation_response;
pub mod headcount;
pub mod idempotency_record;
pub mod image;
pub mod location;
pub mod outbox_message;
pub mod rate_count;
pub mod recovery_code;
pub mod run;
pub mod run_teacher;
pub mod school;
pub mod session;
pub mod session_absence;
pub mod sign_in_failure;
pub mod slug_alias;
pub mod sso_login;
pub mod staff_account;
pub mod staff_role;
pub mod staff_session;
pub mod staff_token;
pub mod teacher;
pub mod theme;
pub mod webhook;

pub use enums::*;
