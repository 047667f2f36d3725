//! The part of the API that needs a school's key: its rosters, attendance, bookings and
//! figures, and (with a write key) recording attendance. A key reaches its own school only; a
//! run or session of another school is answered as if it did not exist.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use entity::{AttendanceStatus, run, school};
use sea_orm::ActiveEnum;
use utoipa::IntoParams;

use super::cache;
use super::model::*;
use super::problem::Problem;
use super::query::{Params, id};
use crate::rules::time::to_local;
use crate::services::api_keys::{Client, authenticate};
use crate::services::school_data;
use crate::services::state::AppState;

type Pairs = Query<Vec<(String, String)>>;

/// Checks the key and that it belongs to the school in the path.
async fn school_for(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Client, school::Model), Problem> {
    let key = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    let client = authenticate(&state.db, key, Utc::now())
        .await?
        .ok_or_else(Problem::unauthorized)?;
    let s = school_data::school(&state.db, slug)
        .await?
        .ok_or_else(Problem::not_found)?;
    if !client.owns(s.id) {
        return Err(Problem::forbidden_school());
    }
    Ok((client, s))
}

/// A run of the school, or 404.
async fn run_of(
    state: &AppState,
    school: &school::Model,
    run_id: &str,
) -> Result<run::Model, Problem> {
    school_data::run(&state.db, school.id, id(run_id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

fn offset(t: chrono::DateTime<Utc>) -> chrono::DateTime<chrono::FixedOffset> {
    crate::rules::time::in_copenhagen(t)
}

/// A run's participants: everyone with a seat, an open offer or a place in the queue.
#[utoipa::path(
    get, path = "/api/v1/schools/{slug}/runs/{id}/roster", tag = "Skolens data",
    security(("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The school's slug.", example = "randers"),
        ("id" = i32, Path, description = "The run's id.", minimum = 1),
    ),
    responses(
        (status = 200, description = "The run's list, seats first, then the queue in order.", body = Roster),
        (status = 401, description = "No valid key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key is another school's.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run at the school.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn roster(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, run_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (_, school) = school_for(&state, &headers, &slug).await?;
    let r = run_of(&state, &school, &run_id).await?;
    let (title, bookings) = school_data::roster(&state.db, &r).await?;
    let entries = bookings
        .iter()
        .map(|(b, queue_position)| RosterEntry {
            booking_id: b.id,
            name: b.name.clone(),
            email: b.email.clone(),
            phone: b.phone.clone(),
            status: b.status.to_value(),
            queue_position: *queue_position,
            source: b.source.clone(),
            booked_at: offset(b.created_at),
        })
        .collect();
    Ok(cache::private(
        StatusCode::OK,
        &Roster {
            run_id: r.id,
            course_title: title,
            capacity: r.capacity,
            entries,
        },
    ))
}

/// Attendance at every session of a run.
#[utoipa::path(
    get, path = "/api/v1/schools/{slug}/runs/{id}/attendance", tag = "Skolens data",
    security(("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The school's slug.", example = "randers"),
        ("id" = i32, Path, description = "The run's id.", minimum = 1),
    ),
    responses(
        (status = 200, description = "Marks per session; drop-in sessions have a headcount instead.", body = RunAttendance),
        (status = 401, description = "No valid key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key is another school's.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run at the school.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run_attendance(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, run_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (_, school) = school_for(&state, &headers, &slug).await?;
    let r = run_of(&state, &school, &run_id).await?;
    let mut found = school_data::attendance(&state.db, r.id).await?;
    let sessions = found
        .sessions
        .into_iter()
        .map(|s| SessionAttendance {
            session_id: s.id,
            starts_at: offset(s.starts_at),
            cancelled: s.cancelled,
            marks: found
                .marks
                .remove(&s.id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| Mark {
                    booking_id: a.booking_id,
                    status: a.status.slug().into(),
                })
                .collect(),
            headcount: found.heads.get(&s.id).copied(),
        })
        .collect();
    Ok(cache::private(
        StatusCode::OK,
        &RunAttendance {
            run_id: r.id,
            sessions,
        },
    ))
}

/// Records attendance marks for a session (a write key). Marks already there are corrected;
/// people not named keep what they have.
#[utoipa::path(
    put, path = "/api/v1/schools/{slug}/sessions/{id}/attendance", tag = "Skolens data",
    security(("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The school's slug.", example = "randers"),
        ("id" = i32, Path, description = "The session's id.", minimum = 1),
    ),
    request_body(content = MarksRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The marks are recorded.", body = MarksResult),
        (status = 400, description = "The body is not JSON as described.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key is another school's, or read-only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session at the school.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The session is cancelled or has not begun.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A status is unknown, or a booking is not on the run.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_attendance(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, session_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    let (client, school) = school_for(&state, &headers, &slug).await?;
    if !client.may_write() {
        return Err(Problem::read_only());
    }
    let session_id = id(&session_id)?;
    let s = school_data::session(&state.db, session_id)
        .await?
        .ok_or_else(Problem::not_found)?;
    run_of(&state, &school, &s.run_id.to_string()).await?;
    let request: MarksRequest =
        serde_json::from_slice(&body).map_err(|e| Problem::bad_body(&e.to_string()))?;
    let now = Utc::now();
    if crate::services::attendance::closed_now(&s, now).is_some() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "session_not_open",
            (
                "Der kan ikke registreres fremmøde",
                "Gangen er aflyst eller er ikke begyndt endnu (fremmøde kan tages fra en time før).",
            ),
            (
                "Attendance cannot be recorded",
                "The session is cancelled or has not begun (attendance opens an hour before).",
            ),
        ));
    }
    let on_run = school_data::bookings_on_run(&state.db, s.run_id).await?;
    let mut wanted = Vec::new();
    for m in &request.marks {
        let status = AttendanceStatus::from_slug(&m.status);
        match status {
            Some(st) if on_run.contains(&m.booking_id) => wanted.push((m.booking_id, st)),
            _ => {
                return Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_mark",
                    (
                        "Et fremmøde kan ikke registreres",
                        &format!(
                            "Tilmelding {} er ikke på holdet, eller «{}» er ikke present, late, left_early, absent eller afbud. Intet er gemt.",
                            m.booking_id, m.status
                        ),
                    ),
                    (
                        "A mark cannot be recorded",
                        &format!(
                            "Booking {} is not on the run, or “{}” is not present, late, left_early, absent or afbud. Nothing was stored.",
                            m.booking_id, m.status
                        ),
                    ),
                ));
            }
        }
    }
    let changes = crate::services::attendance::record(&state.db, s.id, &wanted, None, now).await?;
    Ok(cache::private(
        StatusCode::OK,
        &MarksResult {
            session_id: s.id,
            added: u32::try_from(changes.added).unwrap_or(u32::MAX),
            corrected: u32::try_from(changes.corrected.len()).unwrap_or(u32::MAX),
        },
    ))
}

/// Narrowing bookings by when they were made.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PeriodParams {
    /// From this day (Copenhagen time), inclusive.
    from: Option<chrono::NaiveDate>,
    /// To this day, inclusive.
    to: Option<chrono::NaiveDate>,
}

