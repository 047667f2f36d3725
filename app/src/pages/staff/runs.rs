//! `/personale/hold/ny` (choose a course, then the settings of a new run) and
//! `/personale/hold/:id`: the run editor with settings, team, sessions, publishing,
//! cancelling and copying.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, id_param, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::home::RunState;
use crate::dto::staff::runs::{RunEditorDto, RunRefusal, SessionRow};
use crate::error::AppError;
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::runs::{
    AddSession, AddTeacher, CancelRun, CancelSession, DuplicateRun, MoveSession, PublishRun,
    RemoveTeacher, SaveRun, SetSessionLink, run_course_choices, run_editor,
};
use crate::tr;

/// Success codes and their messages.
fn success(q: &leptos_router::params::ParamsMap) -> Option<String> {
    if q.get("gemt").is_some() {
        return Some("gemt".into());
    }
    if q.get("offentliggjort").is_some() {
        return Some("offentliggjort".into());
    }
    if q.get("aflyst").is_some() {
        return Some("aflyst".into());
    }
    if q.get("kopieret").is_some() {
        return Some("kopieret".into());
    }
    q.get("gang").map(|g| format!("gang-{g}"))
}

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.runs.saved"),
    ("offentliggjort", "staff.runs.published"),
    ("aflyst", "staff.runs.cancelled"),
    ("kopieret", "staff.runs.copied"),
    ("gang-tilfoejet", "staff.runs.session_added"),
    ("gang-flyttet", "staff.runs.session_moved"),
    ("gang-aflyst", "staff.runs.session_cancelled"),
    ("gang-link", "staff.runs.link_saved"),
];

/// `/personale/hold/ny`: choose the course, or (with `?kursus=`) the new run's settings.
#[component]
pub fn NewRunPage() -> impl IntoView {
    let query = use_query_map();
    let course = query.with_untracked(|q| q.get("kursus").and_then(|c| c.parse::<i32>().ok()));
    match course {
        Some(course_id) => view! { <RunEditor run_id=0 course_id/> }.into_any(),
        None => view! { <CourseChoicePage/> }.into_any(),
    }
}

