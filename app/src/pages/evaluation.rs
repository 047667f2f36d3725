//! The evaluation: `/evaluering/:token` (the questionnaire from the e-mail link),
//! `/evaluering/tak`, and for staff `/personale/hold/:id/evaluering` (typing in paper forms)
//! and `/personale/kurser/:id/evaluering` (a course's own questions). Every question is
//! optional and every choice has "ved ikke".

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::refusal_notice;
use crate::dto::evaluation::{EvaluationPageDto, EvaluationRefusal, QuestionDto, QuestionRefusal};
use crate::i18n::use_locale;
use crate::pages::LoadError;
use crate::pages::staff::{StaffError, StaffNav, id_param, query_notice};
use crate::rules::evaluation::{QUESTION_MAX, QuestionKind, TEXT_MAX};
use crate::server_fns::evaluation::{
    AddQuestion, RetireQuestion, SavePaper, SubmitEvaluation, course_questions, evaluation_page,
    paper_page,
};
use crate::tr;

/// The questions as form fields: a group of choices per question, a text box for free text.
#[component]
fn Questions(questions: Vec<QuestionDto>) -> impl IntoView {
    let l = use_locale();
    questions
        .into_iter()
        .map(|q| {
            let name = format!("q[q{}]", q.id);
            let label = q.label(l);
            match q.kind {
                QuestionKind::Text => {
                    let id = format!("q{}", q.id);
                    view! {
                        <div class="field question">
                            <label for=id.clone()>{label}</label>
                            <textarea id=id name=name rows="4" maxlength=TEXT_MAX.to_string()></textarea>
                        </div>
                    }
                    .into_any()
                }
                kind => view! {
                    <fieldset class="question">
                        <legend>{label}</legend>
                        <div class="taps">
                            {kind.values().iter().map(|v| {
                                let id = format!("q{}-{v}", q.id);
                                view! {
                                    <span class=if *v == 0 { "tap tap-unsure" } else { "tap" }>
                                        <input type="radio" id=id.clone() name=name.clone() value=v.to_string()/>
                                        <label for=id>{tr!(l, &kind.value_key(*v))}</label>
                                    </span>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                }
                .into_any(),
            }
        })
        .collect_view()
}

/// `/evaluering/:token`.
#[component]
pub fn EvaluationPage() -> impl IntoView {
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        evaluation_page,
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    let l = use_locale();
                    match data.await {
                        Ok(EvaluationPageDto::Valid { course, school, questions }) => view! {
                            <Title text=tr!(l, "evaluation.title")/>
                            <div class="page-intro">
                                <h1>{tr!(l, "evaluation.title")}</h1>
                                <p class="lead">{tr!(l, "evaluation.thanks", course = course, school = school.name)}</p>
                            </div>
                            <div class="narrow">
                                <p>{tr!(l, "evaluation.anonymous")}</p>
                                <p>{tr!(l, "evaluation.optional")}</p>
                                <div id="fejl">{refusal_notice::<EvaluationRefusal>(l)}</div>
                                <form method="post" action=SubmitEvaluation::url() class="evaluation-form">
                                    <input type="hidden" name="token" value=token/>
                                    <Questions questions/>
                                    <button type="submit" class="button">{tr!(l, "evaluation.send")}</button>
                                </form>
                            </div>
                        }.into_any(),
                        Ok(EvaluationPageDto::Invalid) => {
                            crate::pages::not_found::set_status(404);
                            view! {
                                <Title text=tr!(l, "evaluation.invalid_title")/>
                                <div class="page-intro">
                                    <h1>{tr!(l, "evaluation.invalid_title")}</h1>
                                    <p class="lead">{tr!(l, "evaluation.invalid_body")}</p>
                                </div>
                            }.into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/evaluering/tak`: after sending.
#[component]
pub fn EvaluationThanksPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Meta name="robots" content="noindex"/>
        <Title text=tr!(l, "evaluation.done_title")/>
        <div class="page-intro">
            <h1>{tr!(l, "evaluation.done_title")}</h1>
            <p class="lead">{tr!(l, "evaluation.done_body")}</p>
        </div>
        <p><a href="/">{tr!(l, "evaluation.to_catalogue")}</a></p>
    }
}

/// `/personale/hold/:id/evaluering`: one paper form at a time.
#[component]
pub fn PaperEvaluationPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| q.get("besked"));
    let data = Resource::new(move || id, paper_page);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || {
                let ok = ok.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => {
                            let title = tr!(l, "staff.paper.title", course = d.course_title.clone());
                            view! {
                                <Title text=title.clone()/>
                                <StaffNav me=d.me.clone()/>
                                <p class="breadcrumb">
                                    <a href=format!("/personale/hold/{}/deltagere", d.run_id)>{tr!(l, "staff.attendance.to_roster")}</a>
                                </p>
                                <div class="page-intro">
                                    <h1>{title}</h1>
                                    <p class="lead">{d.school_name.clone()}</p>
                                </div>
                                <div class="narrow">
                                    <p>{tr!(l, "staff.paper.intro")}</p>
                                    <p>{tr!(l, "staff.paper.counts", web = d.web, paper = d.paper)}</p>
                                    <div id="fejl">{refusal_notice::<EvaluationRefusal>(l)}</div>
                                    {query_notice(l, ok.filter(|o| o == "gemt"), &[("gemt", "staff.paper.saved")], true)}
                                    <form method="post" action=SavePaper::url() class="evaluation-form">
                                        <input type="hidden" name="run_id" value=d.run_id.to_string()/>
                                        <Questions questions=d.questions.clone()/>
                                        <button type="submit" class="button">{tr!(l, "staff.paper.save")}</button>
                                    </form>
                                </div>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <StaffError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/personale/kurser/:id/evaluering`: the course's own questions.
#[component]
pub fn CourseQuestionsPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| q.get("besked"));
    let data = Resource::new(move || id, course_questions);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || {
                let ok = ok.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => {
                            let title = tr!(l, "staff.questions.title", course = d.course_title.clone());
                            view! {
                                <Title text=title.clone()/>
                                <StaffNav me=d.me.clone()/>
                                <p class="breadcrumb">
                                    <a href=format!("/personale/kurser/{}", d.course_id)>{tr!(l, "staff.questions.to_course")}</a>
                                </p>
                                <div class="page-intro">
                                    <h1>{title}</h1>
                                    <p class="lead">{tr!(l, "staff.questions.intro")}</p>
                                </div>
                                <div id="besked-omraade">
                                    {refusal_notice::<QuestionRefusal>(l)}
                                    {query_notice(l, ok, &[
                                        ("tilfoejet", "staff.questions.added"),
                                        ("fjernet", "staff.questions.removed"),
                                    ], true)}
                                </div>
                                <section aria-labelledby="egne">
                                    <h2 id="egne">{tr!(l, "staff.questions.own")}</h2>
                                    {if d.own.is_empty() {
                                        view! { <p>{tr!(l, "staff.questions.none")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="staff-cards">
                                                {d.own.iter().map(|q| {
                                                    let remove = tr!(l, "staff.questions.remove_for", question = q.text.clone());
                                                    view! {
                                                        <li class="staff-card">
                                                            <p><strong>{q.text.clone()}</strong></p>
                                                            <p class="cell-sub">{tr!(l, &format!("staff.questions.kind.{}", q.kind.slug()))}</p>
                                                            <form method="post" action=RetireQuestion::url() class="inline-form">
                                                                <input type="hidden" name="question_id" value=q.id.to_string()/>
                                                                <button type="submit" class="button button-secondary button-small" aria-label=remove>{tr!(l, "staff.questions.remove")}</button>
                                                            </form>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                                <section aria-labelledby="ny" class="narrow">
                                    <h2 id="ny">{tr!(l, "staff.questions.add")}</h2>
                                    <form method="post" action=AddQuestion::url() class="staff-form">
                                        <input type="hidden" name="course_id" value=d.course_id.to_string()/>
                                        <div class="field">
                                            <label for="ny-tekst">{tr!(l, "staff.questions.text")}</label>
                                            <p class="hint" id="ny-tekst-hint">{tr!(l, "staff.questions.text_hint", max = QUESTION_MAX)}</p>
                                            <input id="ny-tekst" name="text" type="text" maxlength=QUESTION_MAX.to_string() aria-describedby="ny-tekst-hint"/>
                                        </div>
                                        <fieldset>
                                            <legend>{tr!(l, "staff.questions.kind_label")}</legend>
                                            <label class="check" for="ny-likert">
                                                <input id="ny-likert" type="radio" name="kind" value="likert" checked/>
                                                {tr!(l, "staff.questions.kind.likert")}
                                            </label>
                                            <label class="check" for="ny-fritekst">
                                                <input id="ny-fritekst" type="radio" name="kind" value="text"/>
                                                {tr!(l, "staff.questions.kind.text")}
                                            </label>
                                        </fieldset>
                                        <button type="submit" class="button">{tr!(l, "staff.questions.add_button")}</button>
                                    </form>
                                </section>
                                <section aria-labelledby="standard">
                                    <h2 id="standard">{tr!(l, "staff.questions.defaults")}</h2>
                                    <ol>
                                        {d.defaults.iter().map(|q| view! { <li>{q.label(l)}</li> }).collect_view()}
                                    </ol>
                                </section>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <StaffError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
