//! The evaluation questionnaire: opened by the single-use link sent after a run, or typed in by
//! staff from a paper form. Answers are stored without any link to a booking or a person: the
//! link is spent in the same transaction, and the response carries only the run (see
//! `entity::evaluation_response`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::dto::SchoolDto;
use crate::api::staff::MeDto;
use crate::error::AppError;

/// Longest free-text answer.
pub const TEXT_MAX: usize = 2000;
/// Longest text of a course's own question.
pub const QUESTION_MAX: usize = 200;

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    /// Helt enig (5) … helt uenig (1), or ved ikke (0).
    Likert,
    /// Ja (3), måske (2), nej (1), or ved ikke (0).
    Recommend,
    Text,
}

impl QuestionKind {
    pub fn from_slug(s: &str) -> Option<QuestionKind> {
        match s {
            "likert" => Some(QuestionKind::Likert),
            "recommend" => Some(QuestionKind::Recommend),
            "text" => Some(QuestionKind::Text),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            QuestionKind::Likert => "likert",
            QuestionKind::Recommend => "recommend",
            QuestionKind::Text => "text",
        }
    }

    /// The values a choice may take, best first, then "ved ikke" (0).
    pub fn values(self) -> &'static [i32] {
        match self {
            QuestionKind::Likert => &[5, 4, 3, 2, 1, 0],
            QuestionKind::Recommend => &[3, 2, 1, 0],
            QuestionKind::Text => &[],
        }
    }

    /// Translation key of a choice's label.
    pub fn value_key(self, value: i32) -> String {
        match self {
            QuestionKind::Recommend => format!("evaluation.recommend.{value}"),
            _ => format!("evaluation.scale.{value}"),
        }
    }
}

/// One question as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionDto {
    pub id: i32,
    /// For a default question: its text is `evaluation.q.<code>`.
    pub code: Option<String>,
    /// For a course's own question: its text.
    pub text: String,
    pub kind: QuestionKind,
}

impl QuestionDto {
    /// The question in the reader's language.
    pub fn label(&self, l: crate::i18n::Locale) -> String {
        match &self.code {
            Some(code) => crate::tr!(l, &format!("evaluation.q.{code}")),
            None => self.text.clone(),
        }
    }
}

/// The page an evaluation link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EvaluationPageDto {
    /// Unknown, expired, already used, or of another kind.
    Invalid,
    Valid {
        course: String,
        school: Box<SchoolDto>,
        questions: Vec<QuestionDto>,
    },
}

/// Checks an evaluation link without spending it, and gives the questions.
#[server(endpoint = "evaluering_side")]
pub async fn evaluation_page(token: String) -> Result<EvaluationPageDto, AppError> {
    use crate::api::booking::web;
    use crate::booking::token::{self, Purpose};
    use entity::{booking, course, run, school};
    use sea_orm::EntityTrait;

    let state = web::state()?;
    let now = chrono::Utc::now();
    web::no_store();
    let db = &state.db;
    let Some(t) = token::resolve(db, Purpose::Evaluation, &token, now).await? else {
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
        questions: store::questions(db, c.id).await?,
        course: c.title,
        school: Box::new(SchoolDto::from(s)),
    })
}

/// The questionnaire as posted: `q[q<question id>]` per answered question (a letter first:
/// serde_qs reads numeric keys as list positions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub run_id: String,
    #[serde(default)]
    pub q: std::collections::BTreeMap<String, String>,
}

/// Stores an evaluation from the link and spends the link, in one transaction. Nothing ties
/// the answers to the person; a second submit finds the link spent and stores nothing.
#[server(endpoint = "evaluering_svar")]
pub async fn submit_evaluation(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use crate::api::booking::web;
    use crate::booking::token::{self, Purpose};
    use entity::booking;
    use sea_orm::{EntityTrait, TransactionTrait};

    let state = web::state()?;
    let now = chrono::Utc::now();
    let db = &state.db;
    let page = format!("/evaluering/{}", urlencoding::encode(form.token.trim()));
    let Some(t) = token::resolve(db, Purpose::Evaluation, form.token.trim(), now).await? else {
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
    let course_id = store::course_of(db, b.run_id).await?;
    let questions = store::questions(db, course_id).await?;
    let answers = match store::parse(&questions, &form.q) {
        Ok(a) => a,
        Err(code) => {
            leptos_axum::redirect(&format!("{page}?fejl={code}#fejl"));
            return Ok(());
        }
    };
    let txn = db.begin().await?;
    // Spent with the day only: the time of spending would line up with nothing, but a day
    // is all the reminder needs to know.
    if !token::spend(&txn, t.id, store::day_of(now)).await? {
        txn.rollback().await?;
        leptos_axum::redirect(&page);
        return Ok(());
    }
    store::save(&txn, b.run_id, "web", &answers).await?;
    txn.commit().await?;
    leptos_axum::redirect("/evaluering/tak");
    Ok(())
}

/// The paper-form page of a run, for staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaperDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    pub questions: Vec<QuestionDto>,
    /// Responses so far, from the link and from paper.
    pub web: u64,
    pub paper: u64,
}

