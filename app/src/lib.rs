//! Skolebænk's Leptos application.
//!
//! This crate is both the server-side rendering library (feature `ssr`, used by `server`) and the
//! WASM bundle that hydrates the pages in the browser (feature `hydrate`). Pages live in `pages/`,
//! shared pieces in `components/`, server functions and their DTOs in `api/`, and the catalogue's
//! business rules (filters, availability) in `catalogue/`, as plain functions that know nothing
//! of HTTP or Leptos.

#![recursion_limit = "256"]

rust_i18n::i18n!("locales", fallback = "da");

pub mod api;
pub mod booking;
pub mod components;
pub mod error;
pub mod format;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reports;
#[cfg(feature = "ssr")]
pub mod rest;
pub mod rules;
pub mod shell;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod webhooks;

pub use shell::{App, shell};

/// Entry point of the WASM bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
