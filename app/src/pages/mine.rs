//! "Mine tilmeldinger": asking for a link, and the page the link opens, where a person sees their
//! bookings and places in the queue and can give afbud, accept an offer or leave a waiting list.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::form::{refusal_notice_as, refusals};
use crate::components::load::loaded;
use crate::components::not_found::LinkInvalid;
use crate::components::run::PlaceLine;
use crate::components::school::SchoolContactLine;
use crate::dto::booking::{BookingState, LinkRefusal, ManageAction, MyBookingDto, MyBookingsDto};
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::pages::path_param;
use crate::server_fns::booking::{
    ForgetMe, MakeCalendarLink, ManageBooking, RequestLink, my_bookings,
};
use crate::tr;

/// The page where anyone can ask for a link by e-mail.
#[component]
pub fn RequestLinkPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sendt").is_some());
    let refused = refusals::<LinkRefusal>();
    let problem = move || !refused().is_empty();
    let expired = move || query.with(|q| q.get("udloebet").is_some());
    let deleted = move || query.with(|q| q.get("slettet").is_some());
    view! {
        <Title text=tr!(l, "mine.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "mine.title")}</h1>
            <p class="lead">{tr!(l, "mine.request_intro")}</p>
        </div>
        <div class="narrow">
            {move || expired().then(|| view! { <p class="notice" role="status">{tr!(l, "mine.link_expired")}</p> })}
            {move || deleted().then(|| view! { <p class="notice notice-ok" role="status">{tr!(l, "mine.deleted")}</p> })}
            {move || sent().then(|| view! { <p class="notice notice-ok" role="status">{tr!(l, "mine.sent")}</p> })}
            {refusal_notice_as::<LinkRefusal>(l, "mine-fejl")}
            <form method="post" action=RequestLink::url() class="signup-form" novalidate>
                <div class="field" class:field-invalid=problem>
                    <label for="mine-email">{tr!(l, "signup.email")}</label>
                    <input type="email" id="mine-email" name="email" autocomplete="email"
                        aria-invalid=move || problem().then_some("true")
                        aria-describedby=move || problem().then_some("mine-fejl")/>
                </div>
                <button type="submit" class="button">{tr!(l, "mine.send")}</button>
            </form>
            <p class="hint">{tr!(l, "mine.privacy_hint")}</p>
        </div>
    }
}

/// The page a link opens.
#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let token = path_param("token");
    let data = Resource::new(token, my_bookings);
    view! {
        <Meta name="robots" content="noindex"/>
        {loaded(data, move |d| match d {
            MyBookingsDto::Valid { bookings, calendar_feed } => {
                view! { <MyBookingsView bookings calendar_feed token=token()/> }.into_any()
            }
            MyBookingsDto::Invalid => view! { <LinkInvalid/> }.into_any(),
        })}
    }
}

fn message_text(l: Locale, code: &str) -> Option<(String, bool)> {
    let (key, ok) = match code {
        "afbud" => ("mine.msg_afbud", true),
        "venteliste_forladt" => ("mine.msg_left", true),
        "tilbud_afslaaet" => ("mine.msg_declined", true),
        "tilbud_accepteret" => ("mine.msg_accepted", true),
        "gang_afbud" => ("mine.msg_session_afbud", true),
        "gang_fortrudt" => ("mine.msg_session_undo", true),
        "allerede" => ("mine.msg_already", true),
        "for_sent" => ("mine.msg_too_late", false),
        "tilbud_udloebet" => ("mine.msg_offer_expired", false),
        "ikke_muligt" => ("mine.msg_not_possible", false),
        "slet_bekraeft" => ("mine.msg_confirm_delete", false),
        "proev_igen" => ("mine.msg_try_again", false),
        _ => return None,
    };
    Some((tr!(l, key), ok))
}

