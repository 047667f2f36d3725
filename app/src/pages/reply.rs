//! Pages behind the reminder's links in e-mails: "Kommer du?" (one confirm button per answer;
//! the link itself changes nothing).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::load::loaded;
use crate::components::not_found::LinkInvalid;
use crate::components::run::PlaceLine;
use crate::components::school::SchoolContactLine;
use crate::dto::booking::ReplyPageDto;
use crate::dto::booking::{BookingState, MyBookingDto};
use crate::format;
use crate::i18n::use_locale;
use crate::pages::path_param;
use crate::server_fns::booking::{AnswerReminder, reply_page};
use crate::tr;

/// `/kommer/:token`: the reminder's answers.
#[component]
pub fn ReplyPage() -> impl IntoView {
    let token = path_param("token");
    let data = Resource::new(token, reply_page);
    view! {
        <Meta name="robots" content="noindex"/>
        {loaded(data, move |d| match d {
            ReplyPageDto::Valid { booking, coming } => {
                view! { <ReplyView booking=*booking coming token=token()/> }.into_any()
            }
            ReplyPageDto::Invalid => view! { <LinkInvalid/> }.into_any(),
        })}
    }
}

fn answer_form(
    token: &str,
    answer: &'static str,
    label: String,
    class: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=AnswerReminder::url() class="inline-form">
            <input type="hidden" name="token" value=token.to_string()/>
            <input type="hidden" name="answer" value=answer/>
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

#[component]
fn ReplyView(booking: MyBookingDto, coming: bool, token: String) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let answer = query.with_untracked(|q| q.get("svar"));
    let outcome = query.with_untracked(|q| q.get("udfald"));
    let b = booking;
    let cancelled = matches!(b.state, BookingState::Cancelled | BookingState::Expired);
    let started = b.run.next_session.is_none();
    let outcome_view = outcome.clone().map(|o| {
        let (key, ok) = match o.as_str() {
            "kommer" => ("reply.done_coming", true),
            "afbud" => ("reply.done_cancelled", true),
            "for-sent" => ("reply.too_late", false),
            "fejl" => ("mine.msg_try_again", false),
            _ => ("mine.msg_not_possible", false),
        };
        view! {
            <div class=if ok { "notice notice-ok" } else { "notice notice-error" } id="udfald" role="status" tabindex="-1">
                <p>{tr!(l, key)}</p>
                {(!ok).then(|| view! { <SchoolContactLine school=b.school.clone()/> })}
            </div>
        }
    });
    let show_question = outcome.is_none() && !cancelled && !started;
    let yes_href = format!("/kommer/{token}?svar=ja");
    let no_href = format!("/kommer/{token}?svar=nej");
    view! {
        <Title text=tr!(l, "reply.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "reply.title")}</h1>
        </div>
        <div class="narrow">
            {outcome_view}
            <section class="booking-card" aria-labelledby="svar-hold">
                <h2 id="svar-hold">{b.run.course_title.clone()}</h2>
                {b.run.next_session.clone().map(|s| view! {
                    <p class="when">{tr!(l, "reply.first")}" "{format::session_when(l, s.starts, s.ends)}</p>
                })}
                <p>{tr!(l, "course.held_at")}" "{b.run.school.name.clone()}
                    {b.run.place.clone().map(|p| view! { " · "<PlaceLine place=p/> })}
                </p>
            </section>
            {(cancelled && outcome.is_none()).then(|| view! { <p class="notice">{tr!(l, "reply.already_cancelled")}</p> })}
            {(coming && show_question).then(|| view! { <p class="notice notice-ok">{tr!(l, "reply.already_coming")}</p> })}
            {show_question.then(|| match answer.as_deref() {
                Some("ja") => view! {
                    <div class="reply-question">
                        <p>{tr!(l, "reply.confirm_yes")}</p>
                        {answer_form(&token, "ja", tr!(l, "mail.body.reminder_yes"), "button")}
                        <p><a href=no_href.clone()>{tr!(l, "reply.switch_no")}</a></p>
                    </div>
                }.into_any(),
                Some("nej") => view! {
                    <div class="reply-question">
                        <p>{tr!(l, "reply.confirm_no")}</p>
                        {answer_form(&token, "nej", tr!(l, "reply.button_no"), "button")}
                        <p><a href=yes_href.clone()>{tr!(l, "reply.switch_yes")}</a></p>
                    </div>
                }.into_any(),
                _ => view! {
                    <div class="reply-question">
                        <p>{tr!(l, "mail.body.reminder_ask")}</p>
                        <div class="action-row">
                            {answer_form(&token, "ja", tr!(l, "mail.body.reminder_yes"), "button")}
                            {answer_form(&token, "nej", tr!(l, "mail.body.reminder_no"), "button button-secondary")}
                        </div>
                        <p class="hint">{tr!(l, "mail.body.reminder_no_hint")}</p>
                    </div>
                }.into_any(),
            })}
            <p><a href="/">{tr!(l, "mine.find_more")}</a></p>
        </div>
    }
}
