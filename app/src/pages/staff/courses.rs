//! `/personale/kurser` (the courses a person may edit), `/personale/kurser/ny` and
//! `/personale/kurser/:id` (the course editor: texts, format, audience, themes, developers,
//! picture with alt text, draft → published → archived) and `/personale/kurser/:id/vis`
//! (the course page as the public will see it).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::{StaffError, StaffView, id_param, query_notice, staff_page};
use crate::components::course::CourseView;
use crate::components::form::refusal_notice;
use crate::dto::staff::courses::{
    ALT_MAX, CourseEditorDto, CourseRefusal, CourseState, SUMMARY_MAX, TEXT_MAX, TITLE_MAX,
};
use crate::dto::staff::pictures::PictureRefusal;
use crate::i18n::use_locale;
use crate::rules::plain_language::{Level, readability};
use crate::rules::vocabulary::{Audience, Format};
use crate::server_fns::staff::courses::{
    CourseDeveloper, SaveCourse, course_editor, course_list, course_preview,
};
use crate::tr;

/// Error codes in `?fejl=` and their messages.
const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.courses.saved"),
    ("offentliggjort", "staff.courses.published"),
    ("arkiveret", "staff.courses.archived"),
    ("billede-gemt", "staff.image.saved"),
    ("billede-fjernet", "staff.image.removed"),
];

fn success(q: &leptos_router::params::ParamsMap) -> Option<String> {
    if let Some(b) = q.get("billede") {
        return Some(format!("billede-{b}"));
    }
    ["offentliggjort", "arkiveret", "gemt"]
        .into_iter()
        .find(|k| q.get(k).is_some())
        .map(str::to_string)
}

