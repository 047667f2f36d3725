//! The page side of the one way forms report what to fix (`crate::rules::forms`): read the
//! refusals of a form from the address and show their messages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::Locale;
use crate::rules::forms::{PARAM, Refusal, from_param};
use crate::tr;

/// The refusals of form `R` in the current address, kept up to date as the address changes.
pub fn refusals<R: Refusal + Send + Sync>() -> impl Fn() -> Vec<R> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query.with(|q| {
            q.get(PARAM)
                .map(|value| from_param::<R>(&value))
                .unwrap_or_default()
        })
    }
}

/// The messages of the refusals of form `R` in the address, as an alert with the id `besked`
/// (so a link can point to it), or nothing.
pub fn refusal_notice<R: Refusal + Send + Sync>(l: Locale) -> impl IntoView {
    refusal_notice_as::<R>(l, "besked")
}

/// [`refusal_notice`] with another id, for a form field's `aria-describedby`.
pub fn refusal_notice_as<R: Refusal + Send + Sync>(l: Locale, id: &'static str) -> impl IntoView {
    let list = refusals::<R>();
    move || {
        let found = list();
        match found.as_slice() {
            [] => None,
            [one] => Some(
                view! {
                    <p class="notice notice-error" role="alert" id=id tabindex="-1">{tr!(l, one.message_key())}</p>
                }
                .into_any(),
            ),
            many => Some(
                view! {
                    <div class="notice notice-error" role="alert" id=id tabindex="-1">
                        <ul>{many.iter().map(|r| view! { <li>{tr!(l, r.message_key())}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any(),
            ),
        }
    }
}

/// The refusals of form `R` in the address as the page is built (for a page that is rebuilt
/// on every post anyway).
pub fn refusals_now<R: Refusal>() -> Vec<R> {
    use_query_map().with_untracked(|q| {
        q.get(PARAM)
            .map(|value| from_param::<R>(&value))
            .unwrap_or_default()
    })
}
