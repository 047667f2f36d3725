//! Reports: for koordinatorer and ledelse per school or all their schools, for teachers their
//! own runs. Only figures leave the server, with small groups already suppressed (see
//! `crate::reports`). The same selection gives the page, its charts and the CSV files.

use crate::dto::staff::reports::{ReportDto, ReportQuery};
use leptos::prelude::*;

use crate::error::AppError;

/// The report page's data.
#[server(endpoint = "personale_rapport")]
pub async fn report(query: ReportQuery) -> Result<ReportDto, AppError> {
    use crate::dto::staff::reports::{PAGE_RUNS, PAGE_TEXTS};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let mut r = crate::services::staff::reports::load(&ctx, query).await?;
    // The page lists the latest runs; the CSV file has them all.
    let f = &mut r.figures;
    f.by_session.clear();
    if f.by_run.len() > PAGE_RUNS {
        f.by_run.drain(..f.by_run.len() - PAGE_RUNS);
    }
    for (_, texts) in &mut f.free_texts {
        texts.truncate(PAGE_TEXTS);
    }
    Ok(r)
}
