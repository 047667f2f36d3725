//! `GET /hold/qr/{id}.svg`: the QR code of where a run is signed up for, printed in the school's term
//! prospectus. Only for runs the catalogue lists.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::dto::prospectus::signup_url;
use crate::services::state::AppState;

pub async fn run_qr(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(id) = file
        .strip_suffix(".svg")
        .and_then(|id| id.parse::<i32>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let run = match crate::services::catalogue::listed_run(&state.db, id, chrono::Utc::now()).await
    {
        Ok(Some(run)) => run,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "run for a QR code");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match crate::services::qr::svg(&signup_url(&state.public_url, &run), 160) {
        Some(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
