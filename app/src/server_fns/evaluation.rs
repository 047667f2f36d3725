//! The evaluation questionnaire: opened by the single-use link sent after a run, or typed in by
//! staff from a paper form; and a course's own questions. Answers are stored without any link
//! to a booking or a person (see `services::evaluation`).

use leptos::prelude::*;

use crate::dto::evaluation::{
    AnswerForm, CourseQuestionsDto, EvaluationPageDto, PaperDto, TeamResultsDto,
};
use crate::error::AppError;

/// The questions as the parser reads them: id and kind.
#[cfg(feature = "ssr")]
fn kinds(
    questions: &[crate::dto::evaluation::QuestionDto],
) -> Vec<(i32, crate::rules::evaluation::QuestionKind)> {
    questions.iter().map(|q| (q.id, q.kind)).collect()
}

/// Checks an evaluation link without spending it, and gives the questions.
#[server(endpoint = "evaluering_side")]
pub async fn evaluation_page(token: String) -> Result<EvaluationPageDto, AppError> {
    use crate::services::{evaluation, request};

    let state = request::state()?;
    request::no_store();
    Ok(evaluation::page(&state.db, &token, chrono::Utc::now()).await?)
}

/// Stores an evaluation from the link and spends the link, in one transaction. Nothing ties
/// the answers to the person; a second submit finds the link spent and stores nothing.
#[server(endpoint = "evaluering_svar")]
pub async fn submit_evaluation(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use crate::dto::evaluation::EvaluationRefusal;
    use crate::rules::evaluation::parse;
    use crate::services::{evaluation, request};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let db = &state.db;
    let token = form.token.trim();
    let page = format!("/evaluering/{}", urlencoding::encode(token));
    let Some(run_id) = evaluation::link_run(db, token, now).await? else {
        leptos_axum::redirect(&page);
        return Ok(());
    };
    let course_id = evaluation::course_of(db, run_id).await?;
    let questions = evaluation::questions(db, course_id).await?;
    let answers = match parse(&kinds(&questions), &form.q) {
        Ok(a) => a,
        Err(problem) => {
            request::refuse(&page, &[EvaluationRefusal::from(problem)], "fejl");
            return Ok(());
        }
    };
    if evaluation::submit(db, token, run_id, &answers, now).await? {
        leptos_axum::redirect("/evaluering/tak");
    } else {
        leptos_axum::redirect(&page);
    }
    Ok(())
}

/// The questionnaire for typing in answers from paper forms (the run's team and the school's
/// coordinators).
#[server(endpoint = "personale_evaluering_papir")]
pub async fn paper_page(run_id: i32) -> Result<PaperDto, AppError> {
    use crate::services::evaluation;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let (web, paper) = evaluation::counts(db, r.id).await?;
    let (course_title, school_name) = evaluation::run_names(db, &r).await?;
    Ok(PaperDto {
        me: guard::me_dto(&ctx).await?,
        run_id: r.id,
        course_title,
        school_name,
        questions: evaluation::questions(db, r.course_id).await?,
        web,
        paper,
    })
}

/// A run's own evaluation results (the run's team and the school's coordinators): the run
/// alone from five responses, else pooled with the course's earlier runs; nothing under five.
#[server(endpoint = "personale_hold_resultater")]
pub async fn team_results(run_id: i32) -> Result<TeamResultsDto, AppError> {
    use crate::rules::reports::Cell;
    use crate::services::staff::{access, guard};
    use crate::services::{evaluation, reports};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let (own, pool, questions, free_texts) = reports::team(db, &r).await?;
    let (course_title, school_name) = evaluation::run_names(db, &r).await?;
    Ok(TeamResultsDto {
        me: guard::me_dto(&ctx).await?,
        run_id: r.id,
        course_title,
        school_name,
        own_responses: Cell::people(own),
        pooled_runs: pool.as_ref().map_or(0, |p| p.runs.len()),
        responses: pool
            .as_ref()
            .map_or(Cell::Empty, |p| Cell::people(p.responses)),
        questions,
        free_texts,
    })
}