/// The questionnaire for typing in answers from paper forms (the run's team and the school's
/// coordinators).
#[server(endpoint = "personale_evaluering_papir")]
pub async fn paper_page(run_id: i32) -> Result<PaperDto, AppError> {
    use super::staff::runs::access;
    use entity::{course, evaluation_response, school};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let ctx = super::staff::guard::signed_in().await?;
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
        questions: store::questions(db, r.course_id).await?,
        web,
        paper,
    })
}

/// Stores one paper form's answers for a run. The audit log says that a form was typed in,
/// not what it said.
#[server(endpoint = "personale_evaluering_papir_gem")]
pub async fn save_paper(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    use super::staff::runs::access;

    let ctx = super::staff::guard::signed_in().await?;
    let Ok(run_id) = form.run_id.trim().parse::<i32>() else {
        return super::staff::guard::not_found();
    };
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let page = format!("/personale/hold/{}/evaluering", r.id);
    let questions = store::questions(db, r.course_id).await?;
    let answers = match store::parse(&questions, &form.q) {
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
    store::save(db, r.id, "paper", &answers).await?;
    super::staff::guard::audit(
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

/// A course's own questions, for the course's editors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseQuestionsDto {
    pub me: MeDto,
    pub course_id: i32,
    pub course_title: String,
    /// The default set, for reference.
    pub defaults: Vec<QuestionDto>,
    pub own: Vec<QuestionDto>,
}

#[server(endpoint = "personale_kursus_spoergsmaal")]
pub async fn course_questions(course_id: i32) -> Result<CourseQuestionsDto, AppError> {
    use super::staff::courses::access;

    let ctx = super::staff::guard::signed_in().await?;
    let c = access::editable(&ctx, course_id).await?;
    let (own, defaults) = store::questions(&ctx.state.db, c.id)
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
    use super::staff::courses::access;
    use entity::evaluation_question;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let ctx = super::staff::guard::signed_in().await?;
    let c = access::editable(&ctx, course_id).await?;
    let page = format!("/personale/kurser/{}/evaluering", c.id);
    let text = text.trim();
    let kind = match QuestionKind::from_slug(kind.trim()) {
        Some(k @ (QuestionKind::Likert | QuestionKind::Text)) => k,
        _ => {
            leptos_axum::redirect(&format!("{page}?fejl=type#ny"));
            return Ok(());
        }
    };
    if text.is_empty() || text.chars().count() > QUESTION_MAX || text.chars().any(char::is_control)
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
    use super::staff::courses::access;
    use entity::evaluation_question;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

    let ctx = super::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let Some(q) = evaluation_question::Entity::find_by_id(question_id)
        .one(db)
        .await?
    else {
        return super::staff::guard::not_found();
    };
    // The default set is the same everywhere; only a course's own questions can go.
    let Some(course_id) = q.course_id else {
        return super::staff::guard::not_found();
    };
    let c = access::editable(&ctx, course_id).await?;
    let mut retired = q.into_active_model();
    retired.active = Set(false);
    retired.update(db).await?;
    leptos_axum::redirect(&format!(
        "/personale/kurser/{}/evaluering?besked=fjernet#besked",
        c.id
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod store {
    //! Questions and anonymous responses.

    use chrono::{DateTime, Utc};
    use entity::{evaluation_answer, evaluation_question, evaluation_response, run};
    use rand::RngCore;
    use sea_orm::{
        ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    };

    use super::{QuestionDto, QuestionKind, TEXT_MAX};

    /// The questions asked about a course: the default set, then the course's own, with the
    /// free-text questions last.
    pub async fn questions(
        db: &impl ConnectionTrait,
        course_id: i32,
    ) -> Result<Vec<QuestionDto>, DbErr> {
        let rows = evaluation_question::Entity::find()
            .filter(evaluation_question::Column::Active.eq(true))
            .filter(
                Condition::any()
                    .add(evaluation_question::Column::CourseId.is_null())
                    .add(evaluation_question::Column::CourseId.eq(course_id)),
            )
            .order_by_asc(evaluation_question::Column::Position)
            .order_by_asc(evaluation_question::Column::Id)
            .all(db)
            .await?;
        let mut questions: Vec<(bool, bool, QuestionDto)> = rows
            .into_iter()
            .filter_map(|q| {
                let kind = QuestionKind::from_slug(&q.kind)?;
                Some((
                    kind == QuestionKind::Text,
                    q.course_id.is_some(),
                    QuestionDto {
                        id: q.id,
                        code: q.code,
                        text: q.text,
                        kind,
                    },
                ))
            })
            .collect();
        // Stable: positions hold within each group.
        questions.sort_by_key(|(text, own, _)| (*text, *own));
        Ok(questions.into_iter().map(|(_, _, q)| q).collect())
    }

    pub async fn course_of(db: &impl ConnectionTrait, run_id: i32) -> Result<i32, DbErr> {
        Ok(run::Entity::find_by_id(run_id)
            .one(db)
            .await?
            .map_or(0, |r| r.course_id))
    }

    /// One answer: a choice's value or a text.
    #[derive(Debug, PartialEq)]
    pub enum Answer {
        Choice(i32),
        Text(String),
    }

    /// Reads the posted answers to `questions`; unanswered questions are left out. The error
    /// is the code the page explains.
    pub fn parse(
        questions: &[QuestionDto],
        posted: &std::collections::BTreeMap<String, String>,
    ) -> Result<Vec<(i32, Answer)>, &'static str> {
        let mut answers = Vec::new();
        for q in questions {
            let Some(value) = posted.get(&format!("q{}", q.id)) else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match q.kind {
                QuestionKind::Text => {
                    if value.chars().count() > TEXT_MAX {
                        return Err("tekst");
                    }
                    answers.push((q.id, Answer::Text(value.to_string())));
                }
                kind => match value.parse::<i32>() {
                    Ok(v) if kind.values().contains(&v) => answers.push((q.id, Answer::Choice(v))),
                    _ => return Err("svar"),
                },
            }
        }
        Ok(answers)
    }

    /// Midnight (UTC) of the day of `t`.
    pub fn day_of(t: DateTime<Utc>) -> DateTime<Utc> {
        t.date_naive()
            .and_hms_opt(0, 0, 0)
            .map_or(t, |d| d.and_utc())
    }

    /// A random key for a response: 16 bytes as hex.
    fn response_key() -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Stores a response to a run with its answers.
    pub async fn save(
        db: &impl ConnectionTrait,
        run_id: i32,
        source: &str,
        answers: &[(i32, Answer)],
    ) -> Result<(), DbErr> {
        let id = response_key();
        evaluation_response::Entity::insert(evaluation_response::ActiveModel {
            id: Set(id.clone()),
            run_id: Set(run_id),
            source: Set(source.into()),
        })
        .exec_without_returning(db)
        .await?;
        // Partners hear that a response came, never what it said.
        if let Some(r) = entity::run::Entity::find_by_id(run_id).one(db).await? {
            crate::webhooks::emit(
                db,
                r.school_id,
                crate::webhooks::Event::EvaluationSubmitted,
                serde_json::json!({ "run_id": run_id, "source": source }),
                chrono::Utc::now(),
            )
            .await?;
        }
        if answers.is_empty() {
            return Ok(());
        }
        evaluation_answer::Entity::insert_many(answers.iter().map(|(question, answer)| {
            let (value, text) = match answer {
                Answer::Choice(v) => (Some(*v), None),
                Answer::Text(t) => (None, Some(t.clone())),
            };
            evaluation_answer::ActiveModel {
                response_id: Set(id.clone()),
                question_id: Set(*question),
                value: Set(value),
                text: Set(text),
            }
        }))
        .exec_without_returning(db)
        .await?;
        Ok(())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::store::{Answer, parse};
    use super::*;

    fn q(id: i32, kind: QuestionKind) -> QuestionDto {
        QuestionDto {
            id,
            code: None,
            text: String::new(),
            kind,
        }
    }

    #[test]
    fn answers_are_read_within_their_scale() {
        let questions = [
            q(1, QuestionKind::Likert),
            q(2, QuestionKind::Recommend),
            q(3, QuestionKind::Text),
            q(4, QuestionKind::Likert),
        ];
        let posted = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let read = parse(
            &questions,
            &posted(&[
                ("q1", "5"),
                ("q2", "0"),
                ("q3", "  Fællesskabet  "),
                ("q9", "5"),
            ]),
        )
        .expect("valid");
        assert_eq!(
            read,
            vec![
                (1, Answer::Choice(5)),
                (2, Answer::Choice(0)),
                (3, Answer::Text("Fællesskabet".into())),
            ]
        );
        assert_eq!(parse(&questions, &posted(&[("q2", "4")])), Err("svar"));
        assert_eq!(parse(&questions, &posted(&[("q1", "6")])), Err("svar"));
        assert_eq!(parse(&questions, &posted(&[("q1", "en")])), Err("svar"));
        let long = "x".repeat(TEXT_MAX + 1);
        assert_eq!(parse(&questions, &posted(&[("q3", &long)])), Err("tekst"));
        assert_eq!(parse(&questions, &posted(&[("q4", "")])), Ok(vec![]));
    }
}
