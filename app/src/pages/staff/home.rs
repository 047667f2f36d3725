//! `/personale`: the staff home page.

use leptos::prelude::*;

use super::{StaffView, staff_page};
use crate::components::calls::CallList;
use crate::dto::staff::home::RunRowDto;
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::staff::home::staff_home;
use crate::tr;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| staff_home());
    staff_page(data, move |d| {
        let term = format!("{} {}", tr!(l, d.term.0.label_key()), d.term.1);
        let teaches = !d.next_sessions.is_empty() || !d.tasks.is_empty();
        StaffView::new(tr!(l, "staff.home.title"))
            .heading(tr!(l, "staff.home.hello", name = d.me.name.clone()))
            .body(view! {
            {(!d.calls.is_empty()).then(|| view! { <CallList calls=d.calls.clone() courses=true/> })}
            {teaches.then(|| view! {
                <section aria-labelledby="mine-gange">
                    <h2 id="mine-gange">{tr!(l, "staff.home.next_sessions")}</h2>
                    {if d.next_sessions.is_empty() {
                        view! { <p>{tr!(l, "staff.home.no_sessions")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="staff-cards">
                                {d.next_sessions.iter().map(|s| view! {
                                    <li class="staff-card">
                                        <p class="when">{format::session_when(l, s.starts, s.ends)}</p>
                                        <p><strong>{s.course_title.clone()}</strong>" · "{tr!(l, "staff.home.session_of", number = s.number, of = s.of)}</p>
                                        <p>{s.school_name.clone()}{s.place.clone().map(|p| format!(" · {p}"))}</p>
                                        <p>{tr!(l, "staff.home.confirmed", count = s.confirmed)}" · "
                                            <a href=format!("/personale/hold/{}/deltagere", s.run_id)>{tr!(l, "staff.home.roster")}</a>
                                            {s.attendance_open.then(|| view! {
                                                " · "<a href=format!("/personale/hold/{}/fremmoede?gang={}", s.run_id, s.session_id)>{tr!(l, "staff.home.attendance")}</a>
                                            })}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="opgaver">
                    <h2 id="opgaver">{tr!(l, "staff.home.tasks")}</h2>
                    {if d.tasks.is_empty() {
                        view! { <p>{tr!(l, "staff.home.no_tasks")}</p> }.into_any()
                    } else {
                        view! { <RunTable runs=d.tasks.clone() caption=tr!(l, "staff.home.tasks_caption")/> }.into_any()
                    }}
                </section>
            })}
            {d.schools.iter().map(|s| {
                let heading = format!("school-{}", s.id);
                let labelled_by = heading.clone();
                view! {
                    <section aria-labelledby=labelled_by>
                        <h2 id=heading>{s.name.clone()}" · "{term.clone()}</h2>
                        {s.may_create.then(|| view! {
                            <p><a class="button button-secondary" href="/personale/hold/ny">{tr!(l, "staff.home.new_run")}</a></p>
                        })}
                        {if s.runs.is_empty() {
                            view! { <p>{tr!(l, "staff.home.no_runs")}</p> }.into_any()
                        } else {
                            view! { <RunTable runs=s.runs.clone() caption=tr!(l, "staff.home.runs_caption", school = s.name.clone(), term = term.clone())/> }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        })
    })
}

fn fill(l: Locale, r: &RunRowDto) -> String {
    match r.capacity {
        Some(c) => tr!(l, "staff.home.fill", confirmed = r.confirmed, capacity = c),
        None => tr!(l, "staff.home.drop_in"),
    }
}

/// Runs with fill, waiting list and warnings; a table that scrolls sideways on a phone.
#[component]
fn RunTable(runs: Vec<RunRowDto>, caption: String) -> impl IntoView {
    let l = use_locale();
    let label = caption.clone();
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class="staff-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(l, "staff.col.course")}</th>
                        <th scope="col">{tr!(l, "staff.col.first")}</th>
                        <th scope="col">{tr!(l, "staff.col.fill")}</th>
                        <th scope="col">{tr!(l, "staff.col.waiting")}</th>
                        <th scope="col">{tr!(l, "staff.col.state")}</th>
                        <th scope="col">{tr!(l, "staff.col.warnings")}</th>
                    </tr>
                </thead>
                <tbody>
                    {runs.into_iter().map(|r| {
                        let first = r.first.map(|f| format::date_plain(l, f.date())).unwrap_or_else(|| tr!(l, "staff.home.no_date"));
                        view! {
                            <tr>
                                <th scope="row">
                                    {r.course_title.clone()}
                                    <span class="cell-sub">{r.school_name.clone()}</span>
                                    {r.may_edit.then(|| view! {
                                        <a class="cell-link" href=format!("/personale/hold/{}", r.id)>{tr!(l, "staff.home.edit")}</a>
                                    })}
                                    {r.may_roster.then(|| view! {
                                        <a class="cell-link" href=format!("/personale/hold/{}/deltagere", r.id)>{tr!(l, "staff.home.roster")}</a>
                                        <a class="cell-link" href=format!("/personale/hold/{}/fremmoede", r.id)>{tr!(l, "staff.home.attendance")}</a>
                                    })}
                                </th>
                                <td>{first}</td>
                                <td>{fill(l, &r)}</td>
                                <td>{r.waiting}</td>
                                <td>{tr!(l, r.state.label_key())}</td>
                                <td>
                                    {if r.warnings.is_empty() {
                                        view! { <span class="muted">{tr!(l, "staff.warn.none")}</span> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="warnings">
                                                {r.warnings.iter().map(|w| view! {
                                                    <li>{tr!(l, w.message_key(), count = w.count())}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
