//! "Ingen e-mail – ring": the calls staff are to make to people signed up by phone without
//! e-mail, each with the name, the number as a `tel:` link, what to tell them, and a button to
//! mark the call made. Shown on a run's list and on the home page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::dto::staff::home::CallDto;
use crate::format;
use crate::i18n::use_locale;
use crate::server_fns::staff::roster::CallDone;
use crate::tr;

/// The calls to make; with `courses` each names its course (the home page covers several runs).
#[component]
pub fn CallList(calls: Vec<CallDto>, courses: bool) -> impl IntoView {
    let l = use_locale();
    view! {
        <section aria-labelledby="ring" class="calls">
            <h2 id="ring">{tr!(l, "staff.calls.title", count = calls.len())}</h2>
            <p class="hint">{tr!(l, "staff.calls.intro")}</p>
            <ul class="staff-cards">
                {calls.into_iter().map(|c| {
                    let done_label = tr!(l, "staff.calls.done_for", name = c.name.clone());
                    let tel = format!("tel:{}", c.phone.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect::<String>());
                    view! {
                        <li class="staff-card">
                            <p><strong>{tr!(l, "staff.calls.no_email")}</strong>" "
                                <a href=tel>{c.phone.clone()}</a>" · "{c.name.clone()}</p>
                            <p>{tr!(l, &c.what_key)}
                                {courses.then(|| view! { " · "<a href=format!("/personale/hold/{}/deltagere", c.run_id)>{c.course_title.clone()}</a> })}
                                <span class="cell-sub">" · "{format::date_time(l, c.queued)}</span>
                            </p>
                            <form method="post" action=CallDone::url() class="inline-form">
                                <input type="hidden" name="call_id" value=c.id.to_string()/>
                                {courses.then(|| view! { <input type="hidden" name="from" value="forside"/> })}
                                <button type="submit" class="button button-small" aria-label=done_label>{tr!(l, "staff.calls.done")}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
