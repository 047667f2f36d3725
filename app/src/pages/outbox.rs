//! `/udbakke`: the demo outbox, for someone at the machine the server runs on. Every message with
//! its state; the text of those written to files, with their links clickable, so a demo can follow
//! a confirmation, a reminder or a "Mine tilmeldinger" link without a mail program.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::load::loaded;
use crate::components::not_found::NotFound;
use crate::dto::outbox::OutboxItemDto;
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::outbox::demo_outbox;
use crate::tr;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| demo_outbox());
    view! {
        <Meta name="robots" content="noindex"/>
        {loaded(data, move |d| match d {
            Some(items) => view! { <OutboxView items/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        })}
    }
}

fn status_badge(l: Locale, status: &str) -> (String, &'static str) {
    match status {
        "sent" => (tr!(l, "outbox.sent"), "badge badge-open"),
        "failed" => (tr!(l, "outbox.failed"), "badge badge-closed"),
        "skipped" => (tr!(l, "outbox.skipped"), "badge"),
        _ => (tr!(l, "outbox.pending"), "badge badge-waitlist"),
    }
}

/// Text with its web addresses as links.
fn linked(text: &str) -> impl IntoView + use<> {
    let mut parts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            parts.push(view! { <br/> }.into_any());
        }
        if line.starts_with("http://") || line.starts_with("https://") {
            let href = line.trim().to_string();
            let shown = href.clone();
            parts.push(view! { <a href=href>{shown}</a> }.into_any());
        } else {
            parts.push(line.to_string().into_any());
        }
    }
    parts
}

#[component]
fn OutboxView(items: Vec<OutboxItemDto>) -> impl IntoView {
    let l = use_locale();
    let empty = items.is_empty();
    view! {
        <Title text=tr!(l, "outbox.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "outbox.title")}</h1>
            <p class="lead">{tr!(l, "outbox.intro")}</p>
        </div>
        {empty.then(|| view! { <p class="notice">{tr!(l, "outbox.empty")}</p> })}
        <ul class="plain-list outbox-list">
            {items.into_iter().map(|m| {
                let (status, class) = status_badge(l, &m.status);
                let heading = m.subject.clone().unwrap_or_else(|| m.kind.clone());
                let heading_id = format!("besked-{}", m.id);
                let labelled_by = heading_id.clone();
                view! {
                    <li>
                        <article class="booking-card" aria-labelledby=labelled_by>
                            <header class="run-details-head">
                                <h2 id=heading_id>{heading}</h2>
                                <span class=class>{status}</span>
                            </header>
                            <p class="hint">
                                {format::date_time(l, m.created)}" · "{tr!(l, "outbox.to")}" "{m.recipient.clone()}
                                " · "{tr!(l, "outbox.attempts", count = m.attempts)}
                                {m.has_calendar.then(|| view! { " · "{tr!(l, "outbox.calendar")} })}
                            </p>
                            {m.last_error.clone().map(|e| view! { <p class="notice notice-error">{e}</p> })}
                            {m.text.clone().map(|t| view! {
                                <details>
                                    <summary>{tr!(l, "outbox.show_text")}</summary>
                                    <p class="mail-text">{linked(&t)}</p>
                                </details>
                            })}
                        </article>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
