//! The public, read-only part of the API: schools, places, themes, courses and upcoming runs,
//! exactly as the catalogue lists them. No key needed; answers are cacheable.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa::IntoParams;

use super::cache;
use super::model::*;
use super::problem::Problem;
use super::query::{Params, id};
use crate::rules::catalogue::filter::{CatalogueFilter, MAX_SEARCH_CHARS, Mode};
use crate::rules::vocabulary::{Audience, Format};
use crate::services::catalogue;
use crate::services::state::AppState;

type Pairs = Query<Vec<(String, String)>>;

/// Paging of a list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageParams {
    /// Page, from 1.
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Narrowing a list to one school.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SchoolParam {
    /// A school's slug.
    #[param(pattern = "^[a-z0-9-]{1,80}$")]
    school: Option<String>,
}

/// The catalogue's filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RunParams {
    /// A school's slug.
    #[param(pattern = "^[a-z0-9-]{1,80}$")]
    school: Option<String>,
    /// A theme's slug.
    #[param(pattern = "^[a-z0-9-]{1,80}$")]
    theme: Option<String>,
    /// The course format.
    #[param(inline, value_type = Option<String>, pattern = "^(kursus|forloeb|workshop|temadag|oplaeg|drop-in)$")]
    format: Option<String>,
    /// Who the course especially speaks to.
    #[param(value_type = Option<String>, pattern = "^(alle|egen-erfaring|paarorende|fagpersoner|unge)$")]
    audience: Option<String>,
    /// Words that must all appear in the title, summary or description (at most 100 characters).
    #[param(max_length = 100)]
    q: Option<String>,
    /// Only runs with a session on or after this day.
    from: Option<chrono::NaiveDate>,
    /// Only runs with a session on or before this day.
    to: Option<chrono::NaiveDate>,
    /// `online` or `in_person`.
    #[param(value_type = Option<String>, pattern = "^(online|in_person)$")]
    mode: Option<String>,
    /// Only runs a person can still get a seat on (or just come to).
    free_seats: Option<bool>,
}

/// The catalogue filter the API's parameters ask for, read strictly.
fn filter_of(p: &Params) -> Result<CatalogueFilter, Problem> {
    let format = p
        .get("format")
        .map(|f| {
            Format::from_slug(f).ok_or_else(|| {
                Problem::bad_parameter(
                    "format",
                    "ventede kursus, forloeb, workshop, temadag, oplaeg eller drop-in",
                    "expected kursus, forloeb, workshop, temadag, oplaeg or drop-in",
                )
            })
        })
        .transpose()?;
    let audience = p
        .get("audience")
        .map(|a| {
            Audience::from_slug(a).ok_or_else(|| {
                Problem::bad_parameter(
                    "audience",
                    "ventede alle, egen-erfaring, paarorende, fagpersoner eller unge",
                    "expected alle, egen-erfaring, paarorende, fagpersoner or unge",
                )
            })
        })
        .transpose()?;
    let q = p.get("q").map(str::to_string);
    if q.as_ref()
        .is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(Problem::bad_parameter(
            "q",
            "højst 100 tegn",
            "at most 100 characters",
        ));
    }
    let mode = match p.get("mode") {
        None => None,
        Some("online") => Some(Mode::Online),
        Some("in_person") => Some(Mode::Physical),
        Some(_) => {
            return Err(Problem::bad_parameter(
                "mode",
                "ventede online eller in_person",
                "expected online or in_person",
            ));
        }
    };
    Ok(CatalogueFilter {
        q,
        school: p.slug("school")?,
        theme: p.slug("theme")?,
        format,
        audience,
        from: p.date("from")?,
        to: p.date("to")?,
        mode,
        free_seats: p.flag("free_seats")?,
        ..CatalogueFilter::default()
    })
}

