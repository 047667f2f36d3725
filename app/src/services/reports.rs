//! Loading and counting the report figures (moves to the services layer).

#![cfg(feature = "ssr")]

use crate::rules::reports::{
    Cell, CourseRow, Figures, MIN_GROUP, PeriodRow, QuestionRow, RunRow, SessionRow,
};

/// What to count.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    pub schools: Vec<i32>,
    /// First and last day, inclusive, local dates.
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub course: Option<i32>,
    pub format: Option<entity::CourseFormat>,
    pub theme: Option<i32>,
    /// Only runs these teacher profiles are on (a teacher's own view).
    pub teachers: Option<Vec<i32>>,
}

pub use compute::figures;

mod compute {
    use std::collections::{BTreeMap, HashMap, HashSet};

    use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
    use entity::{
        AttendanceStatus, BookingStatus, CourseFormat, Perspective, RunStatus, attendance, booking,
        course, course_theme, evaluation_answer, evaluation_question, evaluation_response,
        headcount, run, run_teacher, school, session,
    };
    use sea_orm::{
        ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
        QueryTrait,
    };

    use super::{
        Cell, CourseRow, Figures, MIN_GROUP, PeriodRow, QuestionRow, RunRow, Selection, SessionRow,
    };
    use crate::rules::evaluation::QuestionKind;
    use crate::rules::time::to_local;

    struct RunInfo {
        run: (i32, i32, i32, Option<i32>),
        sessions: Vec<(i32, DateTime<Utc>)>,
    }

