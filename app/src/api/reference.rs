//! The API page's content, read from the generated OpenAPI document, so the page a developer
//! reads and the document a program reads cannot disagree.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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

#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<ReferenceDto, AppError> {
    use serde_json::Value;

    let state = crate::api::booking::web::state()?;
    let doc = serde_json::to_value(crate::rest::doc::document()).map_err(|e| {
        tracing::error!(error = %e, "api page: could not read the OpenAPI document");
        AppError::Internal
    })?;
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let summary = op
                    .get("summary")
                    .or_else(|| op.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| ParamDto {
                        name: text(p, "name"),
                        place: text(p, "in"),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        description: text(p, "description"),
                    })
                    .collect();
                let body = op
                    .pointer("/requestBody/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
                    .map(|r| r.rsplit('/').next().unwrap_or_default().to_string());
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| ResponseDto {
                        status: status.clone(),
                        description: text(r, "description"),
                    })
                    .collect();
                operations.push(OperationDto {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    tag: op
                        .get("tags")
                        .and_then(|t| t.get(0))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    summary,
                    needs_key: op.get("security").is_some(),
                    params,
                    body,
                    responses,
                });
            }
        }
    }
    Ok(ReferenceDto {
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        base_url: state.public_url.clone(),
        operations,
    })
}
