//! The request a server function answers, in one place: the app's state, cookies, the client's
//! address, caching, and the way back to a form with what to fix. Plain axum handlers (outside
//! Leptos) use the `_in`/`_from` variants with the request's headers.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderValue;
use http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::rules::forms::Refusal;
use crate::services::state::AppState;

/// Carries what was typed into a refused form back to its page, once.
const TYPED_COOKIE: &str = "sb_udkast";

/// The app's state, handed to every server function by the router.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        AppError::Internal
    })
}

/// A cookie of the current request.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// A cookie's value from request headers (for handlers outside Leptos).
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(header)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Marks the response as personal: not to be stored by browsers or proxies.
pub fn no_store() {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Sets the response's status (the page still renders, with its own message).
pub fn set_status(code: http::StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(code);
    }
}

/// A short-lived cookie for the next page to show once.
pub fn set_flash(name: &str, value: &str, path: &str, seconds: u32) {
    set_cookie(&format!(
        "{name}={value}; Path={path}; Max-Age={seconds}; HttpOnly; SameSite=Lax"
    ));
}

/// Sends the browser back to a form's page with what to fix (`?fejl=…`), to `#anchor`.
pub fn refuse<R: Refusal>(page: &str, refusals: &[R], anchor: &str) {
    leptos_axum::redirect(&crate::rules::forms::back_to(page, refusals, anchor));
}

/// Keeps what was typed into a refused form for its page (under `path`) to show again, once,
/// in a short-lived cookie (so nothing typed travels in an address or a log).
pub fn keep_typed<T: Serialize>(typed: &T, path: &str) {
    let Ok(json) = serde_json::to_vec(typed) else {
        return;
    };
    set_cookie(&format!(
        "{TYPED_COOKIE}={}; Path={path}; Max-Age=600; HttpOnly; SameSite=Lax",
        URL_SAFE_NO_PAD.encode(json)
    ));
}

/// Takes what was kept by [`keep_typed`] under `path`, if anything, and clears it.
pub fn take_typed<T: DeserializeOwned>(path: &str) -> Option<T> {
    let raw = cookie(TYPED_COOKIE)?;
    set_cookie(&format!(
        "{TYPED_COOKIE}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Lax"
    ));
    let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The client's address for rate limits: the connection's, or, behind `proxy_hops` trusted
/// proxies, the address the outermost of them saw (see [`forwarded_client`]).
pub fn client_ip_from(
    state: &AppState,
    headers: &http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    forwarded_client(&forwarded.join(","), state.proxy_hops)
        .unwrap_or_else(|| peer.map_or_else(|| "unknown".into(), |p| p.ip().to_string()))
}

/// The client's address from `X-Forwarded-For` behind `hops` trusted proxies: each proxy adds
/// the address it was reached from on the right, so the client is the `hops`-th entry from the
/// right; entries further left were written by the client and prove nothing. `None` without
/// proxies or without the header.
pub fn forwarded_client(header: &str, hops: u8) -> Option<String> {
    if hops == 0 {
        return None;
    }
    let entries: Vec<&str> = header
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let from_right = usize::from(hops).min(entries.len());
    (from_right > 0).then(|| entries[entries.len() - from_right].to_string())
}

/// [`client_ip_from`] for the request a server function answers.
pub async fn client_ip(state: &AppState) -> String {
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0);
    client_ip_from(state, &headers, peer)
}

/// The Content-Security-Policy of a page: scripts only from this site, or inline with this
/// response's nonce (Leptos puts it on its hydration script); WebAssembly may run; no plugins,
/// no `<base>`, forms only to this site (and to `form_origins`: the staff single sign-on form
/// is answered with a redirect to the region's identity provider), and no framing.
pub fn page_policy(nonce: &str, form_origins: &[String]) -> String {
    let extra: String = form_origins.iter().map(|o| format!(" {o}")).collect();
    format!(
        "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; object-src 'none'; \
         base-uri 'none'; form-action 'self'{extra}; frame-ancestors 'none'"
    )
}

/// Sends [`page_policy`] with the nonce of the page being rendered.
pub fn set_page_policy() {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&page_policy(
            &nonce.to_string(),
            &use_context::<AppState>()
                .and_then(|s| s.sso)
                .map(|p| p.form_origins())
                .unwrap_or_default(),
        )),
    ) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;

    #[test]
    fn the_client_is_counted_from_the_right_by_the_trusted_hops() {
        let header = "198.51.100.7, 203.0.113.9, 10.0.0.2";
        assert_eq!(forwarded_client(header, 0), None);
        assert_eq!(forwarded_client(header, 1).as_deref(), Some("10.0.0.2"));
        // Behind a CDN and a load balancer every visitor is no longer the balancer's address.
        assert_eq!(forwarded_client(header, 2).as_deref(), Some("203.0.113.9"));
        // A forged entry on the left never counts unless all hops are trusted.
        assert_eq!(forwarded_client("1.2.3.4", 2).as_deref(), Some("1.2.3.4"));
        assert_eq!(forwarded_client("", 1), None);
    }
}
