//! `/skoler/:slug/katalog`: a school's courses of one term, to print and hand out at wards and
//! libraries. A term chooser (a plain GET form), every run with its dates, place, step-free
//! access, team and where to sign up, with a QR code; the print stylesheet keeps each run on
//! one A4 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::load::loaded;
use crate::components::not_found::NotFound;
use crate::components::run::access_line;
use crate::dto::catalogue::PlaceDto;
use crate::dto::prospectus::{
    GroupHeading, Grouping, ProspectusDto, ProspectusGroup, ProspectusRun, TermChoice,
};
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::pages::path_param;
use crate::rules::catalogue::availability::Availability;
use crate::server_fns::catalogue::school_prospectus;
use crate::tr;

#[component]
pub fn ProspectusPage() -> impl IntoView {
    let slug = path_param("slug");
    let query = use_query_map();
    let source = move || {
        query.with(|q| {
            (
                slug(),
                q.get("termin").unwrap_or_default(),
                q.get("grupper").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(source, |(slug, term, grouping)| {
        school_prospectus(slug, term, grouping)
    });
    view! {
        {loaded(data, move |d| match d {
            Some(d) => prospectus_view(use_locale(), d).into_any(),
            None => view! { <NotFound/> }.into_any(),
        })}
    }
}

fn term_label(l: Locale, t: &TermChoice) -> String {
    if t.spring {
        tr!(l, "prospectus.spring", year = t.year)
    } else {
        tr!(l, "prospectus.autumn", year = t.year)
    }
}

fn prospectus_view(l: Locale, d: ProspectusDto) -> impl IntoView {
    let title = tr!(
        l,
        "prospectus.title",
        school = d.school.name.clone(),
        term = term_label(l, &d.term)
    );
    let s = &d.school;
    let contact = [s.phone.clone(), s.email.clone()]
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let address = format!("{}, {} {}", s.street, s.postal_code, s.city);
    let empty = d.groups.is_empty();
    let chooser = controls(l, &d);
    view! {
        <Title text=title.clone()/>
        <div class="prospectus">
            <div class="page-intro">
                <h1>{title}</h1>
                <p class="lead">{tr!(l, "prospectus.lead")}</p>
                <p class="prospectus-contact">
                    {address}<br/>
                    {tr!(l, "prospectus.contact")}": "{contact}
                    {(!s.opening_hours.is_empty()).then(|| view! { <br/>{s.opening_hours.clone()} })}
                </p>
            </div>
            {chooser}
            {empty.then(|| view! { <p>{tr!(l, "prospectus.empty")}</p> })}
            {d.groups.into_iter().map(|g| group_view(l, g)).collect_view()}
        </div>
    }
}

/// The term and grouping chooser: a GET form, so it works without JavaScript and never prints.
fn controls(l: Locale, d: &ProspectusDto) -> impl IntoView + use<> {
    let current = d.term.slug.clone();
    let terms = d.terms.clone();
    let by_theme = d.grouping == Grouping::Theme;
    view! {
        <form class="prospectus-controls no-print" method="get" aria-label=tr!(l, "prospectus.controls")>
            <div class="field">
                <label for="termin">{tr!(l, "prospectus.term")}</label>
                <select id="termin" name="termin">
                    {terms.into_iter().map(|t| {
                        let selected = t.slug == current;
                        view! { <option value=t.slug.clone() selected=selected>{term_label(l, &t)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="grupper">{tr!(l, "prospectus.grouping")}</label>
                <select id="grupper" name="grupper">
                    <option value=Grouping::Month.slug() selected=!by_theme>{tr!(l, "prospectus.by_month")}</option>
                    <option value=Grouping::Theme.slug() selected=by_theme>{tr!(l, "prospectus.by_theme")}</option>
                </select>
            </div>
            <button type="submit" class="button">{tr!(l, "prospectus.show")}</button>
            <p class="hint">{tr!(l, "prospectus.print_hint")}</p>
        </form>
    }
}

fn group_view(l: Locale, g: ProspectusGroup) -> impl IntoView {
    let heading = match &g.heading {
        GroupHeading::Month(first) => format::month_label(l, *first),
        GroupHeading::Theme(t) => match l {
            Locale::Da => t.name_da.clone(),
            Locale::En => t.name_en.clone(),
        },
        GroupHeading::Other => tr!(l, "prospectus.other"),
    };
    view! {
        <section class="prospectus-group">
            <h2>{heading}</h2>
            {g.runs.into_iter().map(|r| run_view(l, r)).collect_view()}
        </section>
    }
}

/// A place in one line: name, address and room, then whether it is step-free.
fn place_lines(l: Locale, p: &PlaceDto) -> impl IntoView + use<> {
    if p.online {
        let platform = p.platform.clone().map(|name| format!(" ({name})"));
        return view! { <p>{tr!(l, "place.online")}{platform}</p> }.into_any();
    }
    let address = [
        Some(p.name.clone()),
        p.street.clone(),
        p.city.clone(),
        p.room.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <p>{address}</p>
        <p>{access_line(l, p)}</p>
    }
    .into_any()
}

fn run_view(l: Locale, r: ProspectusRun) -> impl IntoView {
    let run = r.run;
    let heading = format!("katalog-hold-{}", run.id);
    let labelled_by = heading.clone();
    let place = run
        .place
        .clone()
        .or_else(|| run.sessions.iter().find_map(|s| s.place.clone()));
    let team = run
        .teachers
        .iter()
        .map(|t| format!("{} ({})", t.name, tr!(l, t.kind.label_key())))
        .collect::<Vec<_>>()
        .join(", ");
    let drop_in = run.availability == Availability::DropIn;
    let shown_url = r
        .signup_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    let sessions: Vec<String> = run
        .sessions
        .iter()
        .filter(|s| !s.cancelled)
        .map(|s| format::session_when(l, s.starts, s.ends))
        .collect();
    let qr_alt = tr!(l, "prospectus.qr_alt", course = run.course_title.clone());
    view! {
        <article class="prospectus-run" aria-labelledby=labelled_by data-run=run.id.to_string()>
            // First, so that in print it floats beside the text (on screen the grid puts it last).
            <img class="prospectus-qr" src=format!("/hold/qr/{}.svg", run.id) alt=qr_alt width="120" height="120"/>
            <div class="prospectus-run-text">
                <h3 id=heading>{run.course_title.clone()}</h3>
                <p>{run.course_summary.clone()}</p>
                <dl class="prospectus-facts">
                    <dt>{tr!(l, "prospectus.when")}</dt>
                    <dd>
                        <ul class="plain-list">
                            {sessions.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                        </ul>
                    </dd>
                    {place.map(|p| view! {
                        <dt>{tr!(l, "prospectus.where")}</dt>
                        <dd>{place_lines(l, &p)}</dd>
                    })}
                    {(!team.is_empty()).then(|| view! {
                        <dt>{tr!(l, "prospectus.team")}</dt>
                        <dd>{team}</dd>
                    })}
                    <dt>{tr!(l, "prospectus.signup")}</dt>
                    <dd class="prospectus-url">
                        {tr!(l, if drop_in { "prospectus.drop_in" } else { "prospectus.signup_at" })}" "
                        <a href=r.signup_url.clone()>{shown_url}</a>
                    </dd>
                </dl>
            </div>
        </article>
    }
}
