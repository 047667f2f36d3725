//! The staff workspace's pages, under `/personale`. Every page works without JavaScript: forms
//! post to server functions, which answer with a redirect to a page showing the new state.
//! The pages are in Danish only, for the schools' staff.

pub mod account;
pub mod attendance;
pub mod courses;
pub mod evaluation;
pub mod frame;
pub mod home;
pub mod integrations;
pub mod people;
pub mod places;
pub mod profile;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod schools;
pub mod sign_in;
pub mod themes;

use leptos::prelude::*;

pub use frame::{StaffError, StaffView, staff_page};

use crate::tr;

/// A labelled input in a staff form.
pub fn field(
    id: &'static str,
    name: &'static str,
    label: String,
    kind: &'static str,
    value: String,
    autocomplete: &'static str,
    hint: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input id=id name=name type=kind value=value autocomplete=autocomplete aria-describedby=described/>
        </div>
    }
}

/// A labelled textarea with a hint.
pub fn text_area(
    id: &'static str,
    name: &'static str,
    label: String,
    hint: String,
    value: String,
    rows: u8,
    max: usize,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <textarea id=id name=name rows=rows.to_string() maxlength=max.to_string() aria-describedby=hint_id>{value}</textarea>
        </div>
    }
}

/// The `:id` in the address, or -1 (which nothing has) when it is not a number.
pub fn id_param() -> i32 {
    leptos_router::hooks::use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|i| i.parse::<i32>().ok())
            .unwrap_or(-1)
    })
}

/// The first of `known`'s codes that the address has (`?gemt=1`), for [`query_notice`].
pub fn success_in(known: &[(&str, &'static str)]) -> Option<String> {
    leptos_router::hooks::use_query_map().with_untracked(|q| {
        known
            .iter()
            .find(|(code, _)| q.get(code).is_some())
            .map(|(code, _)| (*code).to_string())
    })
}

/// A notice for a `?fejl=` or success code in the address, if it names one of `known`.
pub fn query_notice(
    l: crate::i18n::Locale,
    value: Option<String>,
    known: &[(&str, &'static str)],
    ok: bool,
) -> Option<impl IntoView + use<>> {
    let value = value?;
    let key = known.iter().find(|(code, _)| *code == value)?.1;
    Some(view! {
        <p class=if ok { "notice notice-ok" } else { "notice notice-error" } role=if ok { "status" } else { "alert" } id="besked" tabindex="-1">
            {tr!(l, key)}
        </p>
    })
}
