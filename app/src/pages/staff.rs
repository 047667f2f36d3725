//! The staff workspace's pages, under `/personale`. Every page works without JavaScript: forms
//! post to server functions, which answer with a redirect to a page showing the new state.
//! The pages are in Danish only, for the schools' staff.

pub mod account;
pub mod attendance;
pub mod courses;
pub mod home;
pub mod integrations;
pub mod people;
pub mod profile;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod sign_in;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

use crate::dto::staff::MeDto;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::pages::LoadError;
use crate::rules::access::{Action, Role};
use crate::server_fns::staff::sign_in::SignOut;
use crate::tr;

/// The workspace's own menu, under the site header: where the person can go, and sign out.
#[component]
pub fn StaffNav(me: MeDto) -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let active = if href == "/personale" {
            path == "/personale"
        } else {
            path.starts_with(href)
        };
        active.then_some("page")
    };
    let g = &me.grants;
    let manages_staff = g.admin || !g.schools_as(Role::Coordinator).is_empty();
    // Courses and teacher profiles are for those who teach or run a school.
    let edits_courses = g.admin
        || !g.schools_as(Role::Coordinator).is_empty()
        || !g.schools_as(Role::Teacher).is_empty();
    // Figures for those who run or lead a school, and for teachers about their own runs.
    let reads_reports = edits_courses || !g.schools_as(Role::Management).is_empty();
    let reads_log = me
        .schools
        .iter()
        .any(|(id, _)| g.may(Action::ViewAuditLog { school: *id }));
    view! {
        <nav class="staff-nav" aria-label=tr!(l, "staff.nav.label")>
            <ul>
                <li><a href="/personale" aria-current=move || current("/personale")>{tr!(l, "staff.nav.home")}</a></li>
                {edits_courses.then(|| view! {
                    <li><a href="/personale/kurser" aria-current=move || current("/personale/kurser")>{tr!(l, "staff.nav.courses")}</a></li>
                })}
                {edits_courses.then(|| view! {
                    <li><a href="/personale/profil" aria-current=move || current("/personale/profil")>{tr!(l, "staff.nav.profile")}</a></li>
                })}
                {reads_reports.then(|| view! {
                    <li><a href="/personale/rapporter" aria-current=move || current("/personale/rapporter")>{tr!(l, "staff.nav.reports")}</a></li>
                })}
                {manages_staff.then(|| view! {
                    <li><a href="/personale/personale" aria-current=move || current("/personale/personale")>{tr!(l, "staff.nav.people")}</a></li>
                })}
                {manages_staff.then(|| view! {
                    <li><a href="/personale/integrationer" aria-current=move || current("/personale/integrationer")>{tr!(l, "staff.nav.integrations")}</a></li>
                })}
                {reads_log.then(|| view! {
                    <li><a href="/personale/log" aria-current=move || current("/personale/log")>{tr!(l, "staff.nav.log")}</a></li>
                })}
                <li><a href="/personale/konto" aria-current=move || current("/personale/konto")>{tr!(l, "staff.nav.account")}</a></li>
            </ul>
            <form method="post" action=SignOut::url() class="inline-form staff-signout">
                <span class="staff-who">{me.name.clone()}</span>
                <button type="submit" class="button-plain">{tr!(l, "staff.nav.sign_out")}</button>
            </form>
        </nav>
    }
}

/// What a staff page shows when its data could not be loaded: a sign-in link, "no access", or
/// the general error. The server has already set the status (and a redirect for sign-in).
#[component]
pub fn StaffError(error: AppError) -> impl IntoView {
    let l = use_locale();
    match error {
        AppError::SignInRequired => view! {
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.sign_in_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.sign_in_required")}</p>
                <p><a class="button" href="/personale/log-ind">{tr!(l, "staff.sign_in.button")}</a></p>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.forbidden_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.forbidden")}</p>
                <p><a href="/personale">{tr!(l, "staff.back_home")}</a></p>
            </div>
        }
        .into_any(),
        AppError::NotFound => view! {
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.not_found_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.not_found")}</p>
                <p><a href="/personale">{tr!(l, "staff.back_home")}</a></p>
            </div>
        }
        .into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}

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

/// The `:id` in the address, or -1 (which nothing has) when it is not a number.
pub fn id_param() -> i32 {
    leptos_router::hooks::use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|i| i.parse::<i32>().ok())
            .unwrap_or(-1)
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
