//! The public, read-only part of the API: schools, places, themes, courses and upcoming runs,
//! exactly as the catalogue lists them. No key needed; answers are cacheable.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use entity::{CourseStatus, course, course_theme, location, school, theme};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use utoipa::IntoParams;

use super::cache;
use super::model::*;
use super::problem::Problem;
use super::query::{Params, id};
use crate::dto::catalogue::SchoolDto;
use crate::rules::catalogue::filter::{CatalogueFilter, MAX_SEARCH_CHARS};
use crate::rules::vocabulary::{Audience, Format};
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

/// The catalogue filter the API's parameters ask for.
fn filter_of(p: &Params) -> Result<CatalogueFilter, Problem> {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(s) = p.slug("school")? {
        pairs.push(("skole", s));
    }
    if let Some(t) = p.slug("theme")? {
        pairs.push(("tema", t));
    }
    if let Some(f) = p.get("format") {
        Format::from_slug(f).ok_or_else(|| {
            Problem::bad_parameter(
                "format",
                "ventede kursus, forloeb, workshop, temadag, oplaeg eller drop-in",
                "expected kursus, forloeb, workshop, temadag, oplaeg or drop-in",
            )
        })?;
        pairs.push(("format", f.into()));
    }
    if let Some(a) = p.get("audience") {
        Audience::from_slug(a).ok_or_else(|| {
            Problem::bad_parameter(
                "audience",
                "ventede alle, egen-erfaring, paarorende, fagpersoner eller unge",
                "expected alle, egen-erfaring, paarorende, fagpersoner or unge",
            )
        })?;
        pairs.push(("for", a.into()));
    }
    if let Some(q) = p.get("q") {
        if q.chars().count() > MAX_SEARCH_CHARS {
            return Err(Problem::bad_parameter(
                "q",
                "højst 100 tegn",
                "at most 100 characters",
            ));
        }
        pairs.push(("q", q.into()));
    }
    if let Some(d) = p.date("from")? {
        pairs.push(("fra", d.format("%Y-%m-%d").to_string()));
    }
    if let Some(d) = p.date("to")? {
        pairs.push(("til", d.format("%Y-%m-%d").to_string()));
    }
    match p.get("mode") {
        None => {}
        Some("online") => pairs.push(("sted", "online".into())),
        Some("in_person") => pairs.push(("sted", "fysisk".into())),
        Some(_) => {
            return Err(Problem::bad_parameter(
                "mode",
                "ventede online eller in_person",
                "expected online or in_person",
            ));
        }
    }
    if p.flag("free_seats")? {
        pairs.push(("ledige", "ja".into()));
    }
    Ok(CatalogueFilter::from_pairs(
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    ))
}