/// `/personale/kurser`.
#[component]
pub fn CourseListPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| course_list());
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.courses.title"))
            .lead(tr!(l, "staff.courses.intro"))
            .body(view! {
                {d.may_create.then(|| view! {
                    <p><a class="button" href="/personale/kurser/ny">{tr!(l, "staff.courses.new")}</a></p>
                })}
                {if d.courses.is_empty() {
                    view! { <p>{tr!(l, "staff.courses.none")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" role="region" aria-label=tr!(l, "staff.courses.title") tabindex="0">
                            <table class="staff-table">
                                <caption class="visually-hidden">{tr!(l, "staff.courses.title")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr!(l, "staff.col.course")}</th>
                                        <th scope="col">{tr!(l, "staff.field.school")}</th>
                                        <th scope="col">{tr!(l, "staff.col.state")}</th>
                                        <th scope="col">{tr!(l, "staff.courses.runs")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {d.courses.into_iter().map(|c| view! {
                                        <tr>
                                            <td><a href=format!("/personale/kurser/{}", c.id)>{c.title}</a></td>
                                            <td>{c.school_name}</td>
                                            <td>{tr!(l, c.state.label_key())}</td>
                                            <td>{c.runs}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            })
    })
}

/// `/personale/kurser/ny`.
#[component]
pub fn NewCoursePage() -> impl IntoView {
    view! { <CourseEditor id=0/> }
}

/// `/personale/kurser/:id`.
#[component]
pub fn CourseEditorPage() -> impl IntoView {
    let id = id_param();
    view! { <CourseEditor id/> }
}

#[component]
fn CourseEditor(id: i32) -> impl IntoView {
    let query = use_query_map();
    let ok = query.with_untracked(success);
    let data = Resource::new(move || id, course_editor);
    staff_page(data, move |d| editor_view(d, ok.clone()))
}

/// The words of the readability note, translated on the server and handed to the island, so
/// the browser needs no translation tables.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct ReadabilityWords {
    empty: String,
    /// With `%{level}` and `%{lix}` to fill in.
    score: String,
    /// Label and hint of easy, medium and hard.
    levels: [(String, String); 3],
    long_sentences: String,
}

impl ReadabilityWords {
    fn new(l: crate::i18n::Locale) -> Self {
        let level = |level: Level| (tr!(l, level.label_key()), tr!(l, level.hint_key()));
        ReadabilityWords {
            empty: tr!(l, "plain.empty"),
            score: tr!(l, "plain.score"),
            levels: [level(Level::Easy), level(Level::Medium), level(Level::Hard)],
            long_sentences: tr!(l, "plain.long_sentences"),
        }
    }
}

/// How easy a text is to read: "Let / Middel / Svær" with its LIX, a hint, and the longest
/// sentences. A hard text gets a gentle warning; nothing is refused for it.
fn readability_note(words: &ReadabilityWords, text: &str) -> impl IntoView + use<> {
    let Some(r) = readability(text) else {
        return view! { <p class="hint">{words.empty.clone()}</p> }.into_any();
    };
    let hard = r.level == Level::Hard;
    let (label, hint) = &words.levels[match r.level {
        Level::Easy => 0,
        Level::Medium => 1,
        Level::Hard => 2,
    }];
    let score = words
        .score
        .replace("%{level}", label)
        .replace("%{lix}", &r.lix.to_string());
    view! {
        <div class=if hard { "readability readability-hard" } else { "readability" }>
            <p>
                <strong>{score}</strong>
                " "{hint.clone()}
            </p>
            {(!r.long_sentences.is_empty()).then(|| view! {
                <p>{words.long_sentences.clone()}</p>
                <ul class="long-sentences">
                    {r.long_sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}

/// A course text with its readability beneath, worked out again as the text is typed (with
/// JavaScript) or when the form is saved (without).
fn readable_area(
    id: &'static str,
    name: &'static str,
    label: String,
    hint: String,
    value: String,
    rows: u8,
    max: usize,
) -> impl IntoView {
    let words = ReadabilityWords::new(use_locale());
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id>{hint}</p>
            <ReadableText id=id.to_string() name=name.to_string() value rows max words/>
        </div>
    }
}

/// The text area and its readability note, which follows the text as it is typed.
#[island]
fn ReadableText(
    id: String,
    name: String,
    value: String,
    rows: u8,
    max: usize,
    words: ReadabilityWords,
) -> impl IntoView {
    let note_id = format!("{id}-lix");
    let described = format!("{id}-hint {note_id}");
    let text = RwSignal::new(value.clone());
    view! {
        <textarea id=id name=name rows=rows.to_string() maxlength=max.to_string() aria-describedby=described
            on:input=move |ev| text.set(event_target_value(&ev))>{value}</textarea>
        <div id=note_id>{move || text.with(|t| readability_note(&words, t))}</div>
    }
}

fn editor_view(d: CourseEditorDto, ok: Option<String>) -> StaffView {
    let l = use_locale();
    let f = d.fields.clone();
    let course_id = d.id.unwrap_or(0);
    let title = match d.id {
        Some(_) => tr!(l, "staff.courses.edit_title", course = f.title.clone()),
        None => tr!(l, "staff.courses.new"),
    };
    let state = d.state;
    let mut page = StaffView::new(title)
        .crumbs(view! { <a href="/personale/kurser">{tr!(l, "staff.courses.back")}</a> })
        .notices(view! {
            {refusal_notice::<CourseRefusal>(l)}
            {refusal_notice::<PictureRefusal>(l)}
            {query_notice(l, ok, SUCCESSES, true)}
        });
    if let Some(id) = d.id {
        page = page.lead(view! {
            {tr!(l, state.label_key())}" · "
            <a href=format!("/personale/kurser/{id}/vis")>{tr!(l, "staff.courses.preview")}</a>
            " · "<a href=format!("/personale/kurser/{id}/evaluering")>{tr!(l, "staff.courses.questions")}</a>
            {(state == CourseState::Published).then(|| view! {
                " · "<a href=format!("/personale/hold/ny?kursus={id}")>{tr!(l, "staff.home.new_run")}</a>
            })}
        });
    }
    page.body(view! {
        <section aria-labelledby="kursus-tekster" class="editor-section">
            <h2 id="kursus-tekster">{tr!(l, "staff.courses.texts")}</h2>
            <form method="post" action=SaveCourse::url() class="staff-form">
                <input type="hidden" name="course" value=course_id.to_string()/>
                {if d.id.is_none() {
                    view! {
                        <div class="field">
                            <label for="kursus-skole">{tr!(l, "staff.field.school")}</label>
                            <select id="kursus-skole" name="school">
                                {d.schools.iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=*id == f.school_id>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="school" value=f.school_id.to_string()/> }.into_any()
                }}
                <div class="field">
                    <label for="kursus-titel">{tr!(l, "staff.courses.title_field")}</label>
                    <input id="kursus-titel" name="title" type="text" required maxlength=TITLE_MAX.to_string() value=f.title.clone()/>
                </div>
                {readable_area("kursus-resume", "summary", tr!(l, "staff.courses.summary"), tr!(l, "staff.courses.summary_hint"), f.summary.clone(), 3, SUMMARY_MAX)}
                {readable_area("kursus-beskrivelse", "description", tr!(l, "staff.courses.description"), tr!(l, "staff.courses.description_hint"), f.description.clone(), 8, TEXT_MAX)}
                {readable_area("kursus-forvent", "expectations", tr!(l, "staff.courses.expectations"), tr!(l, "staff.courses.expectations_hint"), f.expectations.clone(), 6, TEXT_MAX)}
                <div class="field-row">
                    <div class="field">
                        <label for="kursus-form">{tr!(l, "staff.courses.format")}</label>
                        <select id="kursus-form" name="format">
                            {Format::ALL.iter().map(|v| view! {
                                <option value=v.slug() selected=f.format == v.slug()>{tr!(l, v.label_key())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="kursus-maalgruppe">{tr!(l, "staff.courses.audience")}</label>
                        <select id="kursus-maalgruppe" name="audience">
                            {Audience::ALL.iter().map(|v| view! {
                                <option value=v.slug() selected=f.audience == v.slug()>{tr!(l, v.label_key())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <fieldset class="field">
                    <legend>{tr!(l, "staff.courses.themes")}</legend>
                    <div class="check-grid">
                        {d.themes.iter().map(|(id, name)| {
                            let input_id = format!("tema-{id}");
                            let label_for = input_id.clone();
                            view! {
                                <label class="check" for=label_for>
                                    <input id=input_id type="checkbox" name=format!("themes[t{id}]") value="ja" checked=f.themes.contains(id)/>
                                    {name.clone()}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" name="action" value="gem" class="button">
                        {if d.id.is_some() { tr!(l, "staff.courses.save") } else { tr!(l, "staff.courses.create") }}
                    </button>
                    {(d.id.is_some() && state != CourseState::Published).then(|| view! {
                        <button type="submit" name="action" value="offentliggoer" class="button button-secondary">{tr!(l, "staff.courses.publish")}</button>
                    })}
                    {(state == CourseState::Published).then(|| view! {
                        <button type="submit" name="action" value="arkiver" class="button button-secondary">{tr!(l, "staff.courses.archive")}</button>
                    })}
                </div>
                {d.id.is_some().then(|| view! {
                    <p class="hint">{tr!(l, match state {
                        CourseState::Draft => "staff.courses.state_hint.draft",
                        CourseState::Published => "staff.courses.state_hint.published",
                        CourseState::Archived => "staff.courses.state_hint.archived",
                    })}</p>
                })}
            </form>
        </section>

        {d.id.map(|_| view! {
            <section aria-labelledby="billede" class="editor-section">
                <h2 id="billede">{tr!(l, "staff.courses.image")}</h2>
                {d.image_url.clone().map(|src| view! {
                    <img class="course-image" src=src alt=f.image_alt.clone() width="800" height="450"/>
                })}
                <form method="post" action="/personale/billede" enctype="multipart/form-data" class="staff-form">
                    <input type="hidden" name="target" value="kursus"/>
                    <input type="hidden" name="id" value=course_id.to_string()/>
                    <div class="field">
                        <label for="billede-alt">{tr!(l, "staff.courses.alt")}</label>
                        <p class="hint" id="billede-alt-hint">{tr!(l, "staff.courses.alt_hint")}</p>
                        <input id="billede-alt" name="alt" type="text" required maxlength=ALT_MAX.to_string() value=f.image_alt.clone() aria-describedby="billede-alt-hint"/>
                    </div>
                    <div class="field">
                        <label for="billede-fil">{tr!(l, "staff.image.file")}</label>
                        <p class="hint" id="billede-fil-hint">{tr!(l, "staff.image.file_hint")}</p>
                        <input id="billede-fil" name="billede" type="file" required accept="image/jpeg,image/png,image/webp" aria-describedby="billede-fil-hint"/>
                    </div>
                    <button type="submit" class="button button-secondary">{tr!(l, "staff.image.upload")}</button>
                </form>
                {d.image_url.is_some().then(|| view! {
                    <form method="post" action="/personale/billede" enctype="multipart/form-data" class="inline-form">
                        <input type="hidden" name="target" value="kursus"/>
                        <input type="hidden" name="id" value=course_id.to_string()/>
                        <input type="hidden" name="fjern" value="ja"/>
                        <button type="submit" class="button-plain">{tr!(l, "staff.image.remove")}</button>
                    </form>
                })}
            </section>
            <section aria-labelledby="udviklere" class="editor-section">
                <h2 id="udviklere">{tr!(l, "staff.courses.developers")}</h2>
                <p>{tr!(l, "staff.courses.developers_intro")}</p>
                {d.developers.is_empty().then(|| view! { <p>{tr!(l, "staff.courses.no_developers")}</p> })}
                <ul class="plain-list team-list">
                    {d.developers.iter().map(|t| {
                        let label = tr!(l, "staff.courses.remove_developer", name = t.name.clone());
                        view! {
                            <li>
                                <span>{t.name.clone()}" · "{tr!(l, t.kind.label_key())}</span>
                                <form method="post" action=CourseDeveloper::url() class="inline-form">
                                    <input type="hidden" name="course_id" value=course_id.to_string()/>
                                    <input type="hidden" name="teacher_id" value=t.id.to_string()/>
                                    <input type="hidden" name="remove" value="ja"/>
                                    <button type="submit" class="button-plain button-small" aria-label=label>{tr!(l, "staff.people.remove")}</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {(!d.candidates.is_empty()).then(|| view! {
                    <form method="post" action=CourseDeveloper::url() class="staff-form">
                        <input type="hidden" name="course_id" value=course_id.to_string()/>
                        <div class="field">
                            <label for="ny-udvikler">{tr!(l, "staff.courses.add_developer")}</label>
                            <select id="ny-udvikler" name="teacher_id">
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
    })
}

/// `/personale/kurser/:id/vis`: the public course page, with a banner saying it is a preview.
#[component]
pub fn CoursePreviewPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let data = Resource::new(move || id, course_preview);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(course) => view! {
                        <Title text=tr!(l, "staff.courses.preview_title", course = course.title.clone())/>
                        <div class="notice preview-banner" role="note">
                            <p>{tr!(l, "staff.courses.preview_note")}" "
                                <a href=format!("/personale/kurser/{id}")>{tr!(l, "staff.courses.back_to_editor")}</a>
                            </p>
                        </div>
                        <CourseView course/>
                    }
                    .into_any(),
                    Err(error) => view! { <StaffError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
