//! `/personale/skoler` and `/personale/skoler/:id`: the schools, a school's details and its
//! places. Administrators create and close schools; coordinators change their own school.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{StaffView, field, id_param, query_notice, staff_page, success_in, text_area};
use crate::components::form::refusal_notice;
use crate::dto::staff::schools::{
    INTRO_MAX, PlaceRowDto, SchoolEditorDto, SchoolForm, SchoolRefusal, SchoolRowDto,
};
use crate::error::AppError;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::places::place_page;
use crate::server_fns::staff::schools::{
    CloseSchool, SaveSchool, school_editor, school_page, schools_page,
};
use crate::tr;

fn school_row(l: Locale, s: SchoolRowDto) -> impl IntoView {
    view! {
        <li>
            <a href=school_page(Some(s.id))>{s.name.clone()}</a>
            {s.closed.then(|| view! { " "<span class="tag">{tr!(l, "staff.schools.closed_tag")}</span> })}
            <br/>
            <span class="hint">
                {s.city.clone()}" · "
                {tr!(l, "staff.schools.row_facts", places = s.places, runs = s.coming_runs)}
            </span>
        </li>
    }
}

/// `/personale/skoler`.
#[component]
pub fn SchoolsPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, schools_page().await?)) },
    );
    staff_page(data, move |(_, d)| {
        let intro = if d.may_manage {
            "staff.schools.intro"
        } else {
            "staff.schools.intro_coordinator"
        };
        StaffView::new(tr!(l, "staff.schools.title"))
            .lead(tr!(l, intro))
            .body(view! {
                {d.may_manage.then(|| view! {
                    <p><a class="button" href=school_page(None)>{tr!(l, "staff.schools.new")}</a></p>
                })}
                <ul class="plain-list">
                    {d.schools.into_iter().map(|s| school_row(l, s)).collect_view()}
                </ul>
            })
    })
}

/// `/personale/skoler/ny`.
#[component]
pub fn NewSchoolPage() -> impl IntoView {
    view! { <SchoolEditor id=0/> }
}

/// `/personale/skoler/:id`.
#[component]
pub fn SchoolEditorPage() -> impl IntoView {
    let id = id_param();
    view! { <SchoolEditor id/> }
}

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.schools.saved"),
    ("lukket", "staff.schools.closed"),
    ("aabnet", "staff.schools.reopened"),
    ("sted-slettet", "staff.schools.place_deleted"),
];

#[component]
fn SchoolEditor(id: i32) -> impl IntoView {
    let l = use_locale();
    let ok = success_in(SUCCESSES);
    let data = Resource::new(
        move || id,
        |id| async move { Ok::<_, AppError>((me().await?, school_editor(id).await?)) },
    );
    staff_page(data, move |(_, d)| editor_view(l, d, ok.clone()))
}

fn editor_view(l: Locale, d: SchoolEditorDto, ok: Option<String>) -> StaffView {
    let title = match d.id {
        Some(_) => d.form.name.clone(),
        None => tr!(l, "staff.schools.new_title"),
    };
    let places = d.id.map(|id| places_section(l, id, d.places.clone()));
    let closing = match (d.id, d.may_manage) {
        (Some(id), true) => Some(close_section(l, id, d.closed)),
        _ => None,
    };
    StaffView::new(title)
        .crumbs(view! { <a href="/personale/skoler">{tr!(l, "staff.schools.title")}</a> })
        .lead(d.closed.then(|| tr!(l, "staff.schools.reopen_hint")))
        .notices(view! {
            {refusal_notice::<SchoolRefusal>(l)}
            {query_notice(l, ok, SUCCESSES, true)}
        })
        .body(view! {
            {school_form(l, d.id, d.form)}
            {places}
            {closing}
        })
}

