//! The public JSON API, `/api/v1`: versioned, documented by a generated OpenAPI 3.1 document,
//! and separate from Leptos' server functions (which are the pages' private business and may
//! change with them). Handlers use the same stores as the pages: the catalogue's reads, the
//! booking transaction and its rate limits, the attendance store and the report figures.
//!
//! - `public`: the catalogue, no key, cacheable with `ETag`;
//! - `signup`: signing up, with `Idempotency-Key`;
//! - `school`: a school's own data, with its API key (`keys`);
//! - `problem`: errors as `application/problem+json`, Danish and English.

// A `Problem` is the answer to a failed request, made at most once per request; boxing it to
// shrink `Result` would buy nothing.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod doc;
pub mod model;
pub mod problem;
pub mod public;
pub mod query;
pub mod school;
pub mod signup;

use axum::Router;
use axum::routing::{get, post, put};

use crate::services::state::AppState;

/// Where the API lives.
pub const BASE: &str = "/api/v1";
/// The API's paths start with this (server functions live under `/api/` too and stay guarded
/// against cross-site posts).
pub const BASE_SLASH: &str = "/api/v1/";

/// The API's routes, to merge into the app's router. Cross-origin reads and sign-ups are
/// allowed (no cookies are used, so there is nothing to forge); unknown paths under the base
/// answer with a problem.
pub fn router() -> Router<AppState> {
    use tower_http::cors::{Any, CorsLayer};
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([http::Method::GET, http::Method::POST, http::Method::PUT])
        .allow_headers([
            http::header::CONTENT_TYPE,
            http::header::AUTHORIZATION,
            http::header::IF_NONE_MATCH,
            http::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([http::header::ETAG, http::header::RETRY_AFTER]);
    let api = Router::new()
        .route("/openapi.json", get(doc::openapi_json))
        .route("/schools", get(public::schools))
        .route("/schools/{slug}", get(public::school))
        .route("/locations", get(public::locations))
        .route("/themes", get(public::themes))
        .route("/courses", get(public::courses))
        .route("/courses/{slug}", get(public::course))
        .route("/runs", get(public::runs))
        .route("/runs/{id}", get(public::run))
        .route("/runs/{id}/bookings", post(signup::sign_up))
        .route("/schools/{slug}/runs/{id}/roster", get(school::roster))
        .route(
            "/schools/{slug}/runs/{id}/attendance",
            get(school::run_attendance),
        )
        .route(
            "/schools/{slug}/sessions/{id}/attendance",
            put(school::record_attendance),
        )
        .route("/schools/{slug}/bookings", get(school::bookings))
        .route("/schools/{slug}/report", get(school::report))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors);
    Router::new().nest(BASE, api)
}

async fn not_found() -> problem::Problem {
    problem::Problem::not_found()
}

async fn method_not_allowed() -> problem::Problem {
    problem::Problem::new(
        http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        (
            "Metoden findes ikke her",
            "Se API-beskrivelsen for, hvad adressen tager imod.",
        ),
        (
            "Method not allowed",
            "See the API description for what the address accepts.",
        ),
    )
}
