//! One module per page.

pub mod api_docs;
pub mod catalogue;
pub mod course;
pub mod evaluation;
pub mod info;
pub mod mine;
pub mod not_found;
pub mod outbox;
pub mod reply;
pub mod school;
pub mod signup;
pub mod staff;

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_locale;
use crate::tr;

/// What a page shows when its data could not be loaded.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let l = use_locale();
    view! { <p class="notice notice-error" role="alert">{tr!(l, error.message_key())}</p> }
}

/// Text with blank lines between paragraphs, as paragraphs.
pub fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}
