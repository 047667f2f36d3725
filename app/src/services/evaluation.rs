//! The evaluation: the questions asked about a course, anonymous responses (from the link or
//! typed in from paper), and a course's own questions. A response carries only the run and its
//! source: no booking, no person, no time, and a random key that is also the order the rows are
//! kept in; the link that opened it is spent in the same transaction and forgets whose it was.

use chrono::{DateTime, Utc};
use entity::{booking, course, evaluation_answer, evaluation_question, evaluation_response, run};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::dto::catalogue::SchoolDto;
use crate::dto::evaluation::{EvaluationPageDto, QuestionDto};
use crate::rules::evaluation::{Answer, QuestionKind};
use crate::services::tokens::{self, Purpose};
use crate::services::transaction::write;

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

/// The course a run is of (0 for no such run).
pub async fn course_of(db: &impl ConnectionTrait, run_id: i32) -> Result<i32, DbErr> {
    Ok(run::Entity::find_by_id(run_id)
        .one(db)
        .await?
        .map_or(0, |r| r.course_id))
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

/// Stores a response to a run with its answers, in the transaction given.
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
    // Partners hear that a response came, never what it said; an answer from the link is told
    // the next midnight, stamped with that midnight, so its time lines up with no one's visit.
    if let Some(r) = entity::run::Entity::find_by_id(run_id).one(db).await? {
        let now = Utc::now();
        let told = if source == "web" {
            day_of(now) + chrono::Duration::days(1)
        } else {
            now
        };
        crate::services::webhooks::emit(
            db,
            r.school_id,
            crate::services::webhooks::Event::EvaluationSubmitted,
            serde_json::json!({ "run_id": run_id, "source": source }),
            told,
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

/// What an evaluation link opens: the questionnaire of the link's run, or `Invalid` for an
/// unknown, expired or spent link.
pub async fn page(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<EvaluationPageDto, DbErr> {
    let Some(run_id) = link_run(db, token, now).await? else {
        return Ok(EvaluationPageDto::Invalid);
    };
    let Some(r) = run::Entity::find_by_id(run_id).one(db).await? else {
        return Ok(EvaluationPageDto::Invalid);
    };
    let (Some(c), Some(s)) = (
        course::Entity::find_by_id(r.course_id).one(db).await?,
        entity::school::Entity::find_by_id(r.school_id)
            .one(db)
            .await?,
    ) else {
        return Ok(EvaluationPageDto::Invalid);
    };
    Ok(EvaluationPageDto::Valid {
        questions: questions(db, c.id).await?,
        course: c.title,
        school: Box::new(SchoolDto::from(s)),
    })
}

/// The run an evaluation link is about, if the link works.
pub async fn link_run(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let Some(t) = tokens::resolve(db, Purpose::Evaluation, token, now).await? else {
        return Ok(None);
    };
    Ok(
        booking::Entity::find_by_id(t.booking_id.unwrap_or_default())
            .one(db)
            .await?
            .map(|b| b.run_id),
    )
}

/// Stores a response from an evaluation link and spends the link, in one transaction; the spent
/// link keeps neither the booking nor the time (see [`tokens::spend`]). `false` when the link
/// was already spent (nothing is stored).
pub async fn submit(
    db: &DatabaseConnection,
    token: &str,
    run_id: i32,
    answers: &[(i32, Answer)],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let Some(t) = tokens::resolve(db, Purpose::Evaluation, token, now).await? else {
        return Ok(false);
    };
    write(db, |txn| async move {
        if !tokens::spend(&txn, t.id).await? {
            return Ok(false);
        }
        save(&txn, run_id, "web", answers).await?;
        Ok(true)
    })
    .await
}

/// Stores one paper form's answers for a run.
pub async fn save_paper(
    db: &DatabaseConnection,
    run_id: i32,
    answers: &[(i32, Answer)],
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        save(&txn, run_id, "paper", answers).await
    })
    .await
}

/// Keeps the responses and answers in the order of their random keys, so where a row sits says
/// nothing about when it came. SQLite keeps them so by itself (the tables have no rowid);
/// PostgreSQL appends to the end of the table, so the jobs rewrite the tables in key order
/// when a response sits out of it.
pub async fn reorder(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let out_of_order = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT EXISTS (SELECT 1 FROM (SELECT id, lag(id) OVER (ORDER BY ctid) AS before \
             FROM evaluation_response) t WHERE before > id) AS o",
        ))
        .await?
        .map(|row| row.try_get::<bool>("", "o"))
        .transpose()?
        .unwrap_or(false);
    if !out_of_order {
        return Ok(());
    }
    for sql in [
        "CLUSTER evaluation_response USING evaluation_response_pkey",
        "CLUSTER evaluation_answer USING evaluation_answer_pkey",
    ] {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// How many responses a run has from the link and from paper.
pub async fn counts(db: &DatabaseConnection, run_id: i32) -> Result<(u64, u64), DbErr> {
    let count = |source: &'static str| {
        evaluation_response::Entity::find()
            .filter(evaluation_response::Column::RunId.eq(run_id))
            .filter(evaluation_response::Column::Source.eq(source))
            .count(db)
    };
    Ok((count("web").await?, count("paper").await?))
}

/// Adds a question of the course's own, asked after the default set.
pub async fn add_question(
    db: &DatabaseConnection,
    course_id: i32,
    text: &str,
    kind: QuestionKind,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let n = evaluation_question::Entity::find()
            .filter(evaluation_question::Column::CourseId.eq(course_id))
            .count(&txn)
            .await?;
        evaluation_question::ActiveModel {
            code: Set(None),
            course_id: Set(Some(course_id)),
            position: Set(1000 + i32::try_from(n).unwrap_or(0)),
            kind: Set(kind.slug().into()),
            domain: Set("course".into()),
            text: Set(text.into()),
            active: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Ok(())
    })
    .await
}

/// A question, by its id.
pub async fn question(
    db: &DatabaseConnection,
    id: i32,
) -> Result<Option<evaluation_question::Model>, DbErr> {
    evaluation_question::Entity::find_by_id(id).one(db).await
}

/// Stops asking a question; the answers already given stay.
pub async fn retire_question(
    db: &DatabaseConnection,
    q: &evaluation_question::Model,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut retired = q.clone().into_active_model();
        retired.active = Set(false);
        retired.update(&txn).await?;
        Ok(())
    })
    .await
}

/// The names a staff page shows with a run: its course's title and its school's name.
pub async fn run_names(db: &DatabaseConnection, r: &run::Model) -> Result<(String, String), DbErr> {
    let course = course::Entity::find_by_id(r.course_id).one(db).await?;
    let school = entity::school::Entity::find_by_id(r.school_id)
        .one(db)
        .await?;
    Ok((
        course.map(|c| c.title).unwrap_or_default(),
        school.map(|s| s.name).unwrap_or_default(),
    ))
}