/// The school's bookings, for its own records: every run, every status.
#[utoipa::path(
    get, path = "/api/v1/schools/{slug}/bookings", tag = "Skolens data",
    security(("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The school's slug.", example = "randers"),
        PeriodParams, super::public::PageParams,
    ),
    responses(
        (status = 200, description = "Bookings by id (the order they were made).", body = BookingList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key is another school's.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such school.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn bookings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let (_, school) = school_for(&state, &headers, &slug).await?;
    let p = Params(q);
    let paging = p.paging()?;
    let (from, to) = (p.date("from")?, p.date("to")?);
    let all: Vec<BookingRecord> = school_data::bookings(&state.db, school.id)
        .await?
        .into_iter()
        .filter(|(b, _)| {
            let day = to_local(b.created_at).date();
            from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
        })
        .map(|(b, course_slug)| BookingRecord {
            booking_id: b.id,
            run_id: b.run_id,
            course_slug,
            status: b.status.to_value(),
            name: b.name,
            email: b.email,
            phone: b.phone,
            source: b.source,
            booked_at: offset(b.created_at),
            cancelled_at: b.cancelled_at.map(offset),
        })
        .collect();
    let (items, page) = paging.cut(all);
    Ok(cache::private(StatusCode::OK, &BookingList { items, page }))
}

/// The school's figures for a period, with the dashboard's small-group suppression.
#[utoipa::path(
    get, path = "/api/v1/schools/{slug}/report", tag = "Skolens data",
    security(("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The school's slug.", example = "randers"),
        ("from" = Option<chrono::NaiveDate>, Query, description = "First day (default: the start of this term); counted from the first of its month."),
        ("to" = Option<chrono::NaiveDate>, Query, description = "Last day (default: the end of this term); counted to the end of its month."),
    ),
    responses(
        (status = 200, description = "The figures. Groups of 1–4 people are `suppressed`.", body = Report),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key is another school's.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such school.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let (_, school) = school_for(&state, &headers, &slug).await?;
    let p = Params(q);
    let now = Utc::now();
    let crate::rules::time::TermSpan {
        from: term_from,
        to: term_to,
        ..
    } = crate::rules::time::term_of(to_local(now).date());
    let from = p.date("from")?.unwrap_or(term_from);
    let to = p.date("to")?.unwrap_or(term_to);
    if from > to || (to - from).num_days() > 366 * 10 {
        return Err(Problem::bad_parameter(
            "to",
            "slutdatoen skal ligge efter startdatoen og højst 10 år senere",
            "the end must come after the start, at most 10 years later",
        ));
    }
    // Counted in whole months, as on the report page.
    let (from, to) = crate::rules::reports::whole_months(from, to);
    let f = crate::services::reports::figures(
        &state.db,
        &crate::services::reports::Selection {
            schools: vec![school.id],
            from,
            to,
            course: None,
            format: None,
            theme: None,
            teachers: None,
        },
        now,
    )
    .await?;
    let fig = Figure::from;
    let report = Report {
        school: school.slug.clone(),
        from,
        to,
        runs: f.runs,
        sessions: f.sessions,
        sign_ups: fig(&f.sign_ups),
        participants: fig(&f.participants),
        seats: fig(&f.seats),
        fill: fig(&f.fill),
        unmet: fig(&f.unmet),
        attendance_rate: fig(&f.attendance_rate),
        no_show_rate: fig(&f.no_show_rate),
        completion: fig(&f.completion),
        drop_in_heads: fig(&f.drop_in_heads),
        responses: fig(&f.responses),
        by_run: f
            .by_run
            .iter()
            .map(|r| RunFigures {
                run_id: r.run_id,
                course_title: r.course.clone(),
                starts_on: r.starts,
                sessions: r.sessions,
                capacity: r.capacity,
                seats: fig(&r.seats),
                fill: fig(&r.fill),
                attendance_rate: fig(&r.attendance),
                completion: fig(&r.completion),
                responses: fig(&r.responses),
            })
            .collect(),
    };
    Ok(cache::private(StatusCode::OK, &report))
}