fn school_of(s: school::Model, base: &str) -> School {
    let colour = s.colour.clone();
    School::new(SchoolDto::from(s), colour, base)
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
) -> Response {
    let run = async {
        let paging = Params(q).paging()?;
        let all: Vec<School> = school::Entity::find()
            .order_by_asc(school::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| school_of(s, &state.public_url))
            .collect();
        let (items, page) = paging.cut(all);
        Ok::<_, Problem>(cache::public(&headers, &SchoolList { items, page }))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
) -> Response {
    let run = async {
        let s = school::Entity::find()
            .filter(school::Column::Slug.eq(&slug))
            .one(&state.db)
            .await?
            .ok_or_else(Problem::not_found)?;
        Ok::<_, Problem>(cache::public(&headers, &school_of(s, &state.public_url)))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
) -> Response {
    let run = async {
        let p = Params(q);
        let paging = p.paging()?;
        let only = p.slug("school")?;
        let schools: HashMap<i32, String> = school::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.slug))
            .collect();
        let mut all: Vec<Location> = location::Entity::find()
            .order_by_asc(location::Column::Name)
            .order_by_asc(location::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .filter_map(|l| {
                let school = schools.get(&l.school_id)?.clone();
                Some(Location {
                    id: l.id,
                    school,
                    place: crate::dto::catalogue::PlaceDto::from(l).into(),
                })
            })
            .filter(|l| only.as_ref().is_none_or(|s| *s == l.school))
            .collect();
        all.sort_by(|a, b| a.school.cmp(&b.school));
        let (items, page) = paging.cut(all);
        Ok::<_, Problem>(cache::public(&headers, &LocationList { items, page }))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
) -> Response {
    let run = async {
        let paging = Params(q).paging()?;
        let all: Vec<Theme> = theme::Entity::find()
            .order_by_asc(theme::Column::NameDa)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|t| crate::dto::catalogue::ThemeDto::from(t).into())
            .collect();
        let (items, page) = paging.cut(all);
        Ok::<_, Problem>(cache::public(&headers, &ThemeList { items, page }))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

/// The courses with upcoming runs matching `filter`, in catalogue order of their next run.
async fn courses_matching(
    state: &AppState,
    filter: &CatalogueFilter,
) -> Result<Vec<Course>, Problem> {
    let now = chrono::Utc::now();
    let runs = crate::services::catalogue::matching_runs(&state.db, filter, now).await?;
    let mut order: Vec<String> = Vec::new();
    let mut run_ids: HashMap<String, Vec<i32>> = HashMap::new();
    for r in &runs {
        if !run_ids.contains_key(&r.course_slug) {
            order.push(r.course_slug.clone());
        }
        run_ids.entry(r.course_slug.clone()).or_default().push(r.id);
    }
    let courses: HashMap<String, course::Model> = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::Slug.is_in(order.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.slug.clone(), c))
        .collect();
    let themes: HashMap<i32, String> = theme::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.slug))
        .collect();
    let mut course_themes: HashMap<i32, Vec<String>> = HashMap::new();
    for link in course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.is_in(courses.values().map(|c| c.id)))
        .all(&state.db)
        .await?
    {
        if let Some(slug) = themes.get(&link.theme_id) {
            course_themes
                .entry(link.course_id)
                .or_default()
                .push(slug.clone());
        }
    }
    let schools: HashMap<i32, String> = school::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    Ok(order
        .into_iter()
        .filter_map(|slug| {
            let c = courses.get(&slug)?;
            let mut themes = course_themes.get(&c.id).cloned().unwrap_or_default();
            themes.sort();
            Some(Course {
                url: format!("{}/kurser/{}", state.public_url, c.slug),
                slug: c.slug.clone(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                description: c.description.clone(),
                format: Format::from(c.format).slug().into(),
                audience: Audience::from(c.audience).slug().into(),
                school: schools.get(&c.school_id).cloned().unwrap_or_default(),
                themes,
                runs: run_ids.remove(&slug).unwrap_or_default(),
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
) -> Response {
    let run = async {
        let p = Params(q);
        let paging = p.paging()?;
        let filter = filter_of(&p)?;
        let all = courses_matching(&state, &filter).await?;
        let (items, page) = paging.cut(all);
        Ok::<_, Problem>(cache::public(&headers, &CourseList { items, page }))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
) -> Response {
    let run = async {
        let found = courses_matching(&state, &CatalogueFilter::default())
            .await?
            .into_iter()
            .find(|c| c.slug == slug)
            .ok_or_else(Problem::not_found)?;
        Ok::<_, Problem>(cache::public(&headers, &found))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
pub async fn runs(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Response {
    let run = async {
        let p = Params(q);
        let paging = p.paging()?;
        let filter = filter_of(&p)?;
        let all: Vec<Run> =
            crate::services::catalogue::matching_runs(&state.db, &filter, chrono::Utc::now())
                .await?
                .into_iter()
                .map(|r| Run::new(r, &state.public_url))
                .collect();
        let (items, page) = paging.cut(all);
        Ok::<_, Problem>(cache::public(&headers, &RunList { items, page }))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
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
) -> Response {
    let go = async {
        let run_id = id(&run_id)?;
        let found = crate::services::catalogue::listed_run(&state.db, run_id, chrono::Utc::now())
            .await?
            .ok_or_else(Problem::not_found)?;
        Ok::<_, Problem>(cache::public(&headers, &Run::new(found, &state.public_url)))
    };
    go.await.unwrap_or_else(IntoResponse::into_response)
}
