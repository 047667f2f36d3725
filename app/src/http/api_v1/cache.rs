//! JSON answers: public ones carry an `ETag` and may be cached for a minute (seats change);
//! answers with a school's own data are never stored by caches.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::problem::Problem;

/// How long shared caches may keep a public answer.
pub const PUBLIC_MAX_AGE: &str = "public, max-age=60";

fn json_body<T: Serialize>(value: &T) -> Result<String, Problem> {
    serde_json::to_string(value).map_err(|e| {
        tracing::error!(error = %e, "api: could not serialise an answer");
        Problem::internal()
    })
}

/// A public answer with a strong `ETag` over its body; `304 Not Modified` when the client's
/// `If-None-Match` names it.
pub fn public<T: Serialize>(request: &HeaderMap, value: &T) -> Response {
    let body = match json_body(value) {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let digest = Sha256::digest(body.as_bytes());
    let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag}\"");
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let headers = response.headers_mut();
    if !matches {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_MAX_AGE),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    response
}

/// A private answer: never cached.
pub fn private<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match json_body(value) {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Err(p) => p.into_response(),
    }
}
