//! Questions and anonymous responses.

use chrono::{DateTime, Utc};
use entity::{evaluation_answer, evaluation_question, evaluation_response, run};
use rand::RngCore;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::dto::evaluation::QuestionDto;
use crate::rules::evaluation::{QuestionKind, TEXT_MAX};

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
        crate::services::webhooks::emit(
            db,
            r.school_id,
            crate::services::webhooks::Event::EvaluationSubmitted,
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

#[cfg(test)]
mod tests {
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
            q(1, crate::rules::evaluation::QuestionKind::Likert),
            q(2, crate::rules::evaluation::QuestionKind::Recommend),
            q(3, crate::rules::evaluation::QuestionKind::Text),
            q(4, crate::rules::evaluation::QuestionKind::Likert),
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
