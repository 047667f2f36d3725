//! What a page shows when its address or link leads nowhere (a 404 that says so plainly and
//! offers ways on), and the way a page sets its HTTP status.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_locale;
use crate::tr;

/// Sets the HTTP status of the page being rendered (server only).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(code)
    {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// An address that leads nowhere. Answers 404; the router's fallback.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let l = use_locale();
    view! {
        <Title text=tr!(l, "not_found.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "not_found.title")}</h1>
            <p class="lead">{tr!(l, "not_found.body")}</p>
        </div>
        <ul class="link-list">
            <li><a href="/">{tr!(l, "not_found.home")}</a></li>
            <li><a href="/skoler">{tr!(l, "not_found.schools")}</a></li>
        </ul>
    }
}

/// An unknown or expired link: says so and offers a new one. Answers 404.
#[component]
pub fn LinkInvalid() -> impl IntoView {
    set_status(404);
    let l = use_locale();
    view! {
        <Title text=tr!(l, "mine.invalid_title")/>
        <div class="page-intro">
            <h1>{tr!(l, "mine.invalid_title")}</h1>
            <p class="lead">{tr!(l, "mine.invalid_body")}</p>
        </div>
        <p><a href="/mine-tilmeldinger" class="button">{tr!(l, "mine.new_link")}</a></p>
    }
}
