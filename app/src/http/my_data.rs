//! `GET /mine-tilmeldinger/{token}/data`: a person's own data, as a file to keep.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::services::state::AppState;

/// `GET /mine-tilmeldinger/{token}/data`: everything stored about the person the link belongs
/// to, as a JSON file to keep. 404 for an unknown or expired link; never cached.
pub async fn my_data(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = chrono::Utc::now();
    let key = match crate::services::tokens::resolve_manage_token(&state.db, &token, now).await {
        Ok(Some(key)) => key,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "data export: could not read the link");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match crate::services::booking::export(&state.db, &key).await {
        Ok(data) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mine-oplysninger.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            data.to_string(),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "data export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
