//! The page frame: skip link, header with navigation and language switch, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::use_locale;
use crate::tr;

/// Wraps every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let active = if href == "/" {
            path == "/"
        } else {
            path.starts_with(href)
        };
        active.then_some("page")
    };
    view! {
        <a class="skip-link" href="#indhold">{tr!(l, "site.skip")}</a>
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Skolebænk"</span>
                </a>
                <nav class="main-nav" aria-label=tr!(l, "site.main_nav")>
                    <ul>
                        <li><a href="/" aria-current=move || current("/")>{tr!(l, "nav.courses")}</a></li>
                        <li><a href="/skoler" aria-current=move || current("/skoler")>{tr!(l, "nav.schools")}</a></li>
                        <li><a href="/mine-tilmeldinger" aria-current=move || current("/mine-tilmeldinger")>{tr!(l, "nav.mine")}</a></li>
                        <li><a href="/kontakt" aria-current=move || current("/kontakt")>{tr!(l, "nav.contact")}</a></li>
                    </ul>
                </nav>
                <LanguageSwitch/>
            </div>
        </header>
        <main id="indhold" tabindex="-1" class="container main">{children()}</main>
        <Footer/>
    }
}

/// A plain form that posts the other language to `/sprog` and comes back to this page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let other = tr!(l, "lang.switch_to_code");
    view! {
        <form class="lang-switch" method="post" action="/sprog">
            <input type="hidden" name="sprog" value=other.clone()/>
            <input type="hidden" name="tilbage" value=back/>
            <button type="submit" class="button-quiet" lang=other title=tr!(l, "lang.switch_hint")>
                {tr!(l, "lang.switch_to")}
            </button>
        </form>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let l = use_locale();
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <p class="footer-about">{tr!(l, "footer.about")}</p>
                <ul class="footer-links">
                    <li><a href="/kontakt">{tr!(l, "footer.contact")}</a></li>
                    <li><a href="/skoler">{tr!(l, "footer.schools")}</a></li>
                    <li><a href="/privatliv">{tr!(l, "footer.privacy")}</a></li>
                    <li><a href="/tilgaengelighed">{tr!(l, "footer.accessibility")}</a></li>
                    <li><a href="/api">{tr!(l, "footer.api")}</a></li>
                    <li><a href="/personale/log-ind">{tr!(l, "footer.staff")}</a></li>
                </ul>
            </div>
        </footer>
    }
}
