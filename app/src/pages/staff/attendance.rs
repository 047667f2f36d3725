//! `/personale/hold/:id/fremmoede?gang=<session>`: fremmøde on a phone. One row per person
//! with a tap per status, "mark the rest present", someone who came without signing up, and
//! for drop-in sessions a headcount. A plain form, so it works without JavaScript; with it,
//! taps are kept in the browser until they are saved, so a lost connection loses nothing.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, field, id_param, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::attendance::{AttendanceRefusal, AttendanceRow, SessionChoice};
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::rules::attendance::{HEADCOUNT_MAX, Headcount};
use crate::server_fns::staff::attendance::{AddWalkIn, SaveAttendance, SaveHeadcount, attendance};
use crate::tr;

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.attendance.saved"),
    ("tilfoejet", "staff.attendance.walk_in_added"),
];

/// The statuses a teacher taps, in the order shown, with their labels.
const CHOICES: [(&str, &str); 5] = [
    ("present", "staff.attendance.present"),
    ("late", "staff.attendance.late"),
    ("left_early", "staff.attendance.left_early"),
    ("absent", "staff.attendance.absent"),
    ("afbud", "staff.attendance.afbud"),
];

#[component]
pub fn AttendancePage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let session = query.with_untracked(|q| {
        q.get("gang")
            .and_then(|g| g.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let ok = query.with_untracked(|q| q.get("besked"));
    let data = Resource::new(move || (id, session), |(id, s)| attendance(id, s));
    staff_page(data, move |d| {
        let saved = ok.as_deref() == Some("gemt");
        StaffView::new(tr!(l, "staff.attendance.title", course = d.course_title.clone()))
            .crumbs(view! {
                <a href=format!("/personale/hold/{}/deltagere", d.run_id)>{tr!(l, "staff.attendance.to_roster")}</a>
            })
            .lead(view! {
                {d.school_name.clone()}
                {d.session.as_ref().map(|s| format!(" · {}", session_label(l, s)))}
            })
            .notices(view! {
                {refusal_notice::<AttendanceRefusal>(l)}
                {query_notice(l, ok.clone(), SUCCESSES, true)}
            })
            .body(view! {
                <SessionPicker run_id=d.run_id sessions=d.sessions.clone() chosen=d.session.as_ref().map(|s| s.id)/>
                {match d.session.clone() {
                    None => view! { <p>{tr!(l, "staff.attendance.no_sessions")}</p> }.into_any(),
                    Some(s) if s.cancelled => view! { <p class="notice">{tr!(l, "staff.attendance.err.cancelled")}</p> }.into_any(),
                    Some(s) if !s.open => view! { <p class="notice">{tr!(l, "staff.attendance.err.future")}</p> }.into_any(),
                    Some(s) if d.drop_in => view! { <HeadcountForm session=s.id count=d.headcount.clone()/> }.into_any(),
                    Some(s) => view! {
                        <AttendanceForm session=s.id rows=d.rows.clone() saved/>
                        <WalkInForm session=s.id/>
                    }.into_any(),
                }}
            })
    })
}

fn session_label(l: Locale, s: &SessionChoice) -> String {
    format!(
        "{} · {}",
        tr!(l, "staff.runs.session_n", n = s.number),
        format::session_when(l, s.starts, s.ends),
    )
}

#[component]
fn SessionPicker(run_id: i32, sessions: Vec<SessionChoice>, chosen: Option<i32>) -> impl IntoView {
    let l = use_locale();
    (sessions.len() > 1).then(|| {
        view! {
            <nav aria-label=tr!(l, "staff.attendance.sessions") class="session-picker">
                <ul>
                    {sessions.into_iter().map(|s| {
                        let current = (Some(s.id) == chosen).then_some("page");
                        let state = if s.cancelled {
                            Some(tr!(l, "staff.runs.session_cancelled_badge"))
                        } else if s.recorded {
                            Some(tr!(l, "staff.attendance.recorded"))
                        } else {
                            None
                        };
                        view! {
                            <li>
                                <a href=format!("/personale/hold/{run_id}/fremmoede?gang={}", s.id) aria-current=current>
                                    {session_label(l, &s)}
                                    {state.map(|t| view! { " · "<span class="cell-sub">{t}</span> })}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

#[component]
fn AttendanceForm(session: i32, rows: Vec<AttendanceRow>, saved: bool) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p>{tr!(l, "staff.attendance.nobody")}</p> }.into_any();
    }
    let marked = rows.iter().filter(|r| r.status.is_some()).count();
    let total = rows.len();
    view! {
        <KeptTaps session saved>
        <form method="post" action=SaveAttendance::url() class="attendance-form" id="fremmoede">
            <input type="hidden" name="session" value=session.to_string()/>
            <p class="hint">{tr!(l, "staff.attendance.progress", marked = marked, total = total)}</p>
            <ul class="attendance-list">
                {rows.into_iter().map(|r| {
                    let name = format!("status[b{}]", r.booking_id);
                    let legend_id = format!("person-{}", r.booking_id);
                    view! {
                        <li>
                            <fieldset class="attendance-person">
                                <legend id=legend_id>
                                    <strong>{r.name.clone()}</strong>
                                    {r.walk_in.then(|| view! { " · "<span class="cell-sub">{tr!(l, "staff.attendance.walk_in")}</span> })}
                                    {r.afbud_in_advance.then(|| view! { " · "<span class="cell-sub">{tr!(l, "staff.attendance.afbud_in_advance")}</span> })}
                                </legend>
                                <div class="taps">
                                    {CHOICES.iter().map(|(value, key)| {
                                        let id = format!("s{}-{value}", r.booking_id);
                                        let checked = r.status.as_deref() == Some(*value);
                                        view! {
                                            <span class="tap">
                                                <input type="radio" id=id.clone() name=name.clone() value=*value checked=checked/>
                                                <label for=id>{tr!(l, *key)}</label>
                                            </span>
                                        }
                                    }).collect_view()}
                                </div>
                            </fieldset>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="action-row sticky-actions">
                <button type="submit" class="button">{tr!(l, "staff.attendance.save")}</button>
                <button type="submit" name="all" value="present" class="button button-secondary">{tr!(l, "staff.attendance.all_present")}</button>
            </div>
            <p class="hint">{tr!(l, "staff.attendance.all_present_hint")}</p>
        </form>
        </KeptTaps>
    }
    .into_any()
}

/// Keeps the taps of the form inside while they are not saved: each change is stored in the
/// browser, and a reload puts them back (see [`draft`]). Without JavaScript the form is as is.
#[island]
fn KeptTaps(session: i32, saved: bool, children: Children) -> impl IntoView {
    let kept = NodeRef::<leptos::html::Div>::new();
    draft::keep(kept, session, saved);
    view! {
        <div class="kept-taps" node_ref=kept on:change=move |_| draft::store(kept, session)>
            {children()}
        </div>
    }
}

#[component]
fn WalkInForm(session: i32) -> impl IntoView {
    let l = use_locale();
    view! {
        <section aria-labelledby="ny" class="narrow">
            <h2 id="ny">{tr!(l, "staff.attendance.walk_in_title")}</h2>
            <p>{tr!(l, "staff.attendance.walk_in_intro")}</p>
            <form method="post" action=AddWalkIn::url() class="staff-form">
                <input type="hidden" name="session" value=session.to_string()/>
                {field("ny-navn", "name", tr!(l, "staff.attendance.walk_in_name"), "text", String::new(), "off", None)}
                <div class="field">
                    <label for="ny-perspektiv">{tr!(l, "staff.attendance.walk_in_perspective")}</label>
                    <select id="ny-perspektiv" name="perspective">
                        <option value="">{tr!(l, "staff.attendance.not_given")}</option>
                        {["own_experience", "relative", "professional", "other"].into_iter().map(|p| view! {
                            <option value=p>{tr!(l, &format!("staff.perspective.{p}"))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-secondary">{tr!(l, "staff.attendance.walk_in_button")}</button>
            </form>
        </section>
    }
}

#[component]
fn HeadcountForm(session: i32, count: Headcount) -> impl IntoView {
    let l = use_locale();
    let value = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let number = move |id: &'static str, name: &'static str, label: String, v: Option<u32>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type="number" inputmode="numeric" min="0" max=HEADCOUNT_MAX.to_string() value=value(v)/>
            </div>
        }
    };
    view! {
        <section aria-labelledby="antal" class="narrow">
            <h2 id="antal">{tr!(l, "staff.attendance.headcount_title")}</h2>
            <p>{tr!(l, "staff.attendance.headcount_intro")}</p>
            <form method="post" action=SaveHeadcount::url() class="staff-form">
                <input type="hidden" name="session" value=session.to_string()/>
                {number("antal-i-alt", "total", tr!(l, "staff.attendance.headcount_total"), count.total)}
                <fieldset>
                    <legend>{tr!(l, "staff.attendance.headcount_parts")}</legend>
                    {number("antal-egen", "own_experience", tr!(l, "staff.perspective.own_experience"), count.own_experience)}
                    {number("antal-paaroerende", "relative", tr!(l, "staff.perspective.relative"), count.relative)}
                    {number("antal-fagperson", "professional", tr!(l, "staff.perspective.professional"), count.professional)}
                    {number("antal-andet", "other", tr!(l, "staff.perspective.other"), count.other)}
                </fieldset>
                <button type="submit" class="button">{tr!(l, "staff.attendance.save")}</button>
            </form>
        </section>
    }
}

mod draft {
    //! Taps not yet saved, kept in the browser's local storage per session, so a reload after
    //! a lost connection puts them back. Without JavaScript the browser keeps the form as it is.

    use leptos::html::Div;
    use leptos::prelude::*;

    #[cfg(feature = "hydrate")]
    fn key(session: i32) -> String {
        format!("skolebaenk-fremmoede-{session}")
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Saves the form's checked taps.
    pub fn store(form: NodeRef<Div>, session: i32) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let (Some(form), Some(storage)) = (form.get_untracked(), storage()) else {
                return;
            };
            let Ok(checked) = form.query_selector_all("input[type=radio]:checked") else {
                return;
            };
            let mut pairs = Vec::new();
            for i in 0..checked.length() {
                if let Some(input) = checked
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    pairs.push(format!("{}={}", input.name(), input.value()));
                }
            }
            let _ = storage.set_item(&key(session), &pairs.join("&"));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form, session);
    }

    /// After hydration: forgets the draft once it was saved, else puts its taps back.
    pub fn keep(form: NodeRef<Div>, session: i32, saved: bool) {
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            use wasm_bindgen::JsCast;
            let (Some(form), Some(storage)) = (form.get(), storage()) else {
                return;
            };
            if saved {
                let _ = storage.remove_item(&key(session));
                return;
            }
            let Ok(Some(draft)) = storage.get_item(&key(session)) else {
                return;
            };
            for pair in draft.split('&') {
                let Some((name, value)) = pair.split_once('=') else {
                    continue;
                };
                let selector = format!("input[name=\"{name}\"][value=\"{value}\"]");
                if let Ok(Some(input)) = form.query_selector(&selector)
                    && let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>()
                {
                    input.set_checked(true);
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (form, session, saved);
    }
}
