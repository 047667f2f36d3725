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

/// A school's printable prospectus of one term (`termin`, e.g. `2027-foraar`; empty or unknown:
/// the term of today), grouped by month or theme (`grupper`); `None` when there is no such
/// school.
#[server(endpoint = "school_prospectus")]
pub async fn school_prospectus(
    slug: String,
    termin: String,
    grupper: String,
) -> Result<Option<crate::dto::prospectus::ProspectusDto>, AppError> {
    use crate::dto::prospectus::{
        Grouping, ProspectusDto, ProspectusRun, TermChoice, group, signup_url,
    };
    use crate::rules::time::{Term, TermSpan, local_today, term_of};

    let state = crate::services::request::state()?;
    let now = chrono::Utc::now();
    let current = term_of(local_today(now));
    let term = TermSpan::from_slug(&termin).unwrap_or(current);
    let choice = |t: TermSpan| TermChoice {
        slug: t.slug(),
        spring: t.term == Term::Spring,
        year: t.year,
    };
    let Some((school, runs)) =
        crate::services::catalogue::term_runs(&state.db, &slug, (term.from, term.to), now).await?
    else {
        return Ok(None);
    };
    let grouping = Grouping::from_slug(&grupper);
    let runs = runs
        .into_iter()
        .map(|(run, themes)| ProspectusRun {
            signup_url: signup_url(&state.public_url, &run),
            run,
            themes,
        })
        .collect();
    Ok(Some(ProspectusDto {
        school,
        term: choice(term),
        terms: vec![
            choice(current),
            choice(current.next()),
            choice(current.next().next()),
        ],
        grouping,
        groups: group(runs, grouping),
    }))
}
