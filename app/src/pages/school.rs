//! The list of schools and each school's page: address, contact, places and upcoming runs.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::run::{PlaceDetails, RunList};
use crate::dto::catalogue::{SchoolDetailDto, SchoolDto};
use crate::i18n::use_locale;
use crate::pages::{loaded, not_found::NotFound, paragraphs, path_param};
use crate::server_fns::catalogue::{school_detail, school_list};
use crate::tr;

/// Address and contact lines of a school.
#[component]
pub fn SchoolContact(school: SchoolDto) -> impl IntoView {
    let l = use_locale();
    let mailto = format!("mailto:{}", school.email);
    let tel = format!("tel:{}", school.phone.replace(' ', ""));
    view! {
        <dl class="contact-list">
            <div><dt>{tr!(l, "school.address")}</dt><dd>{school.street.clone()}", "{school.postal_code.clone()}" "{school.city.clone()}</dd></div>
            <div><dt>{tr!(l, "school.email")}</dt><dd><a href=mailto>{school.email.clone()}</a></dd></div>
            <div><dt>{tr!(l, "school.phone")}</dt><dd><a href=tel>{school.phone.clone()}</a></dd></div>
            <div><dt>{tr!(l, "school.opening_hours")}</dt><dd>{school.opening_hours.clone()}</dd></div>
        </dl>
    }
}

/// Every school as a card with its contact details.
#[component]
pub fn SchoolGrid() -> impl IntoView {
    let schools = Resource::new(|| (), |_| school_list());
    view! {
            {loaded(schools, move |list| view! {
        <ul class="school-grid">
            {list.into_iter().map(|s| {
                let href = format!("/skoler/{}", s.slug);
                view! {
                    <li class="school-card">
                        <h2><a href=href>{s.name.clone()}</a></h2>
                        <SchoolContact school=s/>
                    </li>
                }
            }).collect_view()}
        </ul>
    })}
        }
}

#[component]
pub fn SchoolsPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=tr!(l, "school.all")/>
        <div class="page-intro">
            <h1>{tr!(l, "school.all")}</h1>
            <p class="lead">{tr!(l, "school.all_intro")}</p>
        </div>
        <SchoolGrid/>
    }
}

#[component]
pub fn SchoolPage() -> impl IntoView {
    let slug = path_param("slug");
    let school = Resource::new(slug, school_detail);
    view! {
        {loaded(school, move |d| match d {
            Some(s) => view! { <SchoolView detail=s/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        })}
    }
}

#[component]
fn SchoolView(detail: SchoolDetailDto) -> impl IntoView {
    let l = use_locale();
    let school = detail.school.clone();
    view! {
        <Title text=school.name.clone()/>
        <div class="page-intro">
            <h1>{school.name.clone()}</h1>
            <div class="lead prose">{paragraphs(&school.intro)}</div>
        </div>
        <div class="school-layout">
            <section aria-labelledby="kontakt">
                <h2 id="kontakt">{tr!(l, "school.contact")}</h2>
                <SchoolContact school=school.clone()/>
            </section>
            <section aria-labelledby="steder">
                <h2 id="steder">{tr!(l, "school.locations")}</h2>
                <ul class="plain-list">
                    {detail.locations.clone().into_iter().map(|place| view! { <li><PlaceDetails place/></li> }).collect_view()}
                </ul>
            </section>
        </div>
        <section aria-labelledby="skolens-hold">
            <h2 id="skolens-hold">{tr!(l, "school.courses")}</h2>
            <RunList runs=detail.runs.clone()/>
            <p class="calendar-feed">
                <a href=format!("/skoler/{}/kalender.ics", school.slug)>{tr!(l, "school.calendar_feed")}</a>
                " "<span class="hint">{tr!(l, "school.calendar_feed_hint")}</span>
            </p>
        </section>
    }
}
