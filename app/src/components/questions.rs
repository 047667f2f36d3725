//! The evaluation's questions as form fields, for the questionnaire from the e-mail link and
//! for typing in paper forms.

use leptos::prelude::*;

use crate::dto::evaluation::QuestionDto;
use crate::i18n::use_locale;
use crate::rules::evaluation::{QuestionKind, TEXT_MAX};
use crate::tr;

/// The questions as form fields: a group of choices per question, a text box for free text.
#[component]
pub fn Questions(questions: Vec<QuestionDto>) -> impl IntoView {
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
