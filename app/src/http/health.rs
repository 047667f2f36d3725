//! `GET /healthz` (readiness) and `GET /livez` (liveness), for load balancers and monitoring.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::services::state::AppState;

/// `GET /livez`: 200 while the process runs and answers; nothing else is checked, so a
/// database outage does not get the server restarted.
pub async fn livez() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status":"alive"}"#,
    )
        .into_response()
}

/// `GET /healthz`: 200 when the server takes requests and the database answers; 503 when it
/// does not, and from the moment the server is told to stop.
pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.stopping.load(std::sync::atomic::Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"status":"stopping"}"#,
        )
            .into_response();
    }
    match crate::services::health::database_answers(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"status":"ok","database":"ok"}"#,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"status":"error","database":"unavailable"}"#,
            )
                .into_response()
        }
    }
}
