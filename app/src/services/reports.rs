//! Loading the facts the report figures are counted from (`rules::reports::count` counts
//! them): the runs of a selection with their sessions, bookings, attendance, drop-in
//! headcounts and evaluation answers, in a fixed number of queries whatever the size of the
//! selection, and nothing that names a person; and a run's own evaluation for its team.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{
    AttendanceStatus, BookingStatus, CourseFormat, RunStatus, attendance, booking, course,
    course_theme, evaluation_answer, evaluation_question, evaluation_response, headcount, run,
    run_teacher, school, session,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, QuerySelect, QueryTrait, Statement,
};

use crate::rules::evaluation::QuestionKind;
use crate::rules::reports::{
    AnswerFact, BookingFact, BookingFactStatus, CourseFact, Facts, Figures, HeadcountFact, Mark,
    Pool, QuestionFact, QuestionRow, RunFact, SessionFact, count, in_period, period_runs,
    team_evaluation, team_pool, window,
};
use crate::rules::vocabulary::source::WALK_IN;

/// What to count.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    pub schools: Vec<i32>,
    /// First and last day, inclusive, local dates.
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub course: Option<i32>,
    pub format: Option<CourseFormat>,
    pub theme: Option<i32>,
    /// Only runs these teacher profiles are on (a teacher's own view).
    pub teachers: Option<Vec<i32>>,
}

/// The figures of a selection at `now`.
pub async fn figures(
    db: &impl ConnectionTrait,
    sel: &Selection,
    now: DateTime<Utc>,
) -> Result<Figures, DbErr> {
    let facts = load(db, sel, now).await?;
    Ok(count(&facts, sel.from, sel.to, now))
}

/// The published runs a selection chooses (schools, course, format, theme, teachers).
fn chosen_runs(sel: &Selection) -> Condition {
    let mut cond = Condition::all()
        .add(run::Column::SchoolId.is_in(sel.schools.clone()))
        .add(run::Column::Status.eq(RunStatus::Published));
    if let Some(c) = sel.course {
        cond = cond.add(run::Column::CourseId.eq(c));
    }
    if let Some(f) = sel.format {
        cond = cond.add(
            run::Column::CourseId.in_subquery(
                course::Entity::find()
                    .select_only()
                    .column(course::Column::Id)
                    .filter(course::Column::Format.eq(f))
                    .into_query(),
            ),
        );
    }
    if let Some(t) = sel.theme {
        cond = cond.add(
            run::Column::CourseId.in_subquery(
                course_theme::Entity::find()
                    .select_only()
                    .column(course_theme::Column::CourseId)
                    .filter(course_theme::Column::ThemeId.eq(t))
                    .into_query(),
            ),
        );
    }
    if let Some(teachers) = &sel.teachers {
        cond = cond.add(
            run::Column::Id.in_subquery(
                run_teacher::Entity::find()
                    .select_only()
                    .column(run_teacher::Column::RunId)
                    .filter(run_teacher::Column::TeacherId.is_in(teachers.clone()))
                    .into_query(),
            ),
        );
    }
    cond
}

fn session_fact((id, run_id, starts_at): (i32, i32, DateTime<Utc>)) -> SessionFact {
    SessionFact {
        id,
        run_id,
        starts_at,
    }
}