fn school_form(l: Locale, id: Option<i32>, f: SchoolForm) -> impl IntoView {
    let t = |key: &str| tr!(l, key);
    let submit = if id.is_some() {
        t("staff.schools.save")
    } else {
        t("staff.schools.create")
    };
    view! {
        <form method="post" action=SaveSchool::url() class="staff-form">
            <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default()/>
            <fieldset>
                <legend>{t("staff.schools.contact")}</legend>
                {field("skole-navn", "name", t("staff.schools.name"), "text", f.name, "organization", None)}
                {field("skole-kort", "short_name", t("staff.schools.short_name"), "text", f.short_name, "off", Some(t("staff.schools.short_name_hint")))}
                {field("skole-adresse", "slug", t("staff.schools.slug"), "text", f.slug, "off", Some(t("staff.schools.slug_hint")))}
                {field("skole-vej", "street", t("staff.schools.street"), "text", f.street, "street-address", None)}
                {field("skole-postnummer", "postal_code", t("staff.schools.postal_code"), "text", f.postal_code, "postal-code", None)}
                {field("skole-by", "city", t("staff.schools.city"), "text", f.city, "address-level2", None)}
                {field("skole-email", "email", t("staff.schools.email"), "email", f.email, "email", Some(t("staff.schools.email_hint")))}
                {field("skole-telefon", "phone", t("staff.schools.phone"), "tel", f.phone, "tel", None)}
                {field("skole-tider", "opening_hours", t("staff.schools.opening_hours"), "text", f.opening_hours, "off", Some(t("staff.schools.opening_hours_hint")))}
                {text_area("skole-om", "intro", t("staff.schools.intro_text"), t("staff.schools.intro_text_hint"), f.intro, 6, INTRO_MAX)}
                {field("skole-farve", "colour", t("staff.schools.colour"), "text", f.colour, "off", Some(t("staff.schools.colour_hint")))}
            </fieldset>
            <fieldset>
                <legend>{t("staff.schools.defaults")}</legend>
                <p class="hint">{t("staff.schools.defaults_hint")}</p>
                {field("skole-pladser", "default_seats", t("staff.schools.seats"), "number", f.default_seats, "off", None)}
                {field("skole-paamindelse", "reminder_lead_hours", t("staff.schools.reminder"), "number", f.reminder_lead_hours, "off", None)}
                {field("skole-aabner", "signup_opens_days", t("staff.schools.opens"), "number", f.signup_opens_days, "off", Some(t("staff.schools.opens_hint")))}
                {field("skole-lukker", "signup_closes_hours", t("staff.schools.closes"), "number", f.signup_closes_hours, "off", Some(t("staff.schools.closes_hint")))}
            </fieldset>
            <fieldset>
                <legend>{t("staff.schools.privacy")}</legend>
                {field("skole-opbevaring", "retention_months", t("staff.schools.retention"), "number", f.retention_months, "off", Some(t("staff.schools.retention_hint")))}
            </fieldset>
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}

fn place_row(l: Locale, school: i32, p: PlaceRowDto) -> impl IntoView {
    view! {
        <li>
            <a href=place_page(school, Some(p.id))>{p.name.clone()}</a>
            {p.online.then(|| view! { " "<span class="tag">{tr!(l, "staff.schools.place_online")}</span> })}
            {p.retired.then(|| view! { " "<span class="tag">{tr!(l, "staff.schools.place_retired")}</span> })}
            {(p.coming_sessions > 0).then(|| view! {
                <br/><span class="hint">{tr!(l, "staff.schools.place_coming", count = p.coming_sessions)}</span>
            })}
        </li>
    }
}

fn places_section(l: Locale, school: i32, places: Vec<PlaceRowDto>) -> impl IntoView {
    view! {
        <section aria-labelledby="steder" class="editor-section">
            <h2 id="steder">{tr!(l, "staff.schools.places")}</h2>
            <p class="hint">{tr!(l, "staff.schools.places_intro")}</p>
            {places.is_empty().then(|| view! { <p>{tr!(l, "staff.schools.no_places")}</p> })}
            <ul class="plain-list">
                {places.into_iter().map(|p| place_row(l, school, p)).collect_view()}
            </ul>
            <p><a class="button" href=place_page(school, None)>{tr!(l, "staff.schools.place_new")}</a></p>
        </section>
    }
}

fn close_section(l: Locale, id: i32, closed: bool) -> impl IntoView {
    let (title, hint, button, value) = if closed {
        (
            "staff.schools.reopen_title",
            "staff.schools.reopen_hint",
            "staff.schools.reopen",
            "",
        )
    } else {
        (
            "staff.schools.close_title",
            "staff.schools.close_hint",
            "staff.schools.close",
            "ja",
        )
    };
    view! {
        <section aria-labelledby="luk" class="editor-section">
            <h2 id="luk" tabindex="-1">{tr!(l, title)}</h2>
            <p class="hint">{tr!(l, hint)}</p>
            <form method="post" action=CloseSchool::url() class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="close" value=value/>
                <button type="submit" class="button-plain">{tr!(l, button)}</button>
            </form>
        </section>
    }
}
