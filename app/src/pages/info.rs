//! Plain information pages: privacy notice, accessibility statement and contact.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::load::loaded;
use crate::components::school::SchoolGrid;
use crate::i18n::use_locale;
use crate::server_fns::catalogue::school_list;
use crate::tr;

/// A page of headed paragraphs from the translation files: `section.title`, `section.intro`, then
/// `section.h_x` / `section.p_x` pairs.
fn text_page(section: &'static str, parts: &'static [&'static str]) -> impl IntoView {
    let l = use_locale();
    let key = |k: &str| format!("{section}.{k}");
    view! {
        <Title text=tr!(l, key("title").as_str())/>
        <div class="page-intro">
            <h1>{tr!(l, key("title").as_str())}</h1>
            <p class="lead">{tr!(l, key("intro").as_str())}</p>
        </div>
        <div class="prose">
            {parts.iter().map(|p| view! {
                <h2>{tr!(l, key(&format!("h_{p}")).as_str())}</h2>
                <p>{tr!(l, key(&format!("p_{p}")).as_str())}</p>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let l = use_locale();
    view! {
        {text_page("privacy", &["visit", "signup", "news", "why", "delete", "rights"])}
        <h2>{tr!(l, "privacy.h_periods")}</h2>
        {loaded(Resource::new(|| (), |()| school_list()), move |schools| view! {
            <ul class="plain-list">
                {schools.into_iter().map(|s| view! {
                    <li>{tr!(l, "privacy.delete_school", school = s.name.as_str(), months = s.retention_months)}</li>
                }).collect_view()}
            </ul>
        })}
        <p class="hint">{tr!(l, "privacy.version", version = crate::rules::signup::PRIVACY_NOTICE_VERSION)}</p>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    text_page("accessibility", &["how", "known", "feedback"])
}

#[component]
pub fn ContactPage() -> impl IntoView {
    let l = use_locale();
    view! {
        {text_page("contact", &[])}
        {loaded(Resource::new(|| (), |()| school_list()), |schools| view! { <SchoolGrid schools/> })}
        <p class="hint">{tr!(l, "footer.about")}</p>
    }
}
