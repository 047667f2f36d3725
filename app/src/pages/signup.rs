//! Signing up for a run: the form, the confirmation, and the calm answers for an address that is
//! already signed up and for a run that cannot be booked.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::components::form::refusals_now;
use crate::components::load::loaded;
use crate::components::not_found::set_status;
use crate::components::run::{AvailabilityBadge, PlaceDetails, SessionList};
use crate::components::school::SchoolContactLine;
use crate::dto::booking::SignupPageDto;
use crate::dto::catalogue::{RunDto, SchoolDto};
use crate::i18n::{Locale, use_locale};
use crate::pages::path_param;
use crate::rules::catalogue::availability::Availability;
use crate::rules::signup::{
    Field, MUNICIPALITIES, NEEDS_MAX, PERSPECTIVES, PRIVACY_NOTICE_VERSION, SignupForm,
    SignupRefusal,
};
use crate::server_fns::booking::{SignUp, signup_page};
use crate::tr;

fn id_param(name: &'static str) -> impl Fn() -> i32 + Copy + Send + Sync {
    let value = path_param(name);
    move || value().parse::<i32>().unwrap_or(0)
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let run_id = id_param("id");
    let data = Resource::new(run_id, signup_page);
    view! {
        {loaded(data, move |d| match d {
            SignupPageDto { run: Some(run), school, typed, key } => {
                view! { <SignupView run school typed key/> }.into_any()
            }
            _ => view! { <NoSuchRun/> }.into_any(),
        })}
    }
}

/// The run cannot be booked: unknown, not published, or over. Answers 404.
#[component]
fn NoSuchRun() -> impl IntoView {
    set_status(404);
    let l = use_locale();
    view! {
        <Title text=tr!(l, "signup.no_run_title")/>
        <div class="page-intro">
            <h1>{tr!(l, "signup.no_run_title")}</h1>
            <p class="lead">{tr!(l, "signup.no_run_body")}</p>
        </div>
        <p><a href="/">{tr!(l, "not_found.home")}</a></p>
    }
}

/// The course, when and where: the top of the sign-up and confirmation pages.
#[component]
fn RunSummary(run: RunDto) -> impl IntoView {
    let l = use_locale();
    let course_href = format!("/kurser/{}#hold-{}", run.course_slug, run.id);
    view! {
        <section class="run-summary" aria-labelledby="hold-titel">
            <h2 id="hold-titel"><a href=course_href>{run.course_title.clone()}</a></h2>
            <p>{tr!(l, "course.held_at")}" "{run.school.name.clone()}</p>
            <h3>{tr!(l, "course.sessions")}</h3>
            <SessionList sessions=run.sessions.clone()/>
            {run.place.clone().map(|p| view! {
                <h3>{tr!(l, "course.place")}</h3>
                <PlaceDetails place=p/>
            })}
        </section>
    }
}

fn error_key(refused: &[SignupRefusal], field: Field) -> Option<String> {
    use crate::rules::forms::Refusal;
    refused
        .iter()
        .find(|r| r.field() == Some(field))
        .map(|r| r.message_key().to_string())
}

/// `aria-describedby` for a field: its hint and its error, when present.
fn described_by(field: Field, hint: bool, error: bool) -> Option<String> {
    let id = field.input_id();
    let ids: Vec<String> = [
        hint.then(|| format!("{id}-hint")),
        error.then(|| format!("{id}-fejl")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn error_line(l: Locale, field: Field, key: Option<String>) -> impl IntoView {
    key.map(|k| {
        view! {
            <p class="field-error" id=format!("{}-fejl", field.input_id())>
                <span class="visually-hidden">{tr!(l, "signup.error_prefix")}" "</span>
                {tr!(l, k.as_str())}
            </p>
        }
    })
}

/// A one-line text field with label, optional hint, and its error.
#[allow(clippy::too_many_arguments)]
fn text_field(
    l: Locale,
    refused: &[SignupRefusal],
    field: Field,
    name: &'static str,
    value: String,
    kind: &'static str,
    autocomplete: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
) -> impl IntoView {
    let error = error_key(refused, field);
    let id = field.input_id();
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for=id>{tr!(l, label)}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{tr!(l, h)}</p> })}
            {error_line(l, field, error.clone())}
            <input
                type=kind
                id=id
                name=name
                value=value
                autocomplete=autocomplete
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by(field, hint.is_some(), error.is_some())
            />
        </div>
    }
}