#[component]
fn MyBookingsView(
    bookings: Vec<MyBookingDto>,
    calendar_feed: Option<String>,
    token: String,
) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let message = query
        .with_untracked(|q| q.get("besked"))
        .and_then(|c| message_text(l, &c));
    let about = query
        .with_untracked(|q| q.get("booking"))
        .and_then(|b| b.parse::<i32>().ok());
    let too_late_school = about
        .and_then(|id| bookings.iter().find(|b| b.id == id))
        .map(|b| b.school.clone())
        .filter(|_| message.as_ref().is_some_and(|(_, ok)| !ok));
    let empty = bookings.is_empty();
    let token_for_data = token.clone();
    let token_for_calendar = token.clone();
    view! {
        <Title text=tr!(l, "mine.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "mine.title")}</h1>
            <p class="lead">{tr!(l, "mine.intro")}</p>
        </div>
        {message.map(|(text, ok)| view! {
            <div class=if ok { "notice notice-ok" } else { "notice notice-error" } id="besked" role="status" tabindex="-1">
                <p>{text}</p>
                {too_late_school.map(|s| view! { <SchoolContactLine school=s/> })}
            </div>
        })}
        {if empty {
            view! { <p class="notice">{tr!(l, "mine.none")}</p> }.into_any()
        } else {
            view! {
                <ul class="my-bookings plain-list">
                    {bookings.into_iter().map(|b| view! { <li><BookingCard booking=b token=token.clone()/></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p><a href="/">{tr!(l, "mine.find_more")}</a></p>
        <MyCalendar token=token_for_calendar feed=calendar_feed/>
        <MyData token=token_for_data/>
    }
}

/// A private calendar feed of the person's classes: made on request, shown once.
#[component]
fn MyCalendar(token: String, feed: Option<String>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="my-data" id="kalender" aria-labelledby="mine-kalender">
            <h2 id="mine-kalender">{tr!(l, "mine.calendar_title")}</h2>
            <p>{tr!(l, "mine.calendar_intro")}</p>
            {match feed {
                Some(url) => {
                    let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                    view! {
                        <div class="notice notice-ok" role="status">
                            <p>{tr!(l, "mine.calendar_made")}</p>
                            <p><label for="kalender-link">{tr!(l, "mine.calendar_copy")}</label></p>
                            <input type="text" id="kalender-link" class="copy-field" readonly value=url.clone()/>
                            <p><a href=webcal>{tr!(l, "mine.calendar_open")}</a></p>
                        </div>
                    }.into_any()
                }
                None => view! {
                    <form method="post" action=MakeCalendarLink::url() class="inline-form">
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" class="button button-secondary">{tr!(l, "mine.calendar_make")}</button>
                    </form>
                    <p class="hint">{tr!(l, "mine.calendar_private")}</p>
                }.into_any(),
            }}
        </section>
    }
}

/// See, download and delete what is stored: the person's rights, on their own page.
#[component]
fn MyData(token: String) -> impl IntoView {
    let l = use_locale();
    let download = format!("/mine-tilmeldinger/{token}/data");
    view! {
        <section class="my-data" aria-labelledby="mine-data">
            <h2 id="mine-data">{tr!(l, "mine.data_title")}</h2>
            <p>{tr!(l, "mine.data_intro")}</p>
            <p><a href=download download="mine-oplysninger.json">{tr!(l, "mine.data_download")}</a></p>
            <form method="post" action=ForgetMe::url() class="signup-form">
                <input type="hidden" name="token" value=token/>
                <p>{tr!(l, "mine.delete_intro")}</p>
                <div class="field">
                    <label class="check check-top" for="slet-bekraeft">
                        <input type="checkbox" id="slet-bekraeft" name="confirm" value="ja"/>
                        <span>{tr!(l, "mine.delete_confirm")}</span>
                    </label>
                </div>
                <button type="submit" class="button button-secondary">{tr!(l, "mine.delete")}</button>
            </form>
        </section>
    }
}

/// One button that posts an action about a booking.
fn action_form(
    token: &str,
    booking: i32,
    action: ManageAction,
    session: Option<i32>,
    label: String,
    class: &'static str,
) -> impl IntoView {
    let action_value = match action {
        ManageAction::Cancel => "cancel",
        ManageAction::Accept => "accept",
        ManageAction::SessionAfbud => "session_afbud",
        ManageAction::SessionUndo => "session_undo",
    };
    view! {
        <form method="post" action=ManageBooking::url() class="inline-form">
            <input type="hidden" name="token" value=token.to_string()/>
            <input type="hidden" name="booking" value=booking.to_string()/>
            <input type="hidden" name="action" value=action_value/>
            {session.map(|s| view! { <input type="hidden" name="session" value=s.to_string()/> })}
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

#[component]
fn BookingCard(booking: MyBookingDto, token: String) -> impl IntoView {
    let l = use_locale();
    let b = booking;
    let heading_id = format!("tilmelding-{}", b.id);
    let labelled_by = heading_id.clone();
    let (status_text, status_class) = match &b.state {
        BookingState::Confirmed => (tr!(l, "mine.state_confirmed"), "badge badge-open"),
        BookingState::Waiting { position } => (
            tr!(l, "mine.state_waiting", position = position),
            "badge badge-waitlist",
        ),
        BookingState::Offered { .. } => (tr!(l, "mine.state_offered"), "badge badge-few"),
        BookingState::Cancelled => (tr!(l, "mine.state_cancelled"), "badge badge-closed"),
        BookingState::Expired => (tr!(l, "mine.state_expired"), "badge badge-closed"),
    };
    let confirmed = b.state == BookingState::Confirmed;
    let run_cancelled = matches!(
        b.run.availability,
        crate::rules::catalogue::availability::Availability::Cancelled
    );
    let course_href = format!("/kurser/{}", b.run.course_slug);
    let sessions = b.run.sessions.clone();
    let next_start = b.run.next_session.as_ref().map(|s| s.starts);
    let guidance = b
        .run
        .place
        .as_ref()
        .filter(|p| p.online && !b.online_links.is_empty() && !p.directions.trim().is_empty())
        .map(|p| p.directions.clone());
    view! {
        <article class="booking-card" aria-labelledby=labelled_by>
            <header class="run-details-head">
                <h2 id=heading_id><a href=course_href>{b.run.course_title.clone()}</a></h2>
                <span class=status_class>{status_text}</span>
            </header>
            {b.run.next_session.clone().map(|s| view! {
                <p class="when">{format::session_when(l, s.starts, s.ends)}</p>
            })}
            <p>{tr!(l, "course.held_at")}" "{b.run.school.name.clone()}
                {b.run.place.clone().map(|p| view! { " · "<PlaceLine place=p/> })}
            </p>
            {run_cancelled.then(|| view! { <p class="notice notice-error">{tr!(l, "mine.run_cancelled")}</p> })}
            {b.on_behalf.then(|| view! { <p class="hint">{tr!(l, "mine.on_behalf")}</p> })}
            {match &b.state {
                BookingState::Offered { until } => Some(view! {
                    <div class="offer">
                        <p>{tr!(l, "mine.offer_text", until = format::date_time(l, *until).as_str())}</p>
                        <div class="action-row">
                            {action_form(&token, b.id, ManageAction::Accept, None, tr!(l, "mine.accept"), "button")}
                            {action_form(&token, b.id, ManageAction::Cancel, None, tr!(l, "mine.decline"), "button button-secondary")}
                        </div>
                    </div>
                }.into_any()),
                BookingState::Waiting { .. } => Some(view! {
                    <div>
                        <p>{tr!(l, "mine.waiting_text")}</p>
                        {action_form(&token, b.id, ManageAction::Cancel, None, tr!(l, "mine.leave"), "button button-secondary")}
                    </div>
                }.into_any()),
                _ => None,
            }}
            {confirmed.then(|| view! {
                <h3>{tr!(l, "course.sessions")}</h3>
                {guidance.clone().map(|g| view! { <p class="hint">{g}</p> })}
                {(!b.online_links.is_empty()).then(|| view! { <p class="hint">{tr!(l, "mine.online_private")}</p> })}
                <ol class="session-list my-sessions">
                    {sessions.iter().map(|s| {
                        let absent = b.absent_sessions.contains(&s.id);
                        let ahead = next_start.is_some_and(|next| s.starts >= next);
                        let when = format::session_when(l, s.starts, s.ends);
                        view! {
                            <li>
                                {if s.cancelled {
                                    view! { <del>{when.clone()}</del>" "<span class="badge badge-closed">{tr!(l, "course.cancelled_session")}</span> }.into_any()
                                } else {
                                    view! { <span>{when.clone()}</span> }.into_any()
                                }}
                                {absent.then(|| view! { " "<span class="badge badge-waitlist">{tr!(l, "mine.absent")}</span> })}
                                {b.online_links.iter().find(|(id, _)| *id == s.id && !absent).map(|(_, url)| view! {
                                    " "<a class="online-link" href=url.clone() rel="noopener noreferrer">{tr!(l, "mine.online_join")}<span class="visually-hidden">{format!(" {when}")}</span></a>
                                })}
                                {(!s.cancelled && ahead).then(|| if absent {
                                    action_form(&token, b.id, ManageAction::SessionUndo, Some(s.id), tr!(l, "mine.session_undo"), "button-small").into_any()
                                } else {
                                    action_form(&token, b.id, ManageAction::SessionAfbud, Some(s.id), tr!(l, "mine.session_afbud"), "button-small").into_any()
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <h3>{tr!(l, "mine.cancel_title")}</h3>
                {if b.can_cancel {
                    view! {
                        <div>
                            {b.cancel_until.map(|t| view! { <p>{tr!(l, "receipt.cancel_until", until = format::date_time(l, t).as_str())}</p> })}
                            {action_form(&token, b.id, ManageAction::Cancel, None, tr!(l, "mine.cancel"), "button button-secondary")}
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div>
                            <p>{tr!(l, "mine.cancel_closed")}</p>
                            <SchoolContactLine school=b.school.clone()/>
                        </div>
                    }.into_any()
                }}
            })}
        </article>
    }
}
