//! Answers public pages from the page cache, and keeps what they render (which requests
//! qualify: [`crate::rules::page_cache`]; how long an answer holds:
//! [`crate::services::page_cache`]). Only a whole `200` page or JSON answer that sets no cookie
//! and is not marked private is kept.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};

use crate::rules::page_cache::key;
use crate::services::state::AppState;

/// The largest answer kept; a larger one is passed on as it is rendered.
const MAX_BODY: usize = 4 * 1024 * 1024;

pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(cache) = state.page_cache.clone() else {
        return next.run(request).await;
    };
    let headers = request.headers();
    let Some(key) = key(
        request.method().as_str(),
        request.uri().path(),
        request.uri().query(),
        headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
        headers.contains_key(header::AUTHORIZATION)
            || headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE),
        crate::i18n::LANGUAGE_COOKIE,
    ) else {
        return next.run(request).await;
    };
    if let Some((headers, body)) = cache.get(&key) {
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        return response;
    }
    let generation = cache.generation();
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(key, generation, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "a page could not be read for the cache");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Whether a rendered answer may be kept for others.
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let private = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !private
        && (kind.starts_with("text/html") || kind.starts_with("application/json"))
}
