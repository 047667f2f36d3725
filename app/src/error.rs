//! The error type server functions return. It crosses the wire, so it carries only what a page
//! may show; details go to the server log.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// An error a page can show. Messages are translation keys, shown in the person's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Something failed on the server (database down, bug). Logged there.
    #[error("internal error")]
    Internal,
    /// The request itself was malformed (transport, encoding).
    #[error("request error: {0}")]
    Request(String),
    /// A staff page or action without a live sign-in (401; pages redirect to sign-in).
    #[error("sign-in required")]
    SignInRequired,
    /// Signed in, but not allowed to do this (403).
    #[error("forbidden")]
    Forbidden,
    /// What was asked for does not exist (404).
    #[error("not found")]
    NotFound,
}

impl AppError {
    /// Translation key of the message shown to the person.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::SignInRequired => "staff.err.sign_in_required",
            AppError::Forbidden => "staff.err.forbidden",
            AppError::NotFound => "staff.err.not_found",
            _ => "error.generic",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        if matches!(
            value,
            ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_)
        ) {
            bad_request();
        }
        AppError::Request(value.to_string())
    }
}

/// Input that could not be decoded is the caller's mistake: answer 400, not 500. A browser's
/// plain form post is still sent back to its page, as Leptos does for errors.
#[cfg(feature = "ssr")]
fn bad_request() {
    use leptos::prelude::use_context;
    let accepts_html = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if !accepts_html && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
