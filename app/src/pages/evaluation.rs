//! The evaluation: `/evaluering/:token` (the questionnaire from the e-mail link) and
//! `/evaluering/tak`. Every question is optional and every choice has "ved ikke". The staff's
//! side (paper forms, a course's own questions) is in `pages::staff::evaluation`.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::components::form::refusal_notice;
use crate::components::load::loaded;
use crate::components::questions::Questions;
use crate::dto::evaluation::{EvaluationPageDto, EvaluationRefusal};
use crate::i18n::use_locale;
use crate::server_fns::evaluation::{SubmitEvaluation, evaluation_page};
use crate::tr;

/// `/evaluering/:token`.
#[component]
pub fn EvaluationPage() -> impl IntoView {
    let l = use_locale();
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
        {loaded(data, move |d| match d {
            EvaluationPageDto::Valid { course, school, questions } => view! {
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
                        <input type="hidden" name="token" value=token.clone()/>
                        <Questions questions/>
                        <button type="submit" class="button">{tr!(l, "evaluation.send")}</button>
                    </form>
                </div>
            }.into_any(),
            EvaluationPageDto::Invalid => {
                crate::components::not_found::set_status(404);
                view! {
                    <Title text=tr!(l, "evaluation.invalid_title")/>
                    <div class="page-intro">
                        <h1>{tr!(l, "evaluation.invalid_title")}</h1>
                        <p class="lead">{tr!(l, "evaluation.invalid_body")}</p>
                    </div>
                }.into_any()
            }
        })}
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
