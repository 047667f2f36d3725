//! Skolebænk's Leptos application: both the server-side rendering library (feature `ssr`, used
//! by `server`) and the WASM bundle (feature `hydrate`). Pages are Leptos islands: rendered on
//! the server only, with the few parts that need the browser (the catalogue's live filter, kept
//! attendance taps, the readability note while typing) hydrated as islands, so the bundle holds
//! those and nothing else.
//!
//! The code is in layers; each may use the ones below it, never one above:
//!
//! ```text
//! shell                         the HTML document and the router
//! pages                         one file per page or page group; a page never uses another page
//! components                    what several pages show (built for the browser too)
//! server_fns | http             the pages' endpoints | every plain axum route (/api/v1, …)
//! services                      (server only) the only code with queries and writes
//! dto                           what crosses the wire, plain serde types
//! rules                         the domain's decisions as pure functions (browser too)
//! i18n, format, error           words, dates and errors, used by every layer
//! ```

#![recursion_limit = "256"]

rust_i18n::i18n!("locales", fallback = "da");

pub mod components;
pub mod dto;
pub mod error;
pub mod format;
#[cfg(feature = "ssr")]
pub mod http;
pub mod i18n;
pub mod pages;
pub mod rules;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod services;
pub mod shell;

pub use shell::{App, shell};

/// Entry point of the WASM bundle. Pages are rendered on the server only; what needs the
/// browser is an island (`#[island]`), and the loader in [`shell`] hydrates each island on the
/// page after this has set up the reactive system.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
