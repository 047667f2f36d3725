//! The `/api` page: the public API's operations, read from its OpenAPI document.

use serde::{Deserialize, Serialize};

/// One parameter of an operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamDto {
    pub name: String,
    /// `path`, `query` or `header`.
    pub place: String,
    pub required: bool,
    pub description: String,
}

/// One answer an operation can give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseDto {
    pub status: String,
    pub description: String,
}

/// One operation: a method on a path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperationDto {
    pub method: String,
    pub path: String,
    pub tag: String,
    pub summary: String,
    pub needs_key: bool,
    pub params: Vec<ParamDto>,
    pub body: Option<String>,
    pub responses: Vec<ResponseDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceDto {
    pub version: String,
    pub base_url: String,
    pub operations: Vec<OperationDto>,
}

/// The error codes a problem answer can carry, in the order the page lists them.
pub const ERROR_CODES: [&str; 20] = [
    "bad_parameter",
    "bad_body",
    "unsupported_media_type",
    "invalid_fields",
    "idempotency_key_reused",
    "unauthorized",
    "wrong_school",
    "read_only_key",
    "not_found",
    "method_not_allowed",
    "full",
    "closed",
    "not_yet_open",
    "run_cancelled",
    "drop_in",
    "session_not_open",
    "invalid_mark",
    "rate_limited",
    "uri_too_long",
    "internal",
];
