//! `/pkg/{file}` under a hashed name: the bundle's file from memory, precompressed when the
//! browser takes it, to be kept for a year (`immutable`: a new build has new names). A plain
//! name, or a hash of another build, falls through to the site folder with its short caching.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::rules::page_cache::accepts_encoding;
use crate::services::state::AppState;

/// A year: what a hashed name's content never outlives.
const FOREVER: &str = "public, max-age=31536000, immutable";

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let Some(asset) = state.assets.get(&file) else {
        // Not a hashed name of this build: the folder answers (or says 404).
        return fallback(state, request).await;
    };
    let accepts = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let takes = |coding: &str| accepts_encoding(accepts, coding);
    let (body, encoding) = match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if takes("br") => (br.clone(), Some("br")),
        (_, Some(gz)) if takes("gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.raw.clone(), None),
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(FOREVER));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

async fn fallback(state: AppState, request: Request) -> Response {
    let root = state.leptos_options.site_root.to_string();
    match tower_http::services::ServeDir::new(root)
        .try_call(request)
        .await
    {
        Ok(response) => response.into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
