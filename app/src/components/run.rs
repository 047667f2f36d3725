//! How a run, its place, its seats and its teachers are shown.

use leptos::prelude::*;

use crate::dto::catalogue::{PlaceDto, RunDto, SessionDto, TeacherDto};
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::rules::catalogue::availability::{Availability, availability_text};
use crate::rules::vocabulary::StepFree;
use crate::tr;

fn availability_class(a: Availability) -> &'static str {
    match a {
        Availability::DropIn => "badge badge-dropin",
        Availability::Open { left } if left <= 2 => "badge badge-few",
        Availability::Open { .. } => "badge badge-open",
        Availability::Waitlist => "badge badge-waitlist",
        _ => "badge badge-closed",
    }
}

/// A coloured label for the seat situation; the text carries the meaning, not the colour.
#[component]
pub fn AvailabilityBadge(availability: Availability) -> impl IntoView {
    let l = use_locale();
    view! { <span class=availability_class(availability)>{availability_text(l, availability)}</span> }
}

fn sessions_count_text(l: Locale, n: usize) -> String {
    if n == 1 {
        tr!(l, "catalogue.one_session")
    } else {
        tr!(l, "catalogue.more_sessions", count = n)
    }
}

/// The class that colours a step-free answer.
fn access_class(step_free: StepFree) -> &'static str {
    match step_free {
        StepFree::Yes => "access access-yes",
        StepFree::Partly => "access access-partly",
        StepFree::No => "access access-no",
    }
}

/// "Delvist trinfri adgang. Elevator til 2. sal": the step-free answer with its detail.
pub fn access_line(l: Locale, place: &PlaceDto) -> String {
    let answer = tr!(l, place.step_free.label_key());
    match place.access_note.trim() {
        "" => answer,
        note => format!("{answer}. {note}"),
    }
}

/// "a, b og c": a list as a sentence reads it.
pub fn spoken_list(l: Locale, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), tr!(l, "place.and")),
    }
}

/// One line about a place: name, city, and whether it is step-free.
#[component]
pub fn PlaceLine(place: PlaceDto) -> impl IntoView {
    let l = use_locale();
    if place.online {
        return view! { <span class="place"><span class="tag">{tr!(l, "place.online")}</span></span> }
            .into_any();
    }
    let city = place.city.clone().unwrap_or_default();
    view! {
        <span class="place">
            {place.name.clone()}
            {(!city.is_empty()).then(|| format!(", {city}"))}
            " · "
            <span class=access_class(place.step_free)>{tr!(l, place.step_free.label_key())}</span>
        </span>
    }
    .into_any()
}

/// A run in a list: the course, when, where and seats.
#[component]
pub fn RunCard(run: RunDto) -> impl IntoView {
    let l = use_locale();
    let href = format!("/kurser/{}#hold-{}", run.course_slug, run.id);
    let when = run
        .next_session
        .as_ref()
        .map(|s| format::session_when(l, s.starts, s.ends))
        .unwrap_or_default();
    let count = sessions_count_text(l, run.active_sessions());
    let heading_id = format!("kort-{}", run.id);
    let labelled_by = heading_id.clone();
    view! {
        <article class="run-card" aria-labelledby=labelled_by>
            <p class="run-card-meta">
                <span class="tag">{tr!(l, run.format.label_key())}</span>
                <span class="run-card-school">{run.school.name.clone()}</span>
            </p>
            <h3 id=heading_id class="run-card-title"><a href=href>{run.course_title.clone()}</a></h3>
            <p class="run-card-summary">{run.course_summary.clone()}</p>
            <dl class="run-card-facts">
                <div>
                    <dt class="visually-hidden">{tr!(l, "course.sessions")}</dt>
                    <dd><span class="when">{when}</span>" · "{count}</dd>
                </div>
                {run.place.clone().map(|p| view! {
                    <div>
                        <dt class="visually-hidden">{tr!(l, "course.place")}</dt>
                        <dd><PlaceLine place=p/></dd>
                    </div>
                })}
                <div>
                    <dt class="visually-hidden">{tr!(l, "course.seats")}</dt>
                    <dd><AvailabilityBadge availability=run.availability/></dd>
                </div>
            </dl>
        </article>
    }
}

/// A list of runs as cards.
#[component]
pub fn RunList(runs: Vec<RunDto>) -> impl IntoView {
    view! {
        <ul class="run-list">
            {runs.into_iter().map(|run| view! { <li><RunCard run/></li> }).collect_view()}
        </ul>
    }
}

fn session_item(l: Locale, s: SessionDto) -> impl IntoView {
    let when = format::session_when(l, s.starts, s.ends);
    view! {
        <li class:cancelled=s.cancelled>
            {if s.cancelled {
                view! { <del>{when}</del>" "<span class="badge badge-closed">{tr!(l, "course.cancelled_session")}</span> }.into_any()
            } else {
                view! { <span>{when}</span> }.into_any()
            }}
            {s.place.map(|p| view! { <br/><PlaceLine place=p/> })}
        </li>
    }
}

/// A run's sessions in order; cancelled ones struck through and marked.
#[component]
pub fn SessionList(sessions: Vec<SessionDto>) -> impl IntoView {
    let l = use_locale();
    view! {
        <ol class="session-list">
            {sessions.into_iter().map(|s| session_item(l, s)).collect_view()}
        </ol>
    }
}

