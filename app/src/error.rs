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
}

impl AppError {
    /// Translation key of the message shown to the person.
    pub fn message_key(&self) -> &'static str {
        "error.generic"
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
