//! Answers public pages from the page cache, and keeps what they render (which requests
//! qualify: [`crate::rules::page_cache`]; how long an answer holds:
//! [`crate::services::page_cache`]). Only a whole `200` page or JSON answer that sets no cookie
//! and is not marked private is kept. Kept pages go out compressed as they were kept, in the
//! encoding the browser takes.
//!
//! This is the outermost layer: an answer from the cache passes nothing else (no access-log line,
//! no request id; `/metrics` counts them as `skolebaenk_page_cache_hits_total`), which is what
//! makes a kept page nearly as cheap as bytes from memory. A miss passes every other layer, so
//! what is kept already has the protective headers; the request goes in without
//! `Accept-Encoding`, so that the page comes back uncompressed and can be kept.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::rules::page_cache::{accepts_encoding, key};
use crate::services::page_cache::{self, Kept};
use crate::services::state::AppState;

/// The request's id, which is one request's and so is not kept.
const REQUEST_ID: &str = "x-request-id";

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
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(kept) = cache.get(&key) {
        return send(kept, &accepts);
    }
    let generation = cache.generation();
    let mut request = request;
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let request_id = parts.headers.remove(REQUEST_ID);
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "a page could not be read for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match page_cache::keepable(parts.headers.clone(), &bytes) {
        Some(kept) => {
            cache.put(key, generation, kept.clone());
            let mut response = send(kept, &accepts);
            if let Some(id) = request_id {
                response.headers_mut().insert(REQUEST_ID, id);
            }
            response
        }
        None => {
            if let Some(id) = request_id {
                parts.headers.insert(REQUEST_ID, id);
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

/// A kept page in the encoding the browser takes (brotli, then gzip, else as it is).
fn send(kept: Kept, accepts: &str) -> Response {
    let takes = |coding: &str| accepts_encoding(accepts, coding);
    let (body, encoding) = if takes("br") {
        (kept.brotli, Some("br"))
    } else if takes("gzip") {
        (kept.gzip, Some("gzip"))
    } else {
        (kept.raw, None)
    };
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = kept.headers;
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers.remove(header::CONTENT_LENGTH);
    response
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
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !private
        && (kind.starts_with("text/html") || kind.starts_with("application/json"))
}