/// A place in full: address, room, access and directions.
#[component]
pub fn PlaceDetails(place: PlaceDto) -> impl IntoView {
    let l = use_locale();
    let address = [
        place.street.clone(),
        match (&place.postal_code, &place.city) {
            (Some(p), Some(c)) => Some(format!("{p} {c}")),
            (None, Some(c)) => Some(c.clone()),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let facilities: Vec<String> = [
        (place.accessible_toilet, "place.accessible_toilet"),
        (place.hearing_loop, "place.hearing_loop"),
        (place.quiet_room, "place.quiet_room"),
    ]
    .into_iter()
    .filter(|(has, _)| *has && !place.online)
    .map(|(_, key)| tr!(l, key))
    .collect();
    view! {
        <div class="place-details">
            <p>
                <strong>{place.name.clone()}</strong>
                {(!address.is_empty()).then(|| view! { <br/>{address} })}
                {place.room.clone().map(|r| view! { <br/>{tr!(l, "place.room")}": "{r}})}
            </p>
            {place.platform.clone().filter(|_| place.online).map(|p| view! {
                <p><span class="label">{tr!(l, "place.platform")}": "</span>{p}</p>
            })}
            {(!place.online).then(|| view! {
                <p class=access_class(place.step_free)>{access_line(l, &place)}</p>
            })}
            {(!facilities.is_empty()).then(|| view! {
                <p>{format!("{} {}.", tr!(l, "place.facilities"), spoken_list(l, &facilities))}</p>
            })}
            {(!place.directions.is_empty()).then(|| view! {
                <p class="directions"><span class="label">{tr!(l, "place.directions")}": "</span>{place.directions.clone()}</p>
            })}
            {place.map_url.clone().map(|href| view! {
                <p><a href=href rel="noopener noreferrer">{tr!(l, "place.map")}</a></p>
            })}
        </div>
    }
}

/// A teacher: name, kind, and their own words.
#[component]
pub fn TeacherCard(teacher: TeacherDto) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="teacher-card">
            // The name stands beside the photo, so the photo itself is decorative.
            {teacher.photo.clone().map(|src| view! {
                <img class="teacher-photo" src=src alt="" width="96" height="96" loading="lazy"/>
            })}
            <p class="teacher-kind">{tr!(l, teacher.kind.label_key())}</p>
            <p class="teacher-name">{teacher.name.clone()}</p>
            {teacher.title.clone().map(|t| view! { <p class="teacher-title">{t}</p> })}
            {(!teacher.bio.is_empty()).then(|| view! { <p class="teacher-bio">{teacher.bio.clone()}</p> })}
        </div>
    }
}

/// The way to sign up for a run, or why there is none.
fn signup_link(l: Locale, run_id: i32, availability: Availability) -> impl IntoView {
    let href = format!("/hold/{run_id}/tilmelding");
    match availability {
        Availability::Open { .. } => Some(
            view! { <p class="run-action"><a class="button" href=href>{tr!(l, "course.signup")}</a></p> }
                .into_any(),
        ),
        Availability::Waitlist => Some(
            view! { <p class="run-action"><a class="button" href=href>{tr!(l, "course.signup_waitlist")}</a></p> }
                .into_any(),
        ),
        Availability::DropIn => Some(view! { <p class="note">{tr!(l, "course.drop_in_note")}</p> }.into_any()),
        _ => None,
    }
}

/// A run in full, as on the course page.
#[component]
pub fn RunDetails(run: RunDto) -> impl IntoView {
    let l = use_locale();
    let heading = run
        .next_session
        .as_ref()
        .map(|s| format::date_long(l, s.starts.date()))
        .unwrap_or_default();
    let anchor = format!("hold-{}", run.id);
    let heading_id = format!("hold-{}-titel", run.id);
    let labelled_by = heading_id.clone();
    let count = sessions_count_text(l, run.active_sessions());
    let school_href = format!("/skoler/{}", run.school.slug);
    let teachers = run.teachers.clone();
    view! {
        <article class="run-details" id=anchor aria-labelledby=labelled_by>
            <header class="run-details-head">
                <h3 id=heading_id>{heading}</h3>
                <AvailabilityBadge availability=run.availability/>
            </header>
            <p class="run-details-school">
                {tr!(l, "course.held_at")}" "<a href=school_href>{run.school.name.clone()}</a>
            </p>
            <div class="run-details-grid">
                <section>
                    <h4>{tr!(l, "course.sessions")}" ("{count}")"</h4>
                    <SessionList sessions=run.sessions.clone()/>
                </section>
                {run.place.map(|p| view! {
                    <section>
                        <h4>{tr!(l, "course.place")}</h4>
                        <PlaceDetails place=p/>
                    </section>
                })}
            </div>
            {(!teachers.is_empty()).then(|| view! {
                <section>
                    <h4>{tr!(l, "course.team")}</h4>
                    <p class="team-line">
                        {teachers.iter().map(|t| format!("{} ({})", t.name, tr!(l, t.kind.label_key()))).collect::<Vec<_>>().join(" · ")}
                    </p>
                </section>
            })}
            {signup_link(l, run.id, run.availability)}
        </article>
    }
}
