//! A course's page content: what it is, who teaches it, its runs. The public course page and
//! the staff's preview show the same.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::run::{RunDetails, TeacherCard};
use crate::components::watch::NotifyMe;
use crate::dto::catalogue::CourseDetailDto;
use crate::i18n::{Locale, use_locale};
use crate::rules::catalogue::availability::Availability;
use crate::tr;

/// Text with blank lines between paragraphs, as paragraphs.
pub fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}

/// A course page's content; the staff preview shows the same.
#[component]
pub fn CourseView(course: CourseDetailDto) -> impl IntoView {
    let l = use_locale();
    let themes = course
        .themes
        .iter()
        .map(|t| match l {
            Locale::Da => t.name_da.clone(),
            Locale::En => t.name_en.clone(),
        })
        .collect::<Vec<_>>();
    let has_runs = !course.runs.is_empty();
    // Nothing to join now or soon: offer to tell the person when a new run comes.
    let dead_end = !course.runs.iter().any(|r| {
        r.availability.has_room() || matches!(r.availability, Availability::NotYetOpen { .. })
    });
    let slug = course.slug.clone();
    let school_href = format!("/skoler/{}", course.school.slug);
    view! {
        <Title text=course.title.clone()/>
        <Meta name="description" content=course.summary.clone()/>
        <p class="breadcrumb"><a href="/">{tr!(l, "course.back")}</a></p>
        <article class="course">
            <header class="page-intro">
                <p class="run-card-meta">
                    <span class="tag">{tr!(l, course.format.label_key())}</span>
                    <a href=school_href>{course.school.name.clone()}</a>
                </p>
                <h1>{course.title.clone()}</h1>
                <p class="lead">{course.summary.clone()}</p>
                {course.image.clone().map(|(src, alt)| view! {
                    <img class="course-image" src=src alt=alt width="800" height="450" loading="lazy"/>
                })}
                {(!themes.is_empty()).then(|| view! {
                    <p class="themes"><span class="label">{tr!(l, "course.themes")}": "</span>{themes.join(", ")}</p>
                })}
            </header>
            <div class="course-body">
                <section aria-labelledby="om-kurset" class="prose">
                    <h2 id="om-kurset">{tr!(l, "course.about")}</h2>
                    {paragraphs(&course.description)}
                </section>
                <section aria-labelledby="forvent" class="expect">
                    <h2 id="forvent">{tr!(l, "course.expect")}</h2>
                    {paragraphs(&course.expectations)}
                </section>
            </div>
            {(!course.developers.is_empty()).then(|| view! {
                <section aria-labelledby="udviklet" class="developers">
                    <h2 id="udviklet">{tr!(l, "course.developed_by")}</h2>
                    <div class="teacher-grid">
                        {course.developers.clone().into_iter().map(|teacher| view! { <TeacherCard teacher/> }).collect_view()}
                    </div>
                </section>
            })}
            <section aria-labelledby="hold" class="runs">
                <h2 id="hold">{tr!(l, "course.runs")}</h2>
                {if has_runs {
                    course.runs.clone().into_iter().map(|run| view! { <RunDetails run/> }).collect_view().into_any()
                } else {
                    view! { <p class="notice">{tr!(l, "course.no_runs")}</p> }.into_any()
                }}
                {dead_end.then(|| view! { <NotifyMe slug=slug.clone()/> })}
            </section>
        </article>
    }
}