/// Stores one paper form's answers for a run. The audit log says that a form was typed in,
/// not what it said.
#[server(endpoint = "personale_evaluering_papir_gem")]
pub async fn save_paper(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use crate::dto::evaluation::EvaluationRefusal;
    use crate::rules::evaluation::parse;
    use crate::services::staff::{access, guard};
    use crate::services::{evaluation, request};

    let ctx = guard::signed_in().await?;
    let Ok(run_id) = form.run_id.trim().parse::<i32>() else {
        return guard::not_found();
    };
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let page = format!("/personale/hold/{}/evaluering", r.id);
    let questions = evaluation::questions(db, r.course_id).await?;
    let answers = match parse(&kinds(&questions), &form.q) {
        Ok(a) if a.is_empty() => {
            request::refuse(&page, &[EvaluationRefusal::Empty], "fejl");
            return Ok(());
        }
        Ok(a) => a,
        Err(problem) => {
            request::refuse(&page, &[EvaluationRefusal::from(problem)], "fejl");
            return Ok(());
        }
    };
    evaluation::save_paper(db, r.id, &answers).await?;
    guard::audit(
        &ctx,
        Some(r.school_id),
        "evaluation.paper",
        format!("Hold {}", r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{page}?besked=gemt#besked"));
    Ok(())
}

/// A course's questions: the default set and its own.
#[server(endpoint = "personale_kursus_spoergsmaal")]
pub async fn course_questions(course_id: i32) -> Result<CourseQuestionsDto, AppError> {
    use crate::services::evaluation;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    let (own, defaults) = evaluation::questions(&ctx.state.db, c.id)
        .await?
        .into_iter()
        .partition(|q| q.code.is_none());
    Ok(CourseQuestionsDto {
        me: guard::me_dto(&ctx).await?,
        course_id: c.id,
        course_title: c.title,
        defaults,
        own,
    })
}

/// Adds a question of the course's own, asked after the default set.
#[server(endpoint = "personale_kursus_spoergsmaal_ny")]
pub async fn add_question(
    course_id: i32,
    #[server(default)] text: String,
    #[server(default)] kind: String,
) -> Result<(), AppError> {
    use crate::dto::evaluation::QuestionRefusal;
    use crate::rules::evaluation::{QUESTION_MAX, QuestionKind};
    use crate::services::staff::{access, guard};
    use crate::services::{evaluation, request};

    let ctx = guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    let page = format!("/personale/kurser/{}/evaluering", c.id);
    let text = text.trim();
    let kind = match QuestionKind::from_slug(kind.trim()) {
        Some(k @ (QuestionKind::Likert | QuestionKind::Text)) => k,
        _ => {
            request::refuse(&page, &[QuestionRefusal::Kind], "ny");
            return Ok(());
        }
    };
    if text.is_empty() || text.chars().count() > QUESTION_MAX || text.chars().any(char::is_control)
    {
        request::refuse(&page, &[QuestionRefusal::Text], "ny");
        return Ok(());
    }
    evaluation::add_question(&ctx.state.db, c.id, text, kind).await?;
    leptos_axum::redirect(&format!("{page}?besked=tilfoejet#besked"));
    Ok(())
}

/// Stops asking one of the course's own questions; the answers already given stay.
#[server(endpoint = "personale_kursus_spoergsmaal_fjern")]
pub async fn retire_question(question_id: i32) -> Result<(), AppError> {
    use crate::services::evaluation;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let Some(q) = evaluation::question(&ctx.state.db, question_id).await? else {
        return guard::not_found();
    };
    // The default set is the same everywhere; only a course's own questions can go.
    let Some(course_id) = q.course_id else {
        return guard::not_found();
    };
    let c = access::editable_course(&ctx, course_id).await?;
    evaluation::retire_question(&ctx.state.db, &q).await?;
    leptos_axum::redirect(&format!(
        "/personale/kurser/{}/evaluering?besked=fjernet#besked",
        c.id
    ));
    Ok(())
}