/// The evaluation facts of `run_ids`: which run each response is to, the questions answered,
/// and every answer (with its run, never its response).
async fn evaluation_facts(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<(Vec<i32>, Vec<QuestionFact>, Vec<AnswerFact>), DbErr> {
    if run_ids.is_empty() {
        return Ok((Vec::new(), Vec::new(), Vec::new()));
    }
    if db.get_database_backend() == DbBackend::Sqlite {
        let (responses, answers) = evaluation_answers_grouped(db, run_ids).await?;
        let questions = questions_answered(db, &answers).await?;
        return Ok((responses, questions, answers));
    }
    let keyed: Vec<(String, i32)> = evaluation_response::Entity::find()
        .select_only()
        .columns([
            evaluation_response::Column::Id,
            evaluation_response::Column::RunId,
        ])
        .filter(evaluation_response::Column::RunId.is_in(run_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let responses: Vec<i32> = keyed.iter().map(|(_, run)| *run).collect();
    let run_of: HashMap<String, i32> = keyed.into_iter().collect();
    let answers: Vec<AnswerFact> = evaluation_answer::Entity::find()
        .select_only()
        .columns([
            evaluation_answer::Column::ResponseId,
            evaluation_answer::Column::QuestionId,
            evaluation_answer::Column::Value,
            evaluation_answer::Column::Text,
        ])
        .filter(
            evaluation_answer::Column::ResponseId.in_subquery(
                evaluation_response::Entity::find()
                    .select_only()
                    .column(evaluation_response::Column::Id)
                    .filter(evaluation_response::Column::RunId.is_in(run_ids.to_vec()))
                    .into_query(),
            ),
        )
        .into_tuple::<(String, i32, Option<i32>, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(response, question_id, value, text)| {
            Some(AnswerFact {
                run_id: *run_of.get(&response)?,
                question_id,
                value,
                text,
            })
        })
        .collect();
    let questions = questions_answered(db, &answers).await?;
    Ok((responses, questions, answers))
}

/// The questions `answers` answer.
async fn questions_answered(
    db: &impl ConnectionTrait,
    answers: &[AnswerFact],
) -> Result<Vec<QuestionFact>, DbErr> {
    Ok(evaluation_question::Entity::find()
        .filter(
            evaluation_question::Column::Id.is_in(
                answers
                    .iter()
                    .map(|a| a.question_id)
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .filter_map(|q| {
            Some(QuestionFact {
                kind: QuestionKind::from_slug(&q.kind)?,
                id: q.id,
                code: q.code,
                text: q.text,
                own: q.course_id.is_some(),
                position: q.position,
            })
        })
        .collect())
}

/// The responses and answers of [`evaluation_facts`] on SQLite: responses counted per run,
/// answers without text as one row per run, and the few written answers as rows.
async fn evaluation_answers_grouped(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<(Vec<i32>, Vec<AnswerFact>), DbErr> {
    let counted: Vec<(i32, i64)> = evaluation_response::Entity::find()
        .select_only()
        .column(evaluation_response::Column::RunId)
        .column_as(Expr::cust("count(*)"), "n")
        .filter(evaluation_response::Column::RunId.is_in(run_ids.to_vec()))
        .group_by(evaluation_response::Column::RunId)
        .into_tuple()
        .all(db)
        .await?;
    let responses: Vec<i32> = counted
        .into_iter()
        .flat_map(|(run, n)| std::iter::repeat_n(run, usize::try_from(n).unwrap_or(0)))
        .collect();
    const ANSWERED: &str = "FROM evaluation_answer a JOIN evaluation_response r \
         ON r.id = a.response_id WHERE r.run_id IN (SELECT value FROM json_each(?))";
    let mut answers = Vec::with_capacity(responses.len() * 8);
    grouped_rows(
        db,
        with_ids(
            &format!(
                "SELECT r.run_id, group_concat(a.question_id || char(31) || \
                 coalesce(a.value, ''), char(30)) {ANSWERED} AND a.text IS NULL \
                 GROUP BY r.run_id"
            ),
            run_ids,
        ),
        |run_id, [question_id, value]| {
            answers.push(AnswerFact {
                run_id,
                question_id: question_id.parse().ok()?,
                value: match value {
                    "" => None,
                    v => Some(v.parse().ok()?),
                },
                text: None,
            });
            Some(())
        },
    )
    .await?;
    let written = db
        .query_all_raw(with_ids(
            &format!(
                "SELECT r.run_id, a.question_id, a.value, a.text {ANSWERED} AND a.text IS NOT NULL"
            ),
            run_ids,
        ))
        .await?;
    for row in written {
        answers.push(AnswerFact {
            run_id: row.try_get_by_index(0)?,
            question_id: row.try_get_by_index(1)?,
            value: row.try_get_by_index(2)?,
            text: row.try_get_by_index(3)?,
        });
    }
    Ok((responses, answers))
}

/// A run's own evaluation results for its team: the run alone once five have answered, else
/// pooled with the course's most recent earlier runs until five ([`team_pool`]). Returns the
/// run's own response count, the pool (`None` while too few answered), and the rows.
#[allow(clippy::type_complexity)]
pub async fn team(
    db: &impl ConnectionTrait,
    r: &run::Model,
) -> Result<
    (
        u64,
        Option<Pool>,
        Vec<QuestionRow>,
        Vec<(String, Vec<String>)>,
    ),
    DbErr,
> {
    // The course's runs that took place, with their first session.
    let course_runs: Vec<i32> = run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .filter(run::Column::CourseId.eq(r.course_id))
        .filter(run::Column::Status.ne(RunStatus::Cancelled))
        .into_tuple()
        .all(db)
        .await?;
    let mut first: HashMap<i32, DateTime<Utc>> = HashMap::new();
    let starts: Vec<(i32, DateTime<Utc>)> = session::Entity::find()
        .select_only()
        .columns([session::Column::RunId, session::Column::StartsAt])
        .filter(session::Column::RunId.is_in(course_runs.clone()))
        .filter(session::Column::Cancelled.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    for (run_id, t) in starts {
        first
            .entry(run_id)
            .and_modify(|x| *x = (*x).min(t))
            .or_insert(t);
    }
    let responded: Vec<i32> = evaluation_response::Entity::find()
        .select_only()
        .column(evaluation_response::Column::RunId)
        .filter(evaluation_response::Column::RunId.is_in(course_runs.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_run: HashMap<i32, u64> = HashMap::new();
    for run_id in responded {
        *by_run.entry(run_id).or_default() += 1;
    }
    let own = by_run.get(&r.id).copied().unwrap_or(0);
    let this_start = first.get(&r.id).copied();
    let mut earlier: Vec<(DateTime<Utc>, i32)> = course_runs
        .iter()
        .filter(|id| **id != r.id)
        .filter_map(|id| Some((*first.get(id)?, *id)))
        .filter(|(t, _)| this_start.is_some_and(|s| *t < s))
        .collect();
    earlier.sort_by(|a, b| b.cmp(a));
    let earlier: Vec<(i32, u64)> = earlier
        .into_iter()
        .map(|(_, id)| (id, by_run.get(&id).copied().unwrap_or(0)))
        .collect();
    let Some(pool) = team_pool((r.id, own), &earlier) else {
        return Ok((own, None, Vec::new(), Vec::new()));
    };
    let (_, questions, answers) = evaluation_facts(db, &pool.runs).await?;
    let (rows, texts) = team_evaluation(&questions, &answers, &by_run, &pool);
    Ok((own, Some(pool), rows, texts))
}

/// The sessions from `to_utc` on of `run_ids`.
async fn later_sessions(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
    to_utc: DateTime<Utc>,
) -> Result<Vec<SessionFact>, DbErr> {
    if run_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(session::Entity::find()
        .select_only()
        .columns(SESSION_COLUMNS)
        .filter(session::Column::Cancelled.eq(false))
        .filter(session::Column::StartsAt.gte(to_utc))
        .filter(session::Column::RunId.is_in(run_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .map(session_fact)
        .collect())
}

/// Every course's title and format.
async fn course_facts(db: &impl ConnectionTrait) -> Result<HashMap<i32, CourseFact>, DbErr> {
    Ok(course::Entity::find()
        .select_only()
        .columns([
            course::Column::Id,
            course::Column::Title,
            course::Column::Format,
        ])
        .into_tuple::<(i32, String, CourseFormat)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, title, format)| {
            let drop_in = format == CourseFormat::DropIn;
            (id, CourseFact { title, drop_in })
        })
        .collect())
}

/// Every school's name.
async fn school_names(db: &impl ConnectionTrait) -> Result<HashMap<i32, String>, DbErr> {
    Ok(school::Entity::find()
        .select_only()
        .columns([school::Column::Id, school::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The bookings of `run_ids`, as the figures count them. A person is numbered by their e-mail
/// key in SQL, so that no key leaves the database and the tallies compare numbers.
async fn booking_facts(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<Vec<BookingFact>, DbErr> {
    if run_ids.is_empty() {
        return Ok(Vec::new());
    }
    if db.get_database_backend() == DbBackend::Sqlite {
        return booking_facts_grouped(db, run_ids).await;
    }
    type Row = (
        i32,
        i32,
        BookingStatus,
        Option<i32>,
        i64,
        Option<entity::Perspective>,
        Option<String>,
        String,
    );
    booking::Entity::find()
        .select_only()
        .columns([
            booking::Column::Id,
            booking::Column::RunId,
            booking::Column::Status,
            booking::Column::QueueNo,
        ])
        .column_as(Expr::cust(PERSON_NUMBER), "person")
        .columns([
            booking::Column::Perspective,
            booking::Column::Municipality,
            booking::Column::Source,
        ])
        .filter(booking::Column::RunId.is_in(run_ids.to_vec()))
        .into_tuple::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(
            |(id, run_id, status, queue_no, person, perspective, municipality, source)| {
                Ok(BookingFact {
                    id,
                    run_id,
                    status: fact_status(status),
                    queue_no,
                    person: person_number(person)?,
                    perspective: perspective.map(Into::into),
                    municipality,
                    walk_in: source == WALK_IN,
                })
            },
        )
        .collect()
}

/// Numbers the people of the bookings read, the same number for the same e-mail key.
const PERSON_NUMBER: &str = "DENSE_RANK() OVER (ORDER BY email_key)";
/// The same on SQLite, where sorting the bookings by key and then again by run takes longer
/// than looking up each key's first booking in the key's index: that booking's id.
const PERSON_NUMBER_SQLITE: &str =
    "(SELECT min(first.id) FROM booking first WHERE first.email_key = booking.email_key)";

fn person_number(n: i64) -> Result<u32, DbErr> {
    u32::try_from(n).map_err(|_| DbErr::Custom(format!("person number {n} out of range")))
}

fn fact_status(status: BookingStatus) -> BookingFactStatus {
    match status {
        BookingStatus::Confirmed => BookingFactStatus::Confirmed,
        BookingStatus::Waitlisted => BookingFactStatus::Waitlisted,
        BookingStatus::Offered => BookingFactStatus::Offered,
        BookingStatus::Cancelled => BookingFactStatus::Cancelled,
        BookingStatus::Expired => BookingFactStatus::Expired,
    }
}

/// Between the fields of a record in a grouped row (SQLite's `char(31)`, unit separator).
const FIELD: char = '\u{1f}';
/// Between the records of a grouped row (`char(30)`, record separator).
const RECORD: char = '\u{1e}';

/// `ids` as one JSON array, read on SQLite with `IN (SELECT value FROM json_each(?))`: one
/// value to bind instead of one per id.
fn json_ids(ids: &[i32]) -> sea_orm::Value {
    let list: Vec<String> = ids.iter().map(i32::to_string).collect();
    format!("[{}]", list.join(",")).into()
}

/// `sql` on SQLite with `ids` bound as one JSON list.
fn with_ids(sql: &str, ids: &[i32]) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, [json_ids(ids)])
}

/// Reads `statement` as rows of `(id, grouped text)`, and each grouped text as records of
/// exactly `N` fields ([`RECORD`] between records, [`FIELD`] between fields). SQLite's driver
/// hands rows over one at a time from a thread of its own, which for tens of thousands of rows
/// costs more than the query: so the large report reads on SQLite group their rows.
async fn grouped_rows<const N: usize>(
    db: &impl ConnectionTrait,
    statement: Statement,
    mut each: impl FnMut(i32, [&str; N]) -> Option<()>,
) -> Result<(), DbErr> {
    let rows = db.query_all_raw(statement).await?;
    for row in rows {
        let id: i32 = row.try_get_by_index(0)?;
        let grouped: String = row.try_get_by_index(1)?;
        for record in grouped.split(RECORD) {
            let mut fields = record.split(FIELD);
            let mut parsed = [""; N];
            let complete = parsed
                .iter_mut()
                .all(|field| fields.next().map(|v| *field = v).is_some())
                && fields.next().is_none();
            complete
                .then(|| each(id, parsed))
                .flatten()
                .ok_or_else(|| DbErr::Custom(format!("unreadable report record {record:?}")))?;
        }
    }
    Ok(())
}

/// [`booking_facts`] on SQLite: one row per run, its bookings as records ([`grouped_rows`]).
async fn booking_facts_grouped(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<Vec<BookingFact>, DbErr> {
    let sql = format!(
        "SELECT run_id, group_concat(id || char(31) || status || char(31) || \
         coalesce(queue_no, '') || char(31) || {PERSON_NUMBER_SQLITE} || char(31) || \
         coalesce(perspective, '') || char(31) || coalesce(municipality, '') || char(31) || \
         (source = '{WALK_IN}'), char(30)) \
         FROM booking WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id"
    );
    let mut bookings = Vec::with_capacity(run_ids.len() * 10);
    grouped_rows(
        db,
        with_ids(&sql, run_ids),
        |run_id,
         [
            id,
            status,
            queue_no,
            person,
            perspective,
            municipality,
            walk_in,
        ]| {
            bookings.push(BookingFact {
                id: id.parse().ok()?,
                run_id,
                status: fact_status(BookingStatus::try_from_value(&status.to_string()).ok()?),
                queue_no: match queue_no {
                    "" => None,
                    n => Some(n.parse().ok()?),
                },
                person: person.parse().ok()?,
                perspective: match perspective {
                    "" => None,
                    p => Some(
                        entity::Perspective::try_from_value(&p.to_string())
                            .ok()?
                            .into(),
                    ),
                },
                municipality: (!municipality.is_empty()).then(|| municipality.to_string()),
                walk_in: walk_in == "1",
            });
            Some(())
        },
    )
    .await?;
    Ok(bookings)
}

/// The attendance marks of the chosen runs' sessions from the period's first day on (runs of
/// the period begin in it) to `upper`, as a subquery rather than a list.
async fn attendance_marks(
    db: &impl ConnectionTrait,
    sel: &Selection,
    cond: Condition,
    upper: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, i32, Mark)>, DbErr> {
    let period_start = (sel.from - Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map_or(now, |d| d.and_utc());
    let chosen = attendance::Column::SessionId.in_subquery(
        session::Entity::find()
            .select_only()
            .column(session::Column::Id)
            .filter(session::Column::Cancelled.eq(false))
            .filter(session::Column::StartsAt.gte(period_start))
            .filter(session::Column::StartsAt.lt(upper))
            .filter(
                session::Column::RunId.in_subquery(
                    run::Entity::find()
                        .select_only()
                        .column(run::Column::Id)
                        .filter(cond)
                        .into_query(),
                ),
            )
            .into_query(),
    );
    let mark = |status: AttendanceStatus| match status {
        st if st.attended() => Mark::Attended,
        AttendanceStatus::Absent => Mark::Absent,
        _ => Mark::Afbud,
    };
    if db.get_database_backend() == DbBackend::Sqlite {
        // One row per session, its marks as records.
        let sessions = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::SessionId)
            .column_as(
                Expr::cust("group_concat(booking_id || char(31) || status, char(30))"),
                "marks",
            )
            .filter(chosen)
            .group_by(attendance::Column::SessionId)
            .build(DbBackend::Sqlite);
        let mut marks = Vec::new();
        grouped_rows(db, sessions, |session_id, [booking_id, status]| {
            let status = AttendanceStatus::try_from_value(&status.to_string()).ok()?;
            marks.push((session_id, booking_id.parse().ok()?, mark(status)));
            Some(())
        })
        .await?;
        return Ok(marks);
    }
    Ok(attendance::Entity::find()
        .select_only()
        .columns([
            attendance::Column::SessionId,
            attendance::Column::BookingId,
            attendance::Column::Status,
        ])
        .filter(chosen)
        .into_tuple::<(i32, i32, AttendanceStatus)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(s, b, status)| (s, b, mark(status)))
        .collect())
}

/// The columns a [`SessionFact`] is read from.
const SESSION_COLUMNS: [session::Column; 3] = [
    session::Column::Id,
    session::Column::RunId,
    session::Column::StartsAt,
];

/// Loads the facts of a selection at `now`.
pub async fn load(
    db: &impl ConnectionTrait,
    sel: &Selection,
    now: DateTime<Utc>,
) -> Result<Facts, DbErr> {
    let cond = chosen_runs(sel);
    let (from_utc, to_utc) = window(sel.from, sel.to);
    let candidate_runs = run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .filter(cond.clone())
        .into_query();
    let mut sessions: Vec<SessionFact> = session::Entity::find()
        .select_only()
        .columns(SESSION_COLUMNS)
        .filter(session::Column::Cancelled.eq(false))
        .filter(session::Column::StartsAt.gte(from_utc))
        .filter(session::Column::StartsAt.lt(to_utc))
        .filter(session::Column::RunId.in_subquery(candidate_runs))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .map(session_fact)
        .collect();
    let runs: Vec<RunFact> = run::Entity::find()
        .select_only()
        .columns([
            run::Column::Id,
            run::Column::CourseId,
            run::Column::SchoolId,
            run::Column::Capacity,
        ])
        .filter(cond.clone())
        .filter(run::Column::Id.is_in(sessions.iter().map(|s| s.run_id).collect::<HashSet<_>>()))
        .into_tuple::<(i32, i32, i32, Option<i32>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, course_id, school_id, capacity)| RunFact {
            id,
            course_id,
            school_id,
            capacity,
        })
        .collect();
    let period_run_ids = period_runs(&sessions, sel.from, sel.to);
    // What follows from the period's runs is read side by side (each query on a connection of
    // its own when `db` is the pool): the later sessions and then the attendance up to them, the
    // courses, the schools, the bookings and the evaluations.
    let ((later, marks), courses, schools, bookings, (responses, questions, answers)) = tokio::try_join!(
        async {
            // Sessions after the window of runs of the period (spanning its end), and the
            // attendance up to the last of them.
            let later = later_sessions(db, &period_run_ids, to_utc).await?;
            let upper = later
                .iter()
                .map(|s| s.starts_at + Duration::seconds(1))
                .fold(to_utc, DateTime::max);
            let marks = attendance_marks(db, sel, cond, upper, now).await?;
            Ok::<_, DbErr>((later, marks))
        },
        course_facts(db),
        school_names(db),
        booking_facts(db, &period_run_ids),
        evaluation_facts(db, &period_run_ids),
    )?;
    sessions.extend(later);
    // Headcounts of the drop-in sessions held in the period.
    let run_course: HashMap<i32, i32> = runs.iter().map(|r| (r.id, r.course_id)).collect();
    let drop_in_held: Vec<i32> = sessions
        .iter()
        .filter(|s| s.starts_at < to_utc && s.starts_at <= now)
        .filter(|s| in_period(s.starts_at, sel.from, sel.to))
        .filter(|s| {
            run_course
                .get(&s.run_id)
                .and_then(|c| courses.get(c))
                .is_some_and(|c| c.drop_in)
        })
        .map(|s| s.id)
        .collect();
    let headcounts = if drop_in_held.is_empty() {
        HashMap::new()
    } else {
        headcount::Entity::find()
            .filter(headcount::Column::SessionId.is_in(drop_in_held))
            .all(db)
            .await?
            .into_iter()
            .map(|h| {
                (
                    h.session_id,
                    HeadcountFact {
                        total: h.total,
                        parts: [h.own_experience, h.relative, h.professional, h.other],
                    },
                )
            })
            .collect()
    };
    Ok(Facts {
        runs,
        sessions,
        courses,
        schools,
        bookings,
        marks,
        headcounts,
        responses,
        questions,
        answers,
    })
}
