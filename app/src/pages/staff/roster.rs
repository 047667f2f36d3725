//! `/personale/hold/:id/deltagere`: the participant list, signing someone up on their behalf,
//! giving a waiting person a free seat, cancelling, and a message to everyone on the run.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, field, id_param, query_notice, staff_page};
use crate::components::calls::CallList;
use crate::components::form::refusal_notice;
use crate::dto::booking::BookingState;
use crate::dto::staff::roster::{MESSAGE_MAX, RosterRefusal, RosterRow};
use crate::format;
use crate::i18n::use_locale;
use crate::rules::signup::SignupRefusal;
use crate::server_fns::staff::roster::{
    AddEmail, AddParticipant, CancelParticipant, GiveSeat, MessageRun, roster,
};
use crate::tr;

const SUCCESSES: &[(&str, &str)] = &[
    ("tilmeldt", "staff.roster.added"),
    ("findes", "staff.roster.exists"),
    ("afmeldt", "staff.roster.cancelled"),
    ("plads", "staff.roster.seat_given"),
    ("sendt", "staff.roster.message_sent"),
    ("ringet", "staff.calls.marked"),
    ("email", "staff.roster.email_added"),
];

#[component]
pub fn RosterPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| q.get("besked"));
    let count = query.with_untracked(|q| q.get("antal"));
    let data = Resource::new(move || id, roster);
    staff_page(data, move |d| {
        let ok = ok.clone();
        StaffView::new(tr!(l, "staff.roster.title", course = d.course_title.clone()))
            .crumbs(view! {
                {d.may_edit.then(|| view! { <a href=format!("/personale/hold/{}", d.run_id)>{tr!(l, "staff.roster.to_run")}</a>" · " })}
                <a href=format!("/personale/hold/{}/fremmoede", d.run_id)>{tr!(l, "staff.home.attendance")}</a>
                " · "<a href=format!("/personale/hold/{}/evaluering", d.run_id)>{tr!(l, "staff.paper.link")}</a>
                " · "<a href=format!("/personale/hold/{}/resultater", d.run_id)>{tr!(l, "staff.results.link")}</a>
            })
            .lead(view! {
                {d.school_name.clone()}
                {d.first.map(|f| format!(" · {}", format::date_long(l, f.date())))}
                " · "{tr!(l, d.state.label_key())}
            })
            .notices(view! {
                {refusal_notice::<RosterRefusal>(l)}
                {refusal_notice::<SignupRefusal>(l)}
                {ok.clone().filter(|o| o == "sendt").map(|_| view! {
                    <p class="notice notice-ok" role="status">{tr!(l, "staff.roster.message_sent", count = count.clone().unwrap_or_default())}</p>
                })}
                {query_notice(l, ok.filter(|o| o != "sendt"), SUCCESSES, true)}
            })
            .body(view! {
                <p class="hint">{tr!(l, "staff.roster.privacy")}</p>
                {(!d.calls.is_empty()).then(|| view! { <CallList calls=d.calls.clone() courses=false/> })}
                <section aria-labelledby="pladser">
                    <h2 id="pladser">{tr!(l, "staff.roster.seats", count = d.seats.len(), capacity = d.capacity.map(|c| c.to_string()).unwrap_or_else(|| "–".into()))}</h2>
                    <People rows=d.seats.clone() waiting=false/>
                </section>
                <section aria-labelledby="venteliste">
                    <h2 id="venteliste">{tr!(l, "staff.roster.waiting", count = d.waiting.len())}</h2>
                    <People rows=d.waiting.clone() waiting=true/>
                </section>
                <section aria-labelledby="tilmeld" class="narrow">
                    <h2 id="tilmeld">{tr!(l, "staff.roster.add")}</h2>
                    <p>{tr!(l, "staff.roster.add_intro")}</p>
                    <form method="post" action=AddParticipant::url() class="staff-form">
                        <input type="hidden" name="run_id" value=d.run_id.to_string()/>
                        {field("tilmeld-navn", "name", tr!(l, "staff.field.name"), "text", String::new(), "off", None)}
                        {field("tilmeld-email", "email", tr!(l, "staff.field.email"), "email", String::new(), "off", Some(tr!(l, "staff.roster.email_optional")))}
                        {field("tilmeld-telefon", "phone", tr!(l, "staff.roster.phone"), "tel", String::new(), "off", None)}
                        <label class="check" for="tilmeld-samtykke">
                            <input id="tilmeld-samtykke" type="checkbox" name="consent" value="ja"/>
                            {tr!(l, "staff.roster.consent")}
                        </label>
                        <button type="submit" class="button">{tr!(l, "staff.roster.add_button")}</button>
                    </form>
                </section>
                <section aria-labelledby="skriv-til-holdet" class="narrow">
                    <h2 id="skriv-til-holdet">{tr!(l, "staff.roster.message")}</h2>
                    <p>{tr!(l, "staff.roster.message_intro")}</p>
                    <form method="post" action=MessageRun::url() class="staff-form">
                        <input type="hidden" name="run_id" value=d.run_id.to_string()/>
                        <div class="field">
                            <label for="besked-tekst">{tr!(l, "staff.roster.message_text")}</label>
                            <p class="hint" id="besked-hint">{tr!(l, "staff.roster.message_hint", max = MESSAGE_MAX)}</p>
                            <textarea id="besked-tekst" name="text" rows="5" maxlength=MESSAGE_MAX.to_string() aria-describedby="besked-hint"></textarea>
                        </div>
                        <button type="submit" class="button button-secondary">{tr!(l, "staff.roster.message_button")}</button>
                    </form>
                </section>
            })
    })
}