/// The schools.
#[utoipa::path(
    get, path = "/api/v1/schools", tag = "Katalog",
    params(PageParams),
    responses(
        (status = 200, description = "The schools, by name.", body = SchoolList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn schools(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let paging = Params(q).paging()?;
    let all: Vec<School> = catalogue::schools_with_colour(&state.db)
        .await?
        .into_iter()
        .map(|(s, colour)| School::new(s, colour, &state.public_url))
        .collect();
    let (items, page) = paging.cut(all);
    Ok(cache::public(&headers, &SchoolList { items, page }))
}

/// One school.
#[utoipa::path(
    get, path = "/api/v1/schools/{slug}", tag = "Katalog",
    params(("slug" = String, Path, description = "The school's slug.", example = "randers")),
    responses(
        (status = 200, description = "The school.", body = School),
        (status = 404, description = "No such school.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn school(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let (s, colour) = catalogue::school_with_colour(&state.db, &slug)
        .await?
        .ok_or_else(Problem::not_found)?;
    Ok(cache::public(
        &headers,
        &School::new(s, colour, &state.public_url),
    ))
}

/// The places schools teach at (not online ones' addresses, which have none).
#[utoipa::path(
    get, path = "/api/v1/locations", tag = "Katalog",
    params(SchoolParam, PageParams),
    responses(
        (status = 200, description = "Places, by school and name.", body = LocationList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn locations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let p = Params(q);
    let paging = p.paging()?;
    let only = p.slug("school")?;
    let all: Vec<Location> = catalogue::places(&state.db)
        .await?
        .into_iter()
        .filter(|(_, school, _)| only.as_ref().is_none_or(|s| s == school))
        .map(|(id, school, place)| Location {
            id,
            school,
            place: place.into(),
        })
        .collect();
    let (items, page) = paging.cut(all);
    Ok(cache::public(&headers, &LocationList { items, page }))
}

/// The themes.
#[utoipa::path(
    get, path = "/api/v1/themes", tag = "Katalog",
    params(PageParams),
    responses(
        (status = 200, description = "Themes, by Danish name.", body = ThemeList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn themes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let paging = Params(q).paging()?;
    let all: Vec<Theme> = catalogue::all_themes(&state.db)
        .await?
        .into_iter()
        .map(Theme::from)
        .collect();
    let (items, page) = paging.cut(all);
    Ok(cache::public(&headers, &ThemeList { items, page }))
}

/// The courses with upcoming runs matching `filter`, in catalogue order of their next run.
async fn courses_matching(
    state: &AppState,
    filter: &CatalogueFilter,
) -> Result<Vec<Course>, Problem> {
    let now = chrono::Utc::now();
    let runs = catalogue::matching_runs(&state.db, filter, now).await?;
    let mut order: Vec<String> = Vec::new();
    let mut run_ids: HashMap<String, Vec<i32>> = HashMap::new();
    for r in &runs {
        if !run_ids.contains_key(&r.course_slug) {
            order.push(r.course_slug.clone());
        }
        run_ids.entry(r.course_slug.clone()).or_default().push(r.id);
    }
    let mut cards = catalogue::course_cards(&state.db, &order).await?;
    Ok(order
        .into_iter()
        .filter_map(|slug| {
            let c = cards.remove(&slug)?;
            Some(Course {
                url: format!("{}/kurser/{}", state.public_url, c.slug),
                runs: run_ids.remove(&slug).unwrap_or_default(),
                format: c.format.slug().into(),
                audience: c.audience.slug().into(),
                school: c.school_slug,
                slug: c.slug,
                title: c.title,
                summary: c.summary,
                description: c.description,
                themes: c.themes,
            })
        })
        .collect())
}

/// Courses with upcoming runs.
#[utoipa::path(
    get, path = "/api/v1/courses", tag = "Katalog",
    params(RunParams, PageParams),
    responses(
        (status = 200, description = "Courses with a run matching the filters, by their next session.", body = CourseList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn courses(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let p = Params(q);
    let paging = p.paging()?;
    let filter = filter_of(&p)?;
    let all = courses_matching(&state, &filter).await?;
    let (items, page) = paging.cut(all);
    Ok(cache::public(&headers, &CourseList { items, page }))
}

/// One course with upcoming runs.
#[utoipa::path(
    get, path = "/api/v1/courses/{slug}", tag = "Katalog",
    params(("slug" = String, Path, description = "The course's slug.")),
    responses(
        (status = 200, description = "The course.", body = Course),
        (status = 404, description = "No such course, or none of its runs is upcoming.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn course(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let found = courses_matching(&state, &CatalogueFilter::default())
        .await?
        .into_iter()
        .find(|c| c.slug == slug)
        .ok_or_else(Problem::not_found)?;
    Ok(cache::public(&headers, &found))
}

/// Upcoming runs, as the catalogue lists them.
#[utoipa::path(
    get, path = "/api/v1/runs", tag = "Katalog",
    params(RunParams, PageParams),
    responses(
        (status = 200, description = "Runs matching the filters, by their next session.", body = RunList),
        (status = 400, description = "A parameter cannot be read.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn runs(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, Problem> {
    let p = Params(q);
    let paging = p.paging()?;
    let filter = filter_of(&p)?;
    let all: Vec<Run> = catalogue::matching_runs(&state.db, &filter, chrono::Utc::now())
        .await?
        .into_iter()
        .map(|r| Run::new(r, &state.public_url))
        .collect();
    let (items, page) = paging.cut(all);
    Ok(cache::public(&headers, &RunList { items, page }))
}

/// One upcoming run.
#[utoipa::path(
    get, path = "/api/v1/runs/{id}", tag = "Katalog",
    params(("id" = i32, Path, description = "The run's id.", minimum = 1)),
    responses(
        (status = 200, description = "The run, with its sessions and seats.", body = Run),
        (status = 404, description = "No such run, or it is not listed (draft, over).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(run_id): Path<String>,
) -> Result<Response, Problem> {
    let run_id = id(&run_id)?;
    let found = catalogue::listed_run(&state.db, run_id, chrono::Utc::now())
        .await?
        .ok_or_else(Problem::not_found)?;
    Ok(cache::public(&headers, &Run::new(found, &state.public_url)))
}