    /// Computes the figures of a selection at `now`.
    pub async fn figures(
        db: &impl ConnectionTrait,
        sel: &Selection,
        now: DateTime<Utc>,
    ) -> Result<Figures, DbErr> {
        // Runs of the schools and courses chosen.
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
        let runs_q = run::Entity::find()
            .select_only()
            .columns([
                run::Column::Id,
                run::Column::CourseId,
                run::Column::SchoolId,
                run::Column::Capacity,
            ])
            .filter(cond.clone());
        // Only sessions that may touch the period: from a year before it (a long run begun
        // earlier) to its end.
        let from_utc = (sel.from - Duration::days(400))
            .and_hms_opt(0, 0, 0)
            .map_or(now, |d| d.and_utc());
        let to_utc = (sel.to + Duration::days(2))
            .and_hms_opt(0, 0, 0)
            .map_or(now, |d| d.and_utc());
        let period_start = (sel.from - Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .map_or(now, |d| d.and_utc());
        let candidate_runs = run::Entity::find()
            .select_only()
            .column(run::Column::Id)
            .filter(cond.clone())
            .into_query();
        let session_rows: Vec<(i32, i32, DateTime<Utc>)> = session::Entity::find()
            .select_only()
            .columns([
                session::Column::Id,
                session::Column::RunId,
                session::Column::StartsAt,
            ])
            .filter(session::Column::Cancelled.eq(false))
            .filter(session::Column::StartsAt.gte(from_utc))
            .filter(session::Column::StartsAt.lt(to_utc))
            .filter(session::Column::RunId.in_subquery(candidate_runs))
            .into_tuple()
            .all(db)
            .await?;
        let runs: Vec<(i32, i32, i32, Option<i32>)> = runs_q
            .filter(run::Column::Id.is_in(session_rows.iter().map(|s| s.1).collect::<HashSet<_>>()))
            .into_tuple()
            .all(db)
            .await?;
        let mut info: BTreeMap<i32, RunInfo> = runs
            .into_iter()
            .map(|r| {
                (
                    r.0,
                    RunInfo {
                        run: r,
                        sessions: Vec::new(),
                    },
                )
            })
            .collect();
        for (id, run_id, starts) in &session_rows {
            if let Some(r) = info.get_mut(run_id) {
                r.sessions.push((*id, *starts));
            }
        }
        let in_period = |t: DateTime<Utc>| {
            let d = to_local(t).date();
            d >= sel.from && d <= sel.to
        };
        // Runs of the period: their first session begins in it.
        for r in info.values_mut() {
            r.sessions.sort_by_key(|s| s.1);
        }
        let period_runs: Vec<&RunInfo> = info
            .values()
            .filter(|r| r.sessions.first().is_some_and(|s| in_period(s.1)))
            .collect();
        let period_run_ids: Vec<i32> = period_runs.iter().map(|r| r.run.0).collect();
        // Sessions held in the period (of any run chosen), and all sessions of the period's
        // runs (for completion).
        let mut wanted_sessions: HashSet<i32> = session_rows
            .iter()
            .filter(|s| in_period(s.2) && s.2 <= now)
            .map(|s| s.0)
            .collect();
        for r in &period_runs {
            wanted_sessions.extend(r.sessions.iter().map(|s| s.0));
        }
        // Sessions after `to_utc` of runs of the period (spanning its end).
        let later: Vec<(i32, i32, DateTime<Utc>)> = if period_run_ids.is_empty() {
            Vec::new()
        } else {
            session::Entity::find()
                .select_only()
                .columns([
                    session::Column::Id,
                    session::Column::RunId,
                    session::Column::StartsAt,
                ])
                .filter(session::Column::Cancelled.eq(false))
                .filter(session::Column::StartsAt.gte(to_utc))
                .filter(session::Column::RunId.is_in(period_run_ids.clone()))
                .into_tuple()
                .all(db)
                .await?
        };
        let mut all_sessions_of: HashMap<i32, Vec<(i32, DateTime<Utc>)>> = period_runs
            .iter()
            .map(|r| (r.run.0, r.sessions.clone()))
            .collect();
        let mut upper = to_utc;
        for (id, run_id, starts) in later {
            upper = upper.max(starts + Duration::seconds(1));
            wanted_sessions.insert(id);
            all_sessions_of
                .entry(run_id)
                .or_default()
                .push((id, starts));
        }

        let courses: HashMap<i32, (String, CourseFormat)> = course::Entity::find()
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
            .map(|(id, t, f)| (id, (t, f)))
            .collect();
        let schools: HashMap<i32, String> = school::Entity::find()
            .select_only()
            .columns([school::Column::Id, school::Column::Name])
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let is_drop_in = |run_id: i32| {
            info.get(&run_id)
                .and_then(|r| courses.get(&r.run.1))
                .is_some_and(|c| c.1 == CourseFormat::DropIn)
        };

        type BookingRow = (
            i32,
            i32,
            BookingStatus,
            Option<i32>,
            String,
            Option<Perspective>,
            Option<String>,
            String,
        );
        let bookings: Vec<BookingRow> = if period_run_ids.is_empty() {
            Vec::new()
        } else {
            booking::Entity::find()
                .select_only()
                .columns([
                    booking::Column::Id,
                    booking::Column::RunId,
                    booking::Column::Status,
                    booking::Column::QueueNo,
                    booking::Column::EmailKey,
                    booking::Column::Perspective,
                    booking::Column::Municipality,
                    booking::Column::Source,
                ])
                .filter(booking::Column::RunId.is_in(period_run_ids.clone()))
                .into_tuple()
                .all(db)
                .await?
        };
        let attendance_rows: Vec<(i32, i32, AttendanceStatus)> = if wanted_sessions.is_empty() {
            Vec::new()
        } else {
            attendance::Entity::find()
                .select_only()
                .columns([
                    attendance::Column::SessionId,
                    attendance::Column::BookingId,
                    attendance::Column::Status,
                ])
                // The sessions from the period's first day on (runs of the period begin in
                // it) to the last of its runs' sessions, as a subquery rather than a list.
                .filter(
                    attendance::Column::SessionId.in_subquery(
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
                    ),
                )
                .into_tuple::<(i32, i32, AttendanceStatus)>()
                .all(db)
                .await?
                .into_iter()
                .filter(|a| wanted_sessions.contains(&a.0))
                .collect()
        };

        let mut f = Figures {
            runs: u32::try_from(period_runs.len()).unwrap_or(u32::MAX),
            ..Figures::default()
        };

        // Sign-ups, seats, unmet demand, afbud for the whole run.
        let mut sign_ups = 0u64;
        let mut seats_total = 0u64;
        let mut unmet_total = 0u64;
        let mut afbud_whole = 0u64;
        let mut seat_holders = 0u64;
        let mut seats_by_run: HashMap<i32, u64> = HashMap::new();
        let mut unmet_by_run: HashMap<i32, u64> = HashMap::new();
        let mut people_runs: HashMap<&str, HashSet<i32>> = HashMap::new();
        let mut perspectives: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut municipalities: BTreeMap<String, u64> = BTreeMap::new();
        for b in &bookings {
            let (_, run_id, status, queue_no, email_key, perspective, municipality, source) = b;
            let walk_in = source == crate::rules::vocabulary::source::WALK_IN;
            if !walk_in && *status != BookingStatus::Expired {
                sign_ups += 1;
            }
            match status {
                BookingStatus::Confirmed => {
                    seats_total += 1;
                    seat_holders += 1;
                    *seats_by_run.entry(*run_id).or_default() += 1;
                    if !walk_in {
                        people_runs
                            .entry(email_key.as_str())
                            .or_default()
                            .insert(*run_id);
                    }
                    let p = match perspective {
                        Some(Perspective::OwnExperience) => "own_experience",
                        Some(Perspective::Relative) => "relative",
                        Some(Perspective::Professional) => "professional",
                        Some(Perspective::Other) => "other",
                        _ => "undisclosed",
                    };
                    *perspectives.entry(p).or_default() += 1;
                    *municipalities
                        .entry(municipality.clone().unwrap_or_default())
                        .or_default() += 1;
                }
                BookingStatus::Cancelled if queue_no.is_none() => {
                    afbud_whole += 1;
                    seat_holders += 1;
                }
                BookingStatus::Waitlisted
                | BookingStatus::Offered
                | BookingStatus::Expired
                | BookingStatus::Cancelled => {
                    if queue_no.is_some() {
                        unmet_total += 1;
                        *unmet_by_run.entry(*run_id).or_default() += 1;
                    }
                }
            }
        }
        f.sign_ups = Cell::people(sign_ups);
        f.seats = Cell::people(seats_total);
        f.unmet = Cell::people(unmet_total);
        f.afbud_rate = Cell::share(afbud_whole, seat_holders);
        f.participants = Cell::people(people_runs.len() as u64);
        f.repeat = Cell::people(people_runs.values().filter(|r| r.len() > 1).count() as u64);
        let capacity_of = |r: &RunInfo| r.run.3.and_then(|c| u64::try_from(c).ok());
        let with_capacity: Vec<&&RunInfo> = period_runs
            .iter()
            .filter(|r| capacity_of(r).is_some() && !is_drop_in(r.run.0))
            .collect();
        f.capacity = with_capacity.iter().filter_map(|r| capacity_of(r)).sum();
        let seats_in_capped: u64 = with_capacity
            .iter()
            .map(|r| seats_by_run.get(&r.run.0).copied().unwrap_or(0))
            .sum();
        f.fill = Cell::share(seats_in_capped.min(f.capacity), f.capacity);

        // Attendance per session held in the period.
        let mut by_session: HashMap<i32, (u64, u64, u64, u64)> = HashMap::new();
        for (s, _, status) in &attendance_rows {
            let e = by_session.entry(*s).or_default();
            match status {
                st if st.attended() => e.0 += 1,
                AttendanceStatus::Absent => e.1 += 1,
                _ => e.2 += 1,
            }
            e.3 += 1;
        }
        let held: Vec<&(i32, i32, DateTime<Utc>)> = session_rows
            .iter()
            .filter(|s| in_period(s.2) && s.2 <= now && info.contains_key(&s.1))
            .collect();
        f.sessions = u32::try_from(held.len()).unwrap_or(u32::MAX);
        let (mut present, mut absent, mut afbud, mut recorded) = (0u64, 0u64, 0u64, 0u64);
        let monthly = (sel.to - sel.from).num_days() > 120;
        f.monthly = monthly;
        // Per period: sessions, people there (marks and heads), came among marks, marks.
        let mut periods: BTreeMap<NaiveDate, (u32, u64, u64, u64)> = BTreeMap::new();
        let heads: HashMap<i32, (i32, [Option<i32>; 4])> = {
            let drop_in_sessions: Vec<i32> = held
                .iter()
                .filter(|s| is_drop_in(s.1))
                .map(|s| s.0)
                .collect();
            if drop_in_sessions.is_empty() {
                HashMap::new()
            } else {
                headcount::Entity::find()
                    .filter(headcount::Column::SessionId.is_in(drop_in_sessions))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|h| {
                        (
                            h.session_id,
                            (
                                h.total,
                                [h.own_experience, h.relative, h.professional, h.other],
                            ),
                        )
                    })
                    .collect()
            }
        };
        let mut drop_in_heads = 0u64;
        for s in &held {
            let day = to_local(s.2).date();
            let key = if monthly {
                day.with_day(1).unwrap_or(day)
            } else {
                day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
            };
            let p = periods.entry(key).or_default();
            p.0 += 1;
            if is_drop_in(s.1) {
                f.drop_in_sessions += 1;
                if let Some((total, parts)) = heads.get(&s.0) {
                    let total = u64::try_from(*total).unwrap_or(0);
                    drop_in_heads += total;
                    p.1 += total;
                    for (slug, n) in ["own_experience", "relative", "professional", "other"]
                        .into_iter()
                        .zip(parts)
                    {
                        if let Some(n) = n.and_then(|n| u64::try_from(n).ok()) {
                            *perspectives.entry(slug).or_default() += n;
                        }
                    }
                }
                continue;
            }
            if let Some((pr, ab, af, all)) = by_session.get(&s.0) {
                let r = info.get(&s.1).map(|r| r.run);
                f.by_session.push(SessionRow {
                    starts: to_local(s.2),
                    course: r
                        .and_then(|r| courses.get(&r.1))
                        .map(|c| c.0.clone())
                        .unwrap_or_default(),
                    school: r
                        .and_then(|r| schools.get(&r.2))
                        .cloned()
                        .unwrap_or_default(),
                    marked: Cell::people(*all),
                    present: Cell::people(*pr),
                    rate: Cell::share(*pr, *all),
                });
                present += pr;
                absent += ab;
                afbud += af;
                recorded += all;
                p.1 += pr;
                p.2 += pr;
                p.3 += all;
            }
        }
        f.drop_in_heads = Cell::people(drop_in_heads);
        f.by_session
            .sort_by(|a, b| a.starts.cmp(&b.starts).then(a.course.cmp(&b.course)));
        f.attendance_rate = Cell::share(present, recorded);
        f.no_show_rate = Cell::share(absent, recorded);
        f.session_afbud_rate = Cell::share(afbud, recorded);
        f.by_period = periods
            .into_iter()
            .map(|(starts, (sessions, there, came, marks))| PeriodRow {
                starts,
                sessions,
                present: Cell::people(there),
                // Heads at a drop-in have no rate.
                rate: Cell::share(came, marks),
            })
            .collect();

        // Completion per run of the period.
        let mut attended_by: HashMap<(i32, i32), u32> = HashMap::new();
        let mut run_of_session: HashMap<i32, i32> = HashMap::new();
        for (run_id, ss) in &all_sessions_of {
            for (id, _) in ss {
                run_of_session.insert(*id, *run_id);
            }
        }
        let mut taken: HashSet<i32> = HashSet::new();
        for (s, b, status) in &attendance_rows {
            if let Some(run_id) = run_of_session.get(s) {
                taken.insert(*run_id);
                if status.attended() {
                    *attended_by.entry((*run_id, *b)).or_default() += 1;
                }
            }
        }
        let mut completed_total = 0u64;
        let mut completion_whole = 0u64;
        let mut run_completion: HashMap<i32, (u64, u64)> = HashMap::new();
        for b in &bookings {
            if b.2 != BookingStatus::Confirmed || !taken.contains(&b.1) {
                continue;
            }
            let held_n = all_sessions_of
                .get(&b.1)
                .map_or(0, |ss| ss.iter().filter(|s| s.1 <= now).count());
            let needed = u32::try_from(held_n.div_ceil(2)).unwrap_or(u32::MAX);
            let came = attended_by.get(&(b.1, b.0)).copied().unwrap_or(0);
            let e = run_completion.entry(b.1).or_default();
            e.1 += 1;
            completion_whole += 1;
            if came >= needed.max(1) {
                e.0 += 1;
                completed_total += 1;
            }
        }
        f.completion = Cell::share(completed_total, completion_whole);

        // Evaluations.
        let responses: Vec<(String, i32)> = if period_run_ids.is_empty() {
            Vec::new()
        } else {
            evaluation_response::Entity::find()
                .select_only()
                .columns([
                    evaluation_response::Column::Id,
                    evaluation_response::Column::RunId,
                ])
                .filter(evaluation_response::Column::RunId.is_in(period_run_ids.clone()))
                .into_tuple()
                .all(db)
                .await?
        };
        let mut responses_by_run: HashMap<i32, u64> = HashMap::new();
        for (_, r) in &responses {
            *responses_by_run.entry(*r).or_default() += 1;
        }
        let n_responses = responses.len() as u64;
        f.responses = Cell::people(n_responses);
        if n_responses > 0 {
            let answers: Vec<(i32, Option<i32>, Option<String>)> =
                evaluation_answer::Entity::find()
                    .select_only()
                    .columns([
                        evaluation_answer::Column::QuestionId,
                        evaluation_answer::Column::Value,
                        evaluation_answer::Column::Text,
                    ])
                    .filter(
                        evaluation_answer::Column::ResponseId.in_subquery(
                            evaluation_response::Entity::find()
                                .select_only()
                                .column(evaluation_response::Column::Id)
                                .filter(
                                    evaluation_response::Column::RunId
                                        .is_in(period_run_ids.clone()),
                                )
                                .into_query(),
                        ),
                    )
                    .into_tuple()
                    .all(db)
                    .await?;
            let mut questions = evaluation_question::Entity::find()
                .filter(
                    evaluation_question::Column::Id
                        .is_in(answers.iter().map(|a| a.0).collect::<HashSet<_>>()),
                )
                .all(db)
                .await?;
            questions.sort_by_key(|q| (q.kind == "text", q.course_id.is_some(), q.position, q.id));
            for q in questions {
                let Some(kind) = QuestionKind::from_slug(&q.kind) else {
                    continue;
                };
                let mine: Vec<&(i32, Option<i32>, Option<String>)> =
                    answers.iter().filter(|a| a.0 == q.id).collect();
                if kind == QuestionKind::Text {
                    if n_responses >= MIN_GROUP {
                        let mut texts: Vec<String> =
                            mine.iter().filter_map(|a| a.2.clone()).collect();
                        texts.sort();
                        if !texts.is_empty() {
                            f.free_texts
                                .push((q.code.clone().unwrap_or(q.text.clone()), texts));
                        }
                    }
                    f.questions.push(QuestionRow {
                        code: q.code,
                        text: q.text,
                        kind: kind.slug().into(),
                        counts: Vec::new(),
                        answered: Cell::people(mine.len() as u64),
                        mean: Cell::Empty,
                    });
                    continue;
                }
                let counts: Vec<Cell> = kind
                    .values()
                    .iter()
                    .map(|v| Cell::people(mine.iter().filter(|a| a.1 == Some(*v)).count() as u64))
                    .collect();
                let scored: Vec<u64> = mine
                    .iter()
                    .filter_map(|a| a.1)
                    .filter(|v| *v > 0)
                    .filter_map(|v| u64::try_from(v).ok())
                    .collect();
                f.questions.push(QuestionRow {
                    code: q.code,
                    text: q.text,
                    kind: kind.slug().into(),
                    counts,
                    answered: Cell::people(mine.len() as u64),
                    mean: Cell::mean(scored.iter().sum(), scored.len() as u64),
                });
            }
        }

        // Per run and per course.
        let mut by_course: BTreeMap<String, (u32, u64, u64, u64, u64)> = BTreeMap::new();
        for r in &period_runs {
            let (id, course_id, school_id, capacity) = r.run;
            let title = courses
                .get(&course_id)
                .map(|c| c.0.clone())
                .unwrap_or_default();
            let seats = seats_by_run.get(&id).copied().unwrap_or(0);
            let unmet = unmet_by_run.get(&id).copied().unwrap_or(0);
            let cap = capacity.and_then(|c| u64::try_from(c).ok());
            let (mut pr, mut all) = (0u64, 0u64);
            for (sid, _) in all_sessions_of.get(&id).into_iter().flatten() {
                if let Some(e) = by_session.get(sid) {
                    pr += e.0;
                    all += e.3;
                }
            }
            let (done, whole) = run_completion.get(&id).copied().unwrap_or((0, 0));
            let sessions = all_sessions_of.get(&id).map_or(0, Vec::len);
            f.by_run.push(RunRow {
                run_id: id,
                course: title.clone(),
                school: schools.get(&school_id).cloned().unwrap_or_default(),
                starts: r
                    .sessions
                    .first()
                    .map(|s| to_local(s.1).date())
                    .unwrap_or(sel.from),
                sessions: u32::try_from(sessions).unwrap_or(u32::MAX),
                capacity: cap.and_then(|c| u32::try_from(c).ok()),
                seats: Cell::people(seats),
                fill: cap.map_or(Cell::Empty, |c| Cell::share(seats.min(c), c)),
                unmet: Cell::people(unmet),
                attendance: Cell::share(pr, all),
                completion: Cell::share(done, whole),
                responses: Cell::people(responses_by_run.get(&id).copied().unwrap_or(0)),
            });
            let e = by_course.entry(title).or_default();
            e.0 += 1;
            if let Some(c) = cap {
                e.1 += c;
                e.4 += seats.min(c);
            }
            e.2 += seats;
            e.3 += unmet;
        }
        f.by_run
            .sort_by(|a, b| a.starts.cmp(&b.starts).then(a.course.cmp(&b.course)));
        f.by_course = by_course
            .into_iter()
            .map(
                |(course, (runs, capacity, seats, unmet, capped_seats))| CourseRow {
                    course,
                    runs,
                    capacity,
                    seats: Cell::people(seats),
                    fill: Cell::share(capped_seats, capacity),
                    unmet: Cell::people(unmet),
                },
            )
            .collect();
        f.perspectives = [
            "own_experience",
            "relative",
            "professional",
            "other",
            "undisclosed",
        ]
        .into_iter()
        .map(|p| {
            (
                p.to_string(),
                Cell::people(perspectives.get(p).copied().unwrap_or(0)),
            )
        })
        .collect();
        let not_given = municipalities.remove("").unwrap_or(0);
        let mut m: Vec<(String, u64)> = municipalities.into_iter().collect();
        m.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.municipalities = m
            .into_iter()
            .map(|(name, n)| (name, Cell::people(n)))
            .chain((not_given > 0).then(|| (String::new(), Cell::people(not_given))))
            .collect();
        Ok(f)
    }
}