#[component]
fn SignupView(
    run: RunDto,
    school: Option<SchoolDto>,
    typed: Option<SignupForm>,
    key: String,
) -> impl IntoView {
    use crate::rules::forms::Refusal;
    let l = use_locale();
    let form: SignupForm = typed.unwrap_or_default();
    let refused = refusals_now::<SignupRefusal>();
    let waitlist = matches!(run.availability, Availability::Waitlist);
    let open = matches!(
        run.availability,
        Availability::Open { .. } | Availability::Waitlist
    );
    let has_errors = !refused.is_empty();
    let on_behalf_open = !form.booker_name.is_empty()
        || !form.booker_email.is_empty()
        || !form.booker_consent.is_empty();
    let errors: Vec<(Field, &'static str)> = refused
        .iter()
        .filter_map(|r| Some((r.field()?, r.message_key())))
        .collect();
    let notices: Vec<&'static str> = refused
        .iter()
        .filter(|r| r.field().is_none())
        .map(|r| r.message_key())
        .collect();
    let perspective = form.perspective.clone();
    let municipality = form.municipality.clone();
    let title = tr!(l, "signup.title");
    view! {
        <Title text=if has_errors { format!("{} – {title}", tr!(l, "signup.errors_title")) } else { title.clone() }/>
        <p class="breadcrumb"><a href=format!("/kurser/{}", run.course_slug)>{tr!(l, "signup.back_to_course")}</a></p>
        <div class="page-intro">
            <h1>{title}</h1>
            <p class="lead">{tr!(l, "signup.intro")}</p>
        </div>
        <div class="signup-layout">
            <div class="signup-form-col">
                {has_errors.then(|| view! {
                    <div class="notice notice-error error-summary" id="tilmeld-fejl" role="alert" tabindex="-1">
                        <h2>{tr!(l, "signup.errors_title")}</h2>
                        {notices.iter().map(|n| view! { <p>{tr!(l, *n)}</p> }).collect_view()}
                        {(!errors.is_empty()).then(|| view! {
                            <ul>
                                {errors.iter().map(|(field, key)| view! {
                                    <li><a href=format!("#{}", field.input_id())>{tr!(l, *key)}</a></li>
                                }).collect_view()}
                            </ul>
                        })}
                    </div>
                })}
                {if open {
                    view! {
                        <p class="seat-line"><AvailabilityBadge availability=run.availability/></p>
                        {waitlist.then(|| view! { <p class="notice">{tr!(l, "signup.waitlist_intro")}</p> })}
                        <form method="post" action=SignUp::url() class="signup-form" novalidate>
                            <input type="hidden" name="run" value=run.id.to_string()/>
                            <input type="hidden" name="key" value=key/>
                            <p class="hint">{tr!(l, "signup.required_note")}</p>
                            {text_field(l, &refused, Field::Name, "name", form.name.clone(), "text", "given-name", "signup.name", Some("signup.name_hint"))}
                            {text_field(l, &refused, Field::Email, "email", form.email.clone(), "email", "email", "signup.email", Some("signup.email_hint"))}
                            {text_field(l, &refused, Field::Phone, "phone", form.phone.clone(), "tel", "tel", "signup.phone", Some("signup.phone_hint"))}
                            <fieldset class="field checks-column" aria-describedby="felt-perspektiv-hint">
                                <legend id=Field::Perspective.input_id()>{tr!(l, "signup.perspective")}</legend>
                                <p class="hint" id="felt-perspektiv-hint">{tr!(l, "signup.perspective_hint")}</p>
                                {error_line(l, Field::Perspective, error_key(&refused, Field::Perspective))}
                                {PERSPECTIVES.iter().map(|p| {
                                    let id = format!("perspektiv-{p}");
                                    let label_for = id.clone();
                                    let checked = perspective == *p;
                                    view! {
                                        <label class="check" for=label_for>
                                            <input type="radio" id=id name="perspective" value=*p checked=checked/>
                                            {tr!(l, format!("signup.perspective_{p}").as_str())}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <div class="field" class:field-invalid=error_key(&refused, Field::Municipality).is_some()>
                                <label for=Field::Municipality.input_id()>{tr!(l, "signup.municipality")}</label>
                                <p class="hint" id="felt-kommune-hint">{tr!(l, "signup.municipality_hint")}</p>
                                {error_line(l, Field::Municipality, error_key(&refused, Field::Municipality))}
                                <select id=Field::Municipality.input_id() name="municipality" aria-describedby="felt-kommune-hint">
                                    <option value="">{tr!(l, "signup.municipality_none")}</option>
                                    {MUNICIPALITIES.iter().map(|m| view! {
                                        <option value=*m selected=municipality == *m>{*m}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field" class:field-invalid=error_key(&refused, Field::Needs).is_some()>
                                <label for=Field::Needs.input_id()>{tr!(l, "signup.needs")}</label>
                                <p class="hint" id="felt-behov-hint">{tr!(l, "signup.needs_hint", max = NEEDS_MAX)}</p>
                                {error_line(l, Field::Needs, error_key(&refused, Field::Needs))}
                                <textarea
                                    id=Field::Needs.input_id()
                                    name="needs"
                                    rows="3"
                                    aria-invalid=error_key(&refused, Field::Needs).is_some().then_some("true")
                                    aria-describedby=described_by(Field::Needs, true, error_key(&refused, Field::Needs).is_some())
                                >{form.needs.clone()}</textarea>
                            </div>
                            <details class="on-behalf" open=on_behalf_open>
                                <summary>{tr!(l, "signup.on_behalf")}</summary>
                                <p class="hint">{tr!(l, "signup.on_behalf_intro")}</p>
                                {text_field(l, &refused, Field::BookerName, "booker_name", form.booker_name.clone(), "text", "off", "signup.booker_name", None)}
                                {text_field(l, &refused, Field::BookerEmail, "booker_email", form.booker_email.clone(), "email", "off", "signup.booker_email", None)}
                                <div class="field" class:field-invalid=error_key(&refused, Field::BookerConsent).is_some()>
                                    {error_line(l, Field::BookerConsent, error_key(&refused, Field::BookerConsent))}
                                    <label class="check" for=Field::BookerConsent.input_id()>
                                        <input type="checkbox" id=Field::BookerConsent.input_id() name="booker_consent" value="ja"
                                            checked=form.booker_consent == "ja"
                                            aria-describedby=error_key(&refused, Field::BookerConsent).map(|_| "felt-tilmelder-samtykke-fejl")/>
                                        {tr!(l, "signup.booker_consent")}
                                    </label>
                                </div>
                            </details>
                            <div class="field" class:field-invalid=error_key(&refused, Field::Consent).is_some()>
                                {error_line(l, Field::Consent, error_key(&refused, Field::Consent))}
                                <label class="check check-top" for=Field::Consent.input_id()>
                                    <input type="checkbox" id=Field::Consent.input_id() name="consent" value="ja"
                                        checked=form.consent == "ja"
                                        aria-describedby=error_key(&refused, Field::Consent).map(|_| "felt-samtykke-fejl")/>
                                    <span>
                                        {tr!(l, "signup.consent", version = PRIVACY_NOTICE_VERSION)}" "
                                        <a href="/privatliv">{tr!(l, "signup.consent_link")}</a>
                                    </span>
                                </label>
                            </div>
                            <div class="hp-field" aria-hidden="true">
                                <label for="felt-website">{tr!(l, "signup.honeypot")}</label>
                                <input type="text" id="felt-website" name="website" tabindex="-1" autocomplete="off"/>
                            </div>
                            <button type="submit" class="button">
                                {tr!(l, if waitlist { "signup.submit_waitlist" } else { "signup.submit" })}
                            </button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <p class="notice"><AvailabilityBadge availability=run.availability/>" "{tr!(l, "signup.not_bookable")}</p>
                    }.into_any()
                }}
            </div>
            <aside class="signup-aside">
                <RunSummary run=run.clone()/>
                {school.map(|s| view! { <SchoolContactLine school=s/> })}
            </aside>
        </div>
    }
}

/// "Tak" after a sign-up. The same page whether the address got a seat, a place on the waiting
/// list or already had one (the answer must not tell who takes part): the e-mail says which.
#[component]
pub fn ReceivedPage() -> impl IntoView {
    let run_id = id_param("id");
    let data = Resource::new(run_id, signup_page);
    let l = use_locale();
    view! {
        <Title text=tr!(l, "received.title")/>
        <div class="page-intro receipt">
            <h1>{tr!(l, "received.title")}</h1>
            <p class="lead">{tr!(l, "received.lead")}</p>
        </div>
        {loaded(data, move |d| {
            let l = use_locale();
            view! {
                <div class="signup-layout">
                    <div class="prose">
                        <h2>{tr!(l, "receipt.next_title")}</h2>
                        <ul class="steps">
                            <li>{tr!(l, "received.mail")}</li>
                            <li>{tr!(l, "received.no_mail")}</li>
                            <li>{tr!(l, "receipt.come")}</li>
                        </ul>
                        <h2>{tr!(l, "receipt.cancel_title")}</h2>
                        <p>{tr!(l, "receipt.cancel_body")}</p>
                        <p><a href="/mine-tilmeldinger">{tr!(l, "receipt.manage_link")}</a></p>
                    </div>
                    {d.run.map(|run| view! {
                        <aside class="signup-aside">
                            <RunSummary run/>
                            {d.school.map(|s| view! { <SchoolContactLine school=s/> })}
                        </aside>
                    })}
                </div>
            }
        })}
    }
}
