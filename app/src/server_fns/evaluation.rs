//! The evaluation questionnaire: opened by the single-use link sent after a run, or typed in by
//! staff from a paper form. Answers are stored without any link to a booking or a person: the
//! link is spent in the same transaction, and the response carries only the run (see
//! `entity::evaluation_response`).

#[allow(unused_imports)]
use crate::dto::evaluation::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::catalogue::SchoolDto;
use crate::error::AppError;

/// Checks an evaluation link without spending it, and gives the questions.
#[server(endpoint = "evaluering_side")]
pub async fn evaluation_page(token: String) -> Result<EvaluationPageDto, AppError> {
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};
    use entity::{booking, course, run, school};
    use sea_orm::EntityTrait;

    let state = request::state()?;
    let now = chrono::Utc::now();
    request::no_store();
    let db = &state.db;
    let Some(t) = tokens::resolve(db, Purpose::Evaluation, &token, now).await? else {
        return Ok(EvaluationPageDto::Invalid);
    };
    let Some(b) = booking::Entity::find_by_id(t.booking_id.unwrap_or_default())
        .one(db)
        .await?
    else {
        return Ok(EvaluationPageDto::Invalid);
    };
    let Some(r) = run::Entity::find_by_id(b.run_id).one(db).await? else {
        return Ok(EvaluationPageDto::Invalid);
    };
    let (Some(c), Some(s)) = (
        course::Entity::find_by_id(r.course_id).one(db).await?,
        school::Entity::find_by_id(r.school_id).one(db).await?,
    ) else {
        return Ok(EvaluationPageDto::Invalid);
    };
    Ok(EvaluationPageDto::Valid {
        questions: crate::services::evaluation::questions(db, c.id).await?,
        course: c.title,
        school: Box::new(SchoolDto::from(s)),
    })
}

/// Stores an evaluation from the link and spends the link, in one transaction. Nothing ties
/// the answers to the person; a second submit finds the link spent and stores nothing.
#[server(endpoint = "evaluering_svar")]
pub async fn submit_evaluation(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};
    use entity::booking;
    use sea_orm::{EntityTrait, TransactionTrait};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let db = &state.db;
    let page = format!("/evaluering/{}", urlencoding::encode(form.token.trim()));
    let Some(t) = tokens::resolve(db, Purpose::Evaluation, form.token.trim(), now).await? else {
        leptos_axum::redirect(&page);
        return Ok(());
    };
    let Some(b) = booking::Entity::find_by_id(t.booking_id.unwrap_or_default())
        .one(db)
        .await?
    else {
        leptos_axum::redirect(&page);
        return Ok(());
    };
    let course_id = crate::services::evaluation::course_of(db, b.run_id).await?;
    let questions = crate::services::evaluation::questions(db, course_id).await?;
    let answers = match crate::services::evaluation::parse(&questions, &form.q) {
        Ok(a) => a,
        Err(code) => {
            leptos_axum::redirect(&format!("{page}?fejl={code}#fejl"));
            return Ok(());
        }
    };
    let txn = db.begin().await?;
    // Spent with the day only: the time of spending would line up with nothing, but a day
    // is all the reminder needs to know.
    if !tokens::spend(&txn, t.id, crate::services::evaluation::day_of(now)).await? {
        txn.rollback().await?;
        leptos_axum::redirect(&page);
        return Ok(());
    }
    crate::services::evaluation::save(&txn, b.run_id, "web", &answers).await?;
    txn.commit().await?;
    leptos_axum::redirect("/evaluering/tak");
    Ok(())
}

/// The questionnaire for typing in answers from paper forms (the run's team and the school's
/// coordinators).
#[server(endpoint = "personale_evaluering_papir")]
pub async fn paper_page(run_id: i32) -> Result<PaperDto, AppError> {
    use crate::services::staff::access;
    use entity::{course, evaluation_response, school};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let count = |source: &'static str| {
        evaluation_response::Entity::find()
            .filter(evaluation_response::Column::RunId.eq(r.id))
            .filter(evaluation_response::Column::Source.eq(source))
            .count(db)
    };
    let (web, paper) = (count("web").await?, count("paper").await?);
    Ok(PaperDto {
        me: super::staff::account::me_dto(&ctx).await?,
        run_id: r.id,
        course_title: course::Entity::find_by_id(r.course_id)
            .one(db)
            .await?
            .map(|c| c.title)
            .unwrap_or_default(),
        school_name: school::Entity::find_by_id(r.school_id)
            .one(db)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
        questions: crate::services::evaluation::questions(db, r.course_id).await?,
        web,
        paper,
    })
}

