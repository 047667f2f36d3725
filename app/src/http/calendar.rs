//! Calendar feeds: a school's public classes, and a person's private feed of their own.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::services::state::AppState;

fn calendar_response(body: String, cache: &'static str, filename: &str) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
                    .unwrap_or(HeaderValue::from_static("inline")),
            ),
        ],
        body,
    )
        .into_response()
}

fn mail_context(state: &AppState) -> crate::services::mail::messages::MailContext {
    crate::services::mail::messages::MailContext {
        public_url: state.public_url.clone(),
    }
}

/// `GET /skoler/{slug}/kalender.ics`: the school's public calendar of classes, for subscribing.
/// No attendee data. 404 for an unknown school.
pub async fn school_calendar(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let now = chrono::Utc::now();
    match crate::services::mail::feeds::school_feed(&state.db, &slug, &mail_context(&state), now)
        .await
    {
        Ok(Some(ics)) => calendar_response(ics, "public, max-age=900", "kalender.ics"),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "school calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /kalender/{token}.ics`: a person's private calendar of the sessions they have a seat
/// on. 404 for an unknown or expired link; never stored by shared caches.
pub async fn my_calendar(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now = chrono::Utc::now();
    match crate::services::mail::feeds::personal_feed(&state.db, token, &mail_context(&state), now)
        .await
    {
        Ok(Some(ics)) => calendar_response(ics, "private, max-age=300", "mine-hold.ics"),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "personal calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