#[component]
fn People(rows: Vec<RosterRow>, waiting: bool) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p>{tr!(l, "staff.roster.none")}</p> }.into_any();
    }
    view! {
        <ul class="staff-cards roster">
            {rows.into_iter().map(|p| {
                let state = match &p.state {
                    BookingState::Confirmed => tr!(l, "staff.roster.confirmed"),
                    BookingState::Waiting { position } => tr!(l, "staff.roster.in_line", position = *position),
                    BookingState::Offered { until } => tr!(l, "staff.roster.offered", until = format::date_time(l, *until)),
                    _ => String::new(),
                };
                let cancel_label = tr!(l, "staff.roster.cancel_for", name = p.name.clone());
                let seat_label = tr!(l, "staff.roster.give_seat_for", name = p.name.clone());
                let email_id = format!("email-{}", p.booking_id);
                view! {
                    <li class="staff-card" id=format!("person-{}", p.booking_id)>
                        <p><strong>{p.name.clone()}</strong>" · "{state}
                            {p.coming.then(|| view! { " · "{tr!(l, "staff.roster.coming")} })}
                        </p>
                        {if p.phone_only {
                            view! {
                                <p><strong>{tr!(l, "staff.calls.no_email")}</strong>" "
                                    {p.phone.clone().map(|ph| view! { <a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a> })}
                                </p>
                                <form method="post" action=AddEmail::url() class="inline-form add-email">
                                    <input type="hidden" name="booking_id" value=p.booking_id.to_string()/>
                                    <label for=email_id.clone()>{tr!(l, "staff.roster.add_email_for", name = p.name.clone())}</label>
                                    <input id=email_id.clone() name="email" type="email" autocomplete="off"/>
                                    <button type="submit" class="button button-secondary button-small">{tr!(l, "staff.roster.add_email")}</button>
                                </form>
                            }.into_any()
                        } else {
                            view! {
                                <p><a href=format!("mailto:{}", p.email)>{p.email.clone()}</a>
                                    {p.phone.clone().map(|ph| view! { " · "<a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a> })}
                                </p>
                            }.into_any()
                        }}
                        {(!p.needs.is_empty()).then(|| view! { <p class="cell-sub">{tr!(l, "staff.roster.needs")}" "{p.needs.clone()}</p> })}
                        {p.booked_by.clone().map(|b| view! { <p class="cell-sub">{tr!(l, "staff.roster.booked_by", name = b)}</p> })}
                        {p.mail_failed.then(|| view! { <p class="warnings">{tr!(l, "staff.roster.mail_failed")}</p> })}
                        <div class="action-row">
                            {waiting.then(|| view! {
                                <form method="post" action=GiveSeat::url() class="inline-form">
                                    <input type="hidden" name="booking_id" value=p.booking_id.to_string()/>
                                    <button type="submit" class="button button-small" aria-label=seat_label>{tr!(l, "staff.roster.give_seat")}</button>
                                </form>
                            })}
                            <form method="post" action=CancelParticipant::url() class="inline-form">
                                <input type="hidden" name="booking_id" value=p.booking_id.to_string()/>
                                <button type="submit" class="button button-secondary button-small" aria-label=cancel_label>{tr!(l, "staff.roster.cancel")}</button>
                            </form>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
