//! What every request passes through before a page, a server function or a route sees it:
//! over-long addresses are refused, cross-site posts are refused, framing is refused (except for
//! the embedded catalogue), and link tokens are cut out of the request log.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::i18n::{Locale, translate};
use crate::services::state::AppState;

/// Longest accepted path plus query, in bytes. Real catalogue links are far shorter.
pub const MAX_URI_BYTES: usize = 2048;

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
        if request
            .uri()
            .path()
            .starts_with(crate::http::api_v1::BASE_SLASH)
        {
            return crate::http::api_v1::problem::Problem::uri_too_long().into_response();
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
    ) || request
        .uri()
        .path()
        .starts_with(crate::http::api_v1::BASE_SLASH)
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
/// staff page can be overlaid to trick a click (pages say so in their own, fuller policy; see
/// `services::request::page_policy`). Over https, browsers are told to use nothing else.
pub async fn protective_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let embeddable = request.uri().path().starts_with("/indlejr/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !embeddable {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
    }
    if state.public_url.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
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

/// Path prefixes followed by a school's slug: the school's page (and its calendar and
/// prospectus), the embedded list and the API.
const SCHOOL_PATHS: [&str; 3] = ["/skoler/", "/indlejr/skoler/", "/api/v1/schools/"];

/// A link with a theme's or a school's old slug (`?tema=…`, `?skole=…`, `/skoler/…` from
/// before a rename) is sent on to the slug it has now, with 301 so that bookmarks and search
/// engines learn it.
pub async fn redirect_old_slugs(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    use crate::rules::vocabulary::slug_is_valid;
    use crate::services::staff::{schools, themes};
    use axum::http::Method;

    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let db = &state.db;
    let mut changed = false;
    // The path: a school's slug after one of the prefixes, up to the next '/' or a ".js".
    let mut path = request.uri().path().to_string();
    if let Some(prefix) = SCHOOL_PATHS.iter().find(|p| path.starts_with(*p)) {
        let rest = &path[prefix.len()..];
        let end = rest.find('/').unwrap_or(rest.len());
        let segment = &rest[..end];
        let slug = segment.strip_suffix(".js").unwrap_or(segment);
        if slug_is_valid(slug)
            && let Ok(Some(now)) = schools::current_slug(db, slug).await
        {
            path = format!("{prefix}{now}{}", &rest[slug.len()..]);
            changed = true;
        }
    }
    let mut query: Option<String> = request.uri().query().map(str::to_string);
    if let Some(q) = query.as_deref()
        && (q.contains("tema=") || q.contains("skole="))
    {
        let mut parts: Vec<String> = Vec::new();
        for pair in q.split('&') {
            let now = if let Some(slug) = pair.strip_prefix("tema=") {
                match slug_is_valid(slug) {
                    true => themes::current_slug(db, slug).await.ok().flatten(),
                    false => None,
                }
                .map(|now| format!("tema={now}"))
            } else if let Some(slug) = pair.strip_prefix("skole=") {
                match slug_is_valid(slug) {
                    true => schools::current_slug(db, slug).await.ok().flatten(),
                    false => None,
                }
                .map(|now| format!("skole={now}"))
            } else {
                None
            };
            changed |= now.is_some();
            parts.push(now.unwrap_or_else(|| pair.to_string()));
        }
        query = Some(parts.join("&"));
    }
    if !changed {
        return next.run(request).await;
    }
    let target = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    match HeaderValue::from_str(&target) {
        Ok(location) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        Err(_) => next.run(request).await,
    }
}
