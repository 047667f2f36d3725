//! The staff's side of the evaluation: `/personale/hold/:id/evaluering` (typing in paper
//! forms, one at a time), `/personale/hold/:id/resultater` (the run's own results, pooled with
//! the course's earlier runs below five answers) and `/personale/kurser/:id/evaluering` (a
//! course's own questions).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, id_param, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::components::questions::Questions;
use crate::components::results::ResultTables;
use crate::dto::evaluation::{EvaluationRefusal, QuestionRefusal};
use crate::i18n::use_locale;
use crate::rules::evaluation::QUESTION_MAX;
use crate::server_fns::evaluation::{
    AddQuestion, RetireQuestion, SavePaper, course_questions, paper_page, team_results,
};
use crate::tr;

/// `/personale/hold/:id/evaluering`: one paper form at a time.
#[component]
pub fn PaperEvaluationPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| q.get("besked"));
    let data = Resource::new(move || id, paper_page);
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.paper.title", course = d.course_title.clone()))
            .crumbs(view! {
                <a href=format!("/personale/hold/{}/deltagere", d.run_id)>{tr!(l, "staff.attendance.to_roster")}</a>
            })
            .lead(d.school_name.clone())
            .notices(view! {
                {refusal_notice::<EvaluationRefusal>(l)}
                {query_notice(l, ok.clone().filter(|o| o == "gemt"), &[("gemt", "staff.paper.saved")], true)}
            })
            .body(view! {
                <div class="narrow">
                    <p>{tr!(l, "staff.paper.intro")}</p>
                    <p>{tr!(l, "staff.paper.counts", web = d.web, paper = d.paper)}</p>
                    <form method="post" action=SavePaper::url() class="evaluation-form">
                        <input type="hidden" name="run_id" value=d.run_id.to_string()/>
                        <Questions questions=d.questions.clone()/>
                        <button type="submit" class="button">{tr!(l, "staff.paper.save")}</button>
                    </form>
                </div>
            })
    })
}

/// `/personale/hold/:id/resultater`: what the run's participants answered, for its team.
#[component]
pub fn TeamResultsPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let data = Resource::new(move || id, team_results);
    staff_page(data, move |d| {
        let scope = match d.pooled_runs {
            0 => tr!(l, "staff.results.too_few", count = d.own_responses.text()),
            1 => tr!(l, "staff.results.own", count = d.responses.text()),
            n => tr!(
                l,
                "staff.results.pooled",
                runs = n,
                count = d.responses.text(),
                own = d.own_responses.text()
            ),
        };
        let scope_class = if d.pooled_runs > 1 {
            "notice"
        } else {
            "results-scope"
        };
        StaffView::new(tr!(l, "staff.results.title", course = d.course_title.clone()))
            .crumbs(view! {
                <a href=format!("/personale/hold/{}/deltagere", d.run_id)>{tr!(l, "staff.attendance.to_roster")}</a>
            })
            .lead(d.school_name.clone())
            .body(view! {
                <div class="narrow">
                    <p class=scope_class>{scope}</p>
                    <p class="hint">{tr!(l, "staff.results.privacy")}</p>
                    {(d.pooled_runs > 0).then(|| view! {
                        <ResultTables questions=d.questions.clone() free_texts=d.free_texts.clone()/>
                    })}
                </div>
            })
    })
}

/// `/personale/kurser/:id/evaluering`: the course's own questions.
#[component]
pub fn CourseQuestionsPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| q.get("besked"));
    let data = Resource::new(move || id, course_questions);
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.questions.title", course = d.course_title.clone()))
            .crumbs(view! {
                <a href=format!("/personale/kurser/{}", d.course_id)>{tr!(l, "staff.questions.to_course")}</a>
            })
            .lead(tr!(l, "staff.questions.intro"))
            .notices(view! {
                {refusal_notice::<QuestionRefusal>(l)}
                {query_notice(l, ok.clone(), &[
                    ("tilfoejet", "staff.questions.added"),
                    ("fjernet", "staff.questions.removed"),
                ], true)}
            })
            .body(view! {
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
            })
    })
}