#[component]
fn CourseChoicePage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, run_course_choices().await?)) },
    );
    staff_page(data, move |(_, courses)| {
        StaffView::new(tr!(l, "staff.runs.new_title"))
            .lead(tr!(l, "staff.runs.choose_course"))
            .body(if courses.is_empty() {
                view! { <p>{tr!(l, "staff.runs.no_courses")}</p> }.into_any()
            } else {
                view! {
                    <ul class="link-list">
                        {courses.into_iter().map(|c| view! {
                            <li>
                                <a href=format!("/personale/hold/ny?kursus={}", c.id)>{c.title}</a>
                                <span class="cell-sub">{c.school_name}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })
    })
}

/// `/personale/hold/:id`.
#[component]
pub fn RunEditorPage() -> impl IntoView {
    let id = id_param();
    view! { <RunEditor run_id=id course_id=0/> }
}

#[component]
fn RunEditor(run_id: i32, course_id: i32) -> impl IntoView {
    let query = use_query_map();
    let ok = query.with_untracked(success);
    let data = Resource::new(move || (run_id, course_id), |(r, c)| run_editor(r, c));
    staff_page(data, move |d| editor_view(d, ok.clone()))
}

fn datetime_value(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

fn editor_view(d: RunEditorDto, ok: Option<String>) -> StaffView {
    let l = use_locale();
    let title = match d.id {
        Some(_) => tr!(l, "staff.runs.edit_title", course = d.course_title.clone()),
        None => tr!(l, "staff.runs.new_of", course = d.course_title.clone()),
    };
    let s = d.settings.clone();
    let run_id = d.id.unwrap_or(0);
    let places_for_school: Vec<(i32, String)> = d
        .places
        .iter()
        .filter(|p| p.school_id == s.school_id || d.id.is_none())
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let cancelled = d.state == RunState::Cancelled;
    let mut page = StaffView::new(title)
        .crumbs(view! { <a href="/personale">{tr!(l, "staff.back_home")}</a> })
        .notices(view! {
            {refusal_notice::<RunRefusal>(l)}
            {query_notice(l, ok, SUCCESSES, true)}
        });
    if d.id.is_some() {
        page = page.lead(view! {
            {tr!(l, d.state.label_key())}" · "
            {tr!(l, "staff.runs.counts", confirmed = d.confirmed, waiting = d.waiting)}
            {d.may_roster.then(|| view! {
                " · "<a href=format!("/personale/hold/{run_id}/deltagere")>{tr!(l, "staff.home.roster")}</a>
                " · "<a href=format!("/personale/hold/{run_id}/fremmoede")>{tr!(l, "staff.home.attendance")}</a>
            })}
        });
    }
    page.body(view! {
        {d.id.map(|_| view! {
            <section aria-labelledby="team" class="editor-section">
                <h2 id="team">{tr!(l, "staff.runs.team")}</h2>
                <p>{tr!(l, "staff.runs.team_rule")}</p>
                {if d.gaps.is_empty() {
                    view! { <p class="notice notice-ok">{tr!(l, "staff.runs.team_ok")}</p> }.into_any()
                } else {
                    view! {
                        <div class="notice">
                            <ul>{d.gaps.iter().map(|g| view! { <li>{tr!(l, g.message_key())}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                }}
                <ul class="plain-list team-list">
                    {d.team.iter().map(|t| {
                        let label = tr!(l, "staff.runs.remove_teacher", name = t.name.clone());
                        view! {
                            <li>
                                <span>{t.name.clone()}" · "{tr!(l, t.kind.label_key())}</span>
                                {(!cancelled).then(|| view! {
                                    <form method="post" action=RemoveTeacher::url() class="inline-form">
                                        <input type="hidden" name="run_id" value=run_id.to_string()/>
                                        <input type="hidden" name="teacher_id" value=t.id.to_string()/>
                                        <button type="submit" class="button-plain button-small" aria-label=label>{tr!(l, "staff.people.remove")}</button>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {(!cancelled).then(|| view! {
                    <form method="post" action=AddTeacher::url() class="staff-form">
                        <input type="hidden" name="run_id" value=run_id.to_string()/>
                        <div class="field">
                            <label for="ny-underviser">{tr!(l, "staff.runs.add_teacher")}</label>
                            <select id="ny-underviser" name="teacher_id">
                                {d.candidates.iter().map(|t| view! {
                                    <option value=t.id.to_string()>{format!("{} · {} ({})", t.name, tr!(l, t.kind.label_key()), t.school_name)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.add_teacher_button")}</button>
                    </form>
                })}
            </section>
        })}

        {d.id.map(|_| view! { <Sessions d=d.clone()/> })}

        <section aria-labelledby="indstillinger" class="editor-section">
            <h2 id="indstillinger">{tr!(l, "staff.runs.settings")}</h2>
            <form method="post" action=SaveRun::url() class="staff-form">
                <input type="hidden" name="run" value=run_id.to_string()/>
                <input type="hidden" name="course" value=d.course_id.to_string()/>
                {if d.id.is_none() {
                    view! {
                        <div class="field">
                            <label for="hold-skole">{tr!(l, "staff.field.school")}</label>
                            <select id="hold-skole" name="school">
                                {d.schools.iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=*id == s.school_id>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="school" value=s.school_id.to_string()/> }.into_any()
                }}
                <div class="field">
                    <label for="hold-sted">{tr!(l, "staff.runs.place")}</label>
                    <p class="hint" id="hold-sted-hint">{tr!(l, "staff.runs.place_hint")}</p>
                    <select id="hold-sted" name="location" aria-describedby="hold-sted-hint">
                        <option value="">{tr!(l, "staff.runs.no_place")}</option>
                        {places_for_school.iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=s.location_id == Some(*id)>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {(!d.drop_in).then(|| view! {
                    <div class="field">
                        <label for="hold-pladser">{tr!(l, "staff.runs.capacity")}</label>
                        <input id="hold-pladser" name="capacity" type="number" min="1" max="500" inputmode="numeric" value=s.capacity.map(|c| c.to_string()).unwrap_or_default()/>
                    </div>
                    <div class="field">
                        <label class="check" for="hold-venteliste">
                            <input id="hold-venteliste" name="waitlist" type="checkbox" value="ja" checked=s.waitlist/>
                            {tr!(l, "staff.runs.waitlist")}
                        </label>
                    </div>
                    <fieldset class="field">
                        <legend>{tr!(l, "staff.runs.waitlist_mode")}</legend>
                        <label class="check" for="mode-auto">
                            <input id="mode-auto" type="radio" name="waitlist_mode" value="automatic" checked=s.waitlist_mode != "offer"/>
                            {tr!(l, "staff.runs.mode_automatic")}
                        </label>
                        <label class="check" for="mode-offer">
                            <input id="mode-offer" type="radio" name="waitlist_mode" value="offer" checked=s.waitlist_mode == "offer"/>
                            {tr!(l, "staff.runs.mode_offer")}
                        </label>
                    </fieldset>
                    <div class="field">
                        <label for="hold-tilbud">{tr!(l, "staff.runs.offer_hours")}</label>
                        <input id="hold-tilbud" name="offer_hours" type="number" min="1" max="168" inputmode="numeric" value=s.offer_hours.to_string()/>
                    </div>
                })}
                <div class="field">
                    <label for="hold-aabner">{tr!(l, "staff.runs.opens")}</label>
                    <p class="hint" id="hold-aabner-hint">{tr!(l, "staff.runs.opens_hint")}</p>
                    <input id="hold-aabner" name="opens" type="datetime-local" value=datetime_value(s.opens) aria-describedby="hold-aabner-hint"/>
                </div>
                <div class="field">
                    <label for="hold-lukker">{tr!(l, "staff.runs.closes")}</label>
                    <input id="hold-lukker" name="closes" type="datetime-local" value=datetime_value(s.closes)/>
                </div>
                <div class="field">
                    <label for="hold-afbud">{tr!(l, "staff.runs.cancel_hours")}</label>
                    <input id="hold-afbud" name="cancel_deadline_hours" type="number" min="0" max="336" inputmode="numeric" value=s.cancel_deadline_hours.to_string()/>
                </div>
                <div class="field">
                    <label for="hold-paamindelse">{tr!(l, "staff.runs.lead")}</label>
                    <p class="hint" id="hold-paamindelse-hint">{tr!(l, "staff.runs.lead_hint", hours = d.school_lead_hours)}</p>
                    <input id="hold-paamindelse" name="reminder_lead_hours" type="number" min="1" max="336" inputmode="numeric" value=s.reminder_lead_hours.map(|h| h.to_string()).unwrap_or_default() aria-describedby="hold-paamindelse-hint"/>
                </div>
                <div class="field">
                    <label for="hold-note">{tr!(l, "staff.runs.note")}</label>
                    <p class="hint" id="hold-note-hint">{tr!(l, "staff.runs.note_hint")}</p>
                    <textarea id="hold-note" name="note" rows="3" aria-describedby="hold-note-hint">{s.note.clone()}</textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">{if d.id.is_some() { tr!(l, "staff.runs.save") } else { tr!(l, "staff.runs.create") }}</button>
                </div>
            </form>
        </section>

        {d.id.map(|_| view! {
            {(d.state == RunState::Draft).then(|| view! {
                <section aria-labelledby="offentliggoer" class="editor-section">
                    <h2 id="offentliggoer">{tr!(l, "staff.runs.publish")}</h2>
                    <p>{tr!(l, "staff.runs.publish_intro")}</p>
                    <form method="post" action=PublishRun::url() class="inline-form">
                        <input type="hidden" name="run_id" value=run_id.to_string()/>
                        <button type="submit" class="button">{tr!(l, "staff.runs.publish_button")}</button>
                    </form>
                </section>
            })}
            <section aria-labelledby="kopier" class="editor-section">
                <h2 id="kopier">{tr!(l, "staff.runs.copy")}</h2>
                <form method="post" action=DuplicateRun::url() class="staff-form">
                    <input type="hidden" name="run_id" value=run_id.to_string()/>
                    <div class="field">
                        <label for="kopier-uger">{tr!(l, "staff.runs.copy_weeks")}</label>
                        <p class="hint" id="kopier-uger-hint">{tr!(l, "staff.runs.copy_hint")}</p>
                        <input id="kopier-uger" name="weeks" type="number" min="1" max="104" inputmode="numeric" value="26" aria-describedby="kopier-uger-hint"/>
                    </div>
                    <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.copy_button")}</button>
                </form>
            </section>
            {(d.state != RunState::Cancelled).then(|| view! {
                <section aria-labelledby="aflys" class="editor-section">
                    <h2 id="aflys">{tr!(l, "staff.runs.cancel_run")}</h2>
                    <p>{tr!(l, "staff.runs.cancel_run_intro")}</p>
                    <form method="post" action=CancelRun::url() class="staff-form">
                        <input type="hidden" name="run_id" value=run_id.to_string()/>
                        <div class="field">
                            <label for="aflys-note">{tr!(l, "staff.runs.change_note")}</label>
                            <textarea id="aflys-note" name="note" rows="2"></textarea>
                        </div>
                        <label class="check" for="aflys-ja">
                            <input id="aflys-ja" type="checkbox" name="confirm" value="ja"/>
                            {tr!(l, "staff.runs.cancel_run_confirm")}
                        </label>
                        <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.cancel_run_button")}</button>
                    </form>
                </section>
            })}
        })}
    })
}

fn session_label(l: Locale, s: &SessionRow) -> String {
    format::session_when(l, s.starts, s.ends)
}

#[component]
fn Sessions(d: RunEditorDto) -> impl IntoView {
    let l = use_locale();
    let run_id = d.id.unwrap_or(0);
    let live = d.state != RunState::Cancelled;
    let places: Vec<(i32, String)> = d
        .places
        .iter()
        .filter(|p| p.school_id == d.settings.school_id)
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let place_select = move |id: String, selected: Option<i32>| {
        let places = places.clone();
        view! {
            <select id=id name="location">
                <option value="">{tr!(l, "staff.runs.run_place")}</option>
                {places.into_iter().map(|(pid, name)| view! {
                    <option value=pid.to_string() selected=selected == Some(pid)>{name}</option>
                }).collect_view()}
            </select>
        }
    };
    let place_select_new = place_select.clone();
    view! {
        <section aria-labelledby="gange" class="editor-section">
            <h2 id="gange">{tr!(l, "staff.runs.sessions")}</h2>
            {d.sessions.is_empty().then(|| view! { <p>{tr!(l, "staff.runs.no_sessions")}</p> })}
            <ol class="session-editor">
                {d.sessions.iter().enumerate().map(|(i, s)| {
                    let anchor = format!("gang-{}", s.id);
                    let date_id = format!("flyt-dato-{}", s.id);
                    let start_id = format!("flyt-start-{}", s.id);
                    let end_id = format!("flyt-slut-{}", s.id);
                    let place_id = format!("flyt-sted-{}", s.id);
                    let note_id = format!("flyt-note-{}", s.id);
                    let cancel_note_id = format!("aflys-note-{}", s.id);
                    let link_id = format!("link-{}", s.id);
                    let following_id = format!("link-foelgende-{}", s.id);
                    let heading = tr!(l, "staff.runs.session_n", n = i + 1);
                    view! {
                        <li id=anchor class="staff-card">
                            <p><strong>{heading.clone()}</strong>" · "{session_label(l, s)}
                                {s.cancelled.then(|| view! { " · "<span class="badge badge-closed">{tr!(l, "staff.runs.session_cancelled_badge")}</span> })}
                            </p>
                            {(live && !s.cancelled).then(|| view! {
                                <form method="post" action=SetSessionLink::url() class="staff-form link-form">
                                    <input type="hidden" name="session" value=s.id.to_string()/>
                                    <div class="field">
                                        <label for=link_id.clone()>{tr!(l, "staff.runs.link_label", session = heading.clone())}</label>
                                        <input id=link_id.clone() name="online_url" type="url" inputmode="url" placeholder="https://" value=s.online_url.clone().unwrap_or_default()/>
                                    </div>
                                    <label class="check" for=following_id.clone()>
                                        <input id=following_id.clone() type="checkbox" name="following" value="ja" checked=true/>
                                        {tr!(l, "staff.runs.link_following")}
                                    </label>
                                    <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.link_button")}</button>
                                    <p class="hint">{tr!(l, "staff.runs.link_hint")}</p>
                                </form>
                                <details>
                                    <summary>{tr!(l, "staff.runs.move_or_cancel", session = heading.clone())}</summary>
                                    <form method="post" action=MoveSession::url() class="staff-form">
                                        <input type="hidden" name="session" value=s.id.to_string()/>
                                        <div class="field-row">
                                            <div class="field">
                                                <label for=date_id.clone()>{tr!(l, "staff.runs.date")}</label>
                                                <input id=date_id name="date" type="date" value=s.starts.date().format("%Y-%m-%d").to_string()/>
                                            </div>
                                            <div class="field">
                                                <label for=start_id.clone()>{tr!(l, "staff.runs.start")}</label>
                                                <input id=start_id name="start" type="time" value=s.starts.format("%H:%M").to_string()/>
                                            </div>
                                            <div class="field">
                                                <label for=end_id.clone()>{tr!(l, "staff.runs.end")}</label>
                                                <input id=end_id name="end" type="time" value=s.ends.format("%H:%M").to_string()/>
                                            </div>
                                        </div>
                                        <div class="field">
                                            <label for=place_id.clone()>{tr!(l, "staff.runs.place")}</label>
                                            {place_select(place_id.clone(), s.location_id)}
                                        </div>
                                        <div class="field">
                                            <label for=note_id.clone()>{tr!(l, "staff.runs.change_note")}</label>
                                            <textarea id=note_id name="note" rows="2"></textarea>
                                        </div>
                                        <button type="submit" class="button">{tr!(l, "staff.runs.move_button")}</button>
                                    </form>
                                    <form method="post" action=CancelSession::url() class="staff-form">
                                        <input type="hidden" name="session" value=s.id.to_string()/>
                                        <div class="field">
                                            <label for=cancel_note_id.clone()>{tr!(l, "staff.runs.change_note")}</label>
                                            <textarea id=cancel_note_id name="note" rows="2"></textarea>
                                        </div>
                                        <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.cancel_session_button")}</button>
                                    </form>
                                    <p class="hint">{tr!(l, "staff.runs.notified")}</p>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {live.then(|| view! {
                <form method="post" action=AddSession::url() class="staff-form">
                    <h3>{tr!(l, "staff.runs.add_session")}</h3>
                    <input type="hidden" name="run" value=run_id.to_string()/>
                    <div class="field-row">
                        <div class="field">
                            <label for="ny-dato">{tr!(l, "staff.runs.date")}</label>
                            <input id="ny-dato" name="date" type="date"/>
                        </div>
                        <div class="field">
                            <label for="ny-start">{tr!(l, "staff.runs.start")}</label>
                            <input id="ny-start" name="start" type="time" value="17:00"/>
                        </div>
                        <div class="field">
                            <label for="ny-slut">{tr!(l, "staff.runs.end")}</label>
                            <input id="ny-slut" name="end" type="time" value="20:00"/>
                        </div>
                    </div>
                    <div class="field">
                        <label for="ny-sted">{tr!(l, "staff.runs.place")}</label>
                        {place_select_new("ny-sted".to_string(), None)}
                    </div>
                    <div class="field">
                        <label for="ny-online">{tr!(l, "staff.runs.online")}</label>
                        <input id="ny-online" name="online_url" type="url" placeholder="https://"/>
                    </div>
                    <button type="submit" class="button button-secondary">{tr!(l, "staff.runs.add_session_button")}</button>
                </form>
            })}
        </section>
    }
}
