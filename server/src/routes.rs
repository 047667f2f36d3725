//! HTTP routes outside Leptos' pages: health check, language switch, a person's data export,
//! and the guard against oversized request lines.

use app::i18n::{LANGUAGE_COOKIE, Locale, translate};
use app::services::state::AppState;
use axum::{
    Form,
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

/// Longest accepted path plus query, in bytes. Real catalogue links are far shorter.
pub const MAX_URI_BYTES: usize = 2048;

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (
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

/// `GET /mine-tilmeldinger/{token}/data`: everything stored about the person the link belongs
/// to, as a JSON file to keep. 404 for an unknown or expired link; never cached.
pub async fn my_data(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = chrono::Utc::now();
    let key = match app::services::tokens::resolve_manage_token(&state.db, &token, now).await {
        Ok(Some(key)) => key,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "data export: could not read the link");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match app::services::booking::store::export(&state.db, &key).await {
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

/// The language form: which language, and where to go back to.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    sprog: String,
    #[serde(default)]
    tilbage: String,
}

/// `POST /sprog`: remembers the language in a cookie and goes back to the page the person was on.
pub async fn set_language(Form(form): Form<LanguageForm>) -> Response {
    let locale = Locale::parse(&form.sprog).unwrap_or_default();
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        locale.code()
    );
    let mut response = Redirect::to(&safe_return_path(&form.tilbage)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Only local paths are followed, so the form cannot send anyone to another site.
pub fn safe_return_path(path: &str) -> String {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= MAX_URI_BYTES;
    if ok {
        path.to_string()
    } else {
        "/".to_string()
    }
}

/// Answers 414 with a short Danish page when the request line is too long, before any page or
/// server function sees it.
pub async fn reject_long_uris(request: Request, next: Next) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().len())
        .unwrap_or(0);
    if len > MAX_URI_BYTES {
        tracing::info!(len, "rejected over-long request line");
        if request.uri().path().starts_with(app::rest::BASE_SLASH) {
            return app::rest::problem::Problem::uri_too_long().into_response();
        }
        let locale = request
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::from_cookie_header)
            .unwrap_or_default();
        let t = |key: &str| translate(locale, key);
        let body = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} – Skolebænk</title>\
             <link rel=\"stylesheet\" href=\"/pkg/skolebaenk.css\"></head><body>\
             <main id=\"indhold\" class=\"container main\"><h1>{title}</h1>\
             <p class=\"lead\">{body}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
            lang = locale.code(),
            title = t("too_long.title"),
            body = t("too_long.body"),
            home = t("too_long.home"),
        );
        return (
            StatusCode::URI_TOO_LONG,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(body),
        )
            .into_response();
    }
    next.run(request).await
}

/// Refuses state-changing requests another site's page made the browser send (cross-site
/// request forgery). Server functions have no protection of their own, so this covers every
/// route: a request other than GET, HEAD or OPTIONS must come from this site by the browser's
/// own word (`Sec-Fetch-Site: same-origin` or `none`), or, from browsers that do not send that,
/// carry an `Origin` equal to this site's. Requests with neither header do not come from a
/// browser page (scripts, the command line) and cannot carry a victim's cookies.
pub async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    use axum::http::Method;
    // The API uses no cookies, so a request from another site can forge nothing; its
    // sign-up is meant to be called from partners' pages.
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path().starts_with(app::rest::BASE_SLASH)
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = match (text("sec-fetch-site"), text("origin")) {
        (Some(site), _) => matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => same_origin(origin, text("host"), &state.public_url),
        (None, None) => true,
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        path = %loggable_path(request.uri().path()),
        "refused a cross-site request"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Forespørgslen kom fra en anden hjemmeside og blev afvist. Gå til siden og prøv igen derfra.",
    )
        .into_response()
}

/// Every page but the embedded catalogue refuses to be shown in another site's frame, so no
/// staff page can be overlaid to trick a click.
pub async fn refuse_framing(request: Request, next: Next) -> Response {
    let embeddable = request.uri().path().starts_with("/indlejr/");
    let mut response = next.run(request).await;
    if !embeddable {
        let headers = response.headers_mut();
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
    }
    response
}

/// Whether `origin` is this site: the public address, or the host the request was sent to.
fn same_origin(origin: &str, host: Option<&str>, public_url: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    if origin.eq_ignore_ascii_case(public_url.trim_end_matches('/')) {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, h)| h);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_with_this_site() {
        assert!(same_origin(
            "https://skolebaenk.dk",
            None,
            "https://skolebaenk.dk"
        ));
        assert!(same_origin(
            "http://127.0.0.1:3000",
            Some("127.0.0.1:3000"),
            "https://x.dk"
        ));
        assert!(!same_origin(
            "https://evil.example",
            Some("127.0.0.1:3000"),
            "https://x.dk"
        ));
        assert!(!same_origin("null", Some("127.0.0.1:3000"), "https://x.dk"));
        assert!(!same_origin(
            "https://skolebaenk.dk.evil.example",
            None,
            "https://skolebaenk.dk"
        ));
    }

    #[test]
    fn return_paths_stay_on_site() {
        assert_eq!(
            safe_return_path("/kurser/x?tema=søvn"),
            "/kurser/x?tema=søvn"
        );
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil"), "/");
        assert_eq!(safe_return_path(""), "/");
    }
}

/// The request path as it may be logged: the token in a "Mine tilmeldinger" link is a key to a
/// person's bookings, so it is cut out.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    const PRIVATE: [&str; 6] = [
        "/mine-tilmeldinger/",
        "/kommer/",
        "/evaluering/",
        "/kalender/",
        "/personale/invitation/",
        "/personale/nulstil/",
    ];
    for prefix in PRIVATE {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return format!("{prefix}[link]").into();
        }
    }
    path.into()
}

#[cfg(test)]
mod log_tests {
    use super::loggable_path;

    #[test]
    fn link_tokens_stay_out_of_the_log() {
        assert_eq!(
            loggable_path("/mine-tilmeldinger/abcDEF123"),
            "/mine-tilmeldinger/[link]"
        );
        assert_eq!(loggable_path("/mine-tilmeldinger"), "/mine-tilmeldinger");
        assert_eq!(loggable_path("/kommer/abc"), "/kommer/[link]");
        assert_eq!(loggable_path("/evaluering/abc"), "/evaluering/[link]");
        assert_eq!(loggable_path("/kalender/abc.ics"), "/kalender/[link]");
        assert_eq!(loggable_path("/kurser/søvn"), "/kurser/søvn");
    }
}

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

fn mail_context(state: &AppState) -> app::services::mail::messages::MailContext {
    app::services::mail::messages::MailContext {
        public_url: state.public_url.clone(),
    }
}

/// `GET /skoler/{slug}/kalender.ics`: the school's public calendar of classes, for subscribing.
/// No attendee data. 404 for an unknown school.
pub async fn school_calendar(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let now = chrono::Utc::now();
    match app::services::mail::feeds::school_feed(&state.db, &slug, &mail_context(&state), now)
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
    match app::services::mail::feeds::personal_feed(&state.db, token, &mail_context(&state), now)
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
