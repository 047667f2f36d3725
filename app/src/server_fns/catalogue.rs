//! Server functions behind the public catalogue: the run list with filters, the filter choices,
//! the course page and the school pages. All are read-only and public.

#[allow(unused_imports)]
use crate::dto::catalogue::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::dto::catalogue::{
    CatalogueOptions, CourseDetailDto, RunDto, SchoolDetailDto, SchoolDto,
};
use crate::error::AppError;
use crate::rules::catalogue::filter::CatalogueFilter;

/// Upcoming runs that match `filter`, soonest first.
#[server(endpoint = "catalogue_runs", input = Json)]
pub async fn catalogue_runs(filter: CatalogueFilter) -> Result<Vec<RunDto>, AppError> {
    let state = crate::services::request::state()?;
    let filter = filter.sanitized();
    Ok(crate::services::catalogue::matching_runs(&state.db, &filter, chrono::Utc::now()).await?)
}

/// The schools, themes and months the filter form offers.
#[server(endpoint = "filter_choices")]
pub async fn filter_choices() -> Result<CatalogueOptions, AppError> {
    let state = crate::services::request::state()?;
    Ok(crate::services::catalogue::options(&state.db, chrono::Utc::now()).await?)
}

/// A published course with its upcoming runs; `None` when there is no such course.
#[server(endpoint = "course_detail")]
pub async fn course_detail(slug: String) -> Result<Option<CourseDetailDto>, AppError> {
    let state = crate::services::request::state()?;
    Ok(crate::services::catalogue::course(&state.db, &slug, chrono::Utc::now()).await?)
}

/// A school with its places and upcoming runs; `None` when there is no such school.
#[server(endpoint = "school_detail")]
pub async fn school_detail(slug: String) -> Result<Option<SchoolDetailDto>, AppError> {
    let state = crate::services::request::state()?;
    Ok(crate::services::catalogue::school(&state.db, &slug, chrono::Utc::now()).await?)
}

/// All schools, by name.
#[server(endpoint = "school_list")]
pub async fn school_list() -> Result<Vec<SchoolDto>, AppError> {
    let state = crate::services::request::state()?;
    Ok(crate::services::catalogue::schools(&state.db).await?)
}
