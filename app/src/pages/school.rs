//! The list of schools and each school's page: address, contact, places and upcoming runs.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::course::paragraphs;
use crate::components::load::loaded;
use crate::components::not_found::NotFound;
use crate::components::run::{PlaceDetails, RunList};
use crate::components::school::{SchoolContact, SchoolGrid};
use crate::dto::catalogue::SchoolDetailDto;
use crate::i18n::use_locale;
use crate::pages::path_param;
use crate::server_fns::catalogue::{school_detail, school_list};
use crate::tr;

#[component]
pub fn SchoolsPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=tr!(l, "school.all")/>
        <div class="page-intro">
            <h1>{tr!(l, "school.all")}</h1>
            <p class="lead">{tr!(l, "school.all_intro")}</p>
        </div>
        {loaded(Resource::new(|| (), |()| school_list()), |schools| view! { <SchoolGrid schools/> })}
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
            <p class="calendar-feed">
                <a href=format!("/skoler/{}/katalog", school.slug)>{tr!(l, "prospectus.link")}</a>
            </p>
        </section>
    }
}
