//! Evaluation results as tables: one per question with the count of each answer and the mean,
//! then the written answers. The figures arrive already suppressed ("< 5"); this only shows them.
//! Used by the reports and by a run's own results page.

use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::rules::evaluation::QuestionKind;
use crate::rules::reports::{QuestionRow, question_label};
use crate::tr;

/// The answer tables of `questions` (text questions left out) and the written answers.
#[component]
pub fn ResultTables(
    questions: Vec<QuestionRow>,
    free_texts: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    let l = use_locale();
    let choices: Vec<QuestionRow> = questions.into_iter().filter(|q| q.kind != "text").collect();
    view! {
        {choices.into_iter().map(|q| {
            let kind = QuestionKind::from_slug(&q.kind).unwrap_or(QuestionKind::Likert);
            let label = question_label(l, &q);
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label={label.clone()}>
                    <table class="distribution">
                        <caption>{label.clone()}</caption>
                        <thead><tr>
                            {kind.values().iter().map(|v| view! { <th scope="col">{tr!(l, &kind.value_key(*v))}</th> }).collect_view()}
                            <th scope="col">{tr!(l, "staff.reports.mean")}</th>
                        </tr></thead>
                        <tbody><tr>
                            {q.counts.iter().map(|c| view! { <td>{c.text()}</td> }).collect_view()}
                            <td>{q.mean.text()}</td>
                        </tr></tbody>
                    </table>
                </div>
            }
        }).collect_view()}
        {if free_texts.is_empty() {
            view! { <p class="hint">{tr!(l, "staff.reports.free_text_hidden")}</p> }.into_any()
        } else {
            free_texts.into_iter().map(|(code, texts)| {
                let heading = if matches!(code.as_str(), "takeaway" | "other") {
                    tr!(l, &format!("evaluation.q.{code}"))
                } else {
                    code.clone()
                };
                view! {
                    <h3>{heading}</h3>
                    <ul class="free-texts">
                        {texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                }
            }).collect_view().into_any()
        }}
    }
}