/// Stores one paper form's answers for a run. The audit log says that a form was typed in,
/// not what it said.
#[server(endpoint = "personale_evaluering_papir_gem")]
pub async fn save_paper(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use crate::services::staff::access;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Ok(run_id) = form.run_id.trim().parse::<i32>() else {
        return crate::services::staff::guard::not_found();
    };
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let page = format!("/personale/hold/{}/evaluering", r.id);
    let questions = crate::services::evaluation::questions(db, r.course_id).await?;
    let answers = match crate::services::evaluation::parse(&questions, &form.q) {
        Ok(a) => a,
        Err(code) => {
            leptos_axum::redirect(&format!("{page}?fejl={code}#fejl"));
            return Ok(());
        }
    };
    if answers.is_empty() {
        leptos_axum::redirect(&format!("{page}?fejl=tom#fejl"));
        return Ok(());
    }
    crate::services::evaluation::save(db, r.id, "paper", &answers).await?;
    crate::services::staff::guard::audit(
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

#[server(endpoint = "personale_kursus_spoergsmaal")]
pub async fn course_questions(course_id: i32) -> Result<CourseQuestionsDto, AppError> {
    use crate::services::staff::access;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    let (own, defaults) = crate::services::evaluation::questions(&ctx.state.db, c.id)
        .await?
        .into_iter()
        .partition(|q| q.code.is_none());
    Ok(CourseQuestionsDto {
        me: super::staff::account::me_dto(&ctx).await?,
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
    use crate::services::staff::access;
    use entity::evaluation_question;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    let page = format!("/personale/kurser/{}/evaluering", c.id);
    let text = text.trim();
    let kind = match crate::rules::evaluation::QuestionKind::from_slug(kind.trim()) {
        Some(
            k @ (crate::rules::evaluation::QuestionKind::Likert
            | crate::rules::evaluation::QuestionKind::Text),
        ) => k,
        _ => {
            leptos_axum::redirect(&format!("{page}?fejl=type#ny"));
            return Ok(());
        }
    };
    if text.is_empty()
        || text.chars().count() > crate::rules::evaluation::QUESTION_MAX
        || text.chars().any(char::is_control)
    {
        leptos_axum::redirect(&format!("{page}?fejl=tekst#ny"));
        return Ok(());
    }
    let db = &ctx.state.db;
    let n = evaluation_question::Entity::find()
        .filter(evaluation_question::Column::CourseId.eq(c.id))
        .count(db)
        .await?;
    evaluation_question::ActiveModel {
        code: Set(None),
        course_id: Set(Some(c.id)),
        position: Set(1000 + i32::try_from(n).unwrap_or(0)),
        kind: Set(kind.slug().into()),
        domain: Set("course".into()),
        text: Set(text.into()),
        active: Set(true),
        ..Default::default()
    }
    .insert(db)
    .await?;
    leptos_axum::redirect(&format!("{page}?besked=tilfoejet#besked"));
    Ok(())
}

/// Stops asking one of the course's own questions; the answers already given stay.
#[server(endpoint = "personale_kursus_spoergsmaal_fjern")]
pub async fn retire_question(question_id: i32) -> Result<(), AppError> {
    use crate::services::staff::access;
    use entity::evaluation_question;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let Some(q) = evaluation_question::Entity::find_by_id(question_id)
        .one(db)
        .await?
    else {
        return crate::services::staff::guard::not_found();
    };
    // The default set is the same everywhere; only a course's own questions can go.
    let Some(course_id) = q.course_id else {
        return crate::services::staff::guard::not_found();
    };
    let c = access::editable_course(&ctx, course_id).await?;
    let mut retired = q.into_active_model();
    retired.active = Set(false);
    retired.update(db).await?;
    leptos_axum::redirect(&format!(
        "/personale/kurser/{}/evaluering?besked=fjernet#besked",
        c.id
    ));
    Ok(())
}
