//! **HTTP routes** (server only): every plain axum route of the app, beside the pages and their
//! server functions, and what every request passes through ([`guards`]). Each handler is thin:
//! it reads the request, checks access, calls a service and shapes the answer.
//!
//! - [`api_v1`]: the public JSON API under `/api/v1`, with its OpenAPI document;
//! - [`assets`]: the bundle's files under hashed names, precompressed, kept for a year;
//! - [`embed`]: the embeddable course list (`/indlejr/skoler/{slug}`);
//! - [`pictures`]: course pictures and teacher photos (upload and `/billeder/{id}`);
//! - [`report_csv`]: report tables as CSV files;
//! - [`calendar`]: calendar feeds; [`my_data`]: a person's own data as a file;
//! - [`prospectus`]: the QR codes of the printed prospectus;
//! - [`sso`]: staff sign-in through the region's identity provider;
//! - [`health`], [`language`]: the health check and the language switch;
//! - [`page_cache`]: public pages answered as they were rendered, until something changes.
//!
//! The server crate merges [`router`] with the pages' routes and runs it.

pub mod api_v1;
pub mod assets;
pub mod calendar;
pub mod embed;
pub mod guards;
pub mod health;
pub mod language;
pub mod my_data;
pub mod page_cache;
pub mod pictures;
pub mod prospectus;
pub mod report_csv;
pub mod sso;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::services::state::AppState;

/// Every plain route of the app.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api_v1::router())
        .route("/pkg/{file}", get(assets::serve))
        .route("/healthz", get(health::healthz))
        .route("/livez", get(health::livez))
        .route("/personale/log-ind/sso", post(sso::start))
        .route("/personale/log-ind/sso/svar", get(sso::answer))
        .route("/sprog", post(language::set_language))
        .route("/mine-tilmeldinger/{token}/data", get(my_data::my_data))
        .route(
            "/skoler/{slug}/kalender.ics",
            get(calendar::school_calendar),
        )
        .route("/kalender/{file}", get(calendar::my_calendar))
        .route("/hold/qr/{file}", get(prospectus::run_qr))
        .route("/indlejr/skoler/{slug}", get(embed::page))
        .route("/billeder/{id}", get(pictures::serve))
        .route(
            "/personale/billede",
            post(pictures::upload).layer(DefaultBodyLimit::max(
                crate::services::images::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/personale/rapport/csv", get(report_csv::download))
}
