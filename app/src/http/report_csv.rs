//! `GET /personale/rapport/csv?tabel=<table>&<selection>`: one table of the report as a
//! CSV file (semicolons and a byte-order mark, as Danish spreadsheets expect), with the
//! same suppression as the page.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

use crate::dto::staff::reports::{CSV_TABLES, ReportDto, ReportQuery};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::rules::reports::Cell;
use crate::services::staff::guard;
use crate::services::staff::reports::load;
use crate::services::state::AppState;
use crate::tr;

pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let ctx = match guard::signed_in_from(state, &headers).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => return Redirect::to("/personale/log-ind").into_response(),
        Err(err) => return refused(&err),
    };
    let table = params.get("tabel").cloned().unwrap_or_default();
    if !CSV_TABLES.contains(&table.as_str()) {
        return (StatusCode::NOT_FOUND, "Den tabel findes ikke.").into_response();
    }
    let query = ReportQuery::from_query(|k| params.get(k).cloned().unwrap_or_default());
    let report = match load(&ctx, query).await {
        Ok(r) => r,
        Err(e) => return refused(&e),
    };
    let body = render(&report, &table, Locale::Da);
    let name = format!("skolebaenk-{table}-{}-{}.csv", report.from, report.to);
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refused(error: &AppError) -> Response {
    match error {
        AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
        AppError::Forbidden => {
            (StatusCode::FORBIDDEN, "Du har ikke adgang til det.").into_response()
        }
        AppError::SignInRequired => Redirect::to("/personale/log-ind").into_response(),
        other => {
            tracing::error!(error = %other, "report export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A field, quoted when needed; a leading `=`, `+`, `-`, `@`, tab or carriage return is
/// defused so a spreadsheet does not read text as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([';', '"', '\n', '\r', '\t']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn line(fields: &[String]) -> String {
    let mut l = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(";");
    l.push_str("\r\n");
    l
}

/// The CSV text of one table.
pub fn render(r: &ReportDto, table: &str, l: Locale) -> String {
    let f = &r.figures;
    let c = |cell: &Cell| cell.text();
    let mut out = String::from("\u{feff}");
    let mut push = |fields: Vec<String>| out.push_str(&line(&fields));
    match table {
        "noegletal" => {
            push(vec![
                tr!(l, "staff.reports.csv.figure"),
                tr!(l, "staff.reports.csv.value"),
            ]);
            for (key, cell) in crate::rules::reports::summary(f) {
                push(vec![tr!(l, key), c(&cell)]);
            }
        }
        "hold" => {
            push(
                [
                    "staff.reports.col.course",
                    "staff.reports.col.school",
                    "staff.reports.col.starts",
                    "staff.reports.col.sessions",
                    "staff.reports.col.capacity",
                    "staff.reports.col.seats",
                    "staff.reports.col.fill",
                    "staff.reports.col.unmet",
                    "staff.reports.col.attendance",
                    "staff.reports.col.completion",
                    "staff.reports.col.responses",
                ]
                .iter()
                .map(|k| tr!(l, k))
                .collect(),
            );
            for row in &f.by_run {
                push(vec![
                    row.course.clone(),
                    row.school.clone(),
                    row.starts.to_string(),
                    row.sessions.to_string(),
                    row.capacity.map(|c| c.to_string()).unwrap_or_default(),
                    c(&row.seats),
                    c(&row.fill),
                    c(&row.unmet),
                    c(&row.attendance),
                    c(&row.completion),
                    c(&row.responses),
                ]);
            }
        }
        "gange" => {
            push(
                [
                    "staff.reports.col.when",
                    "staff.reports.col.course",
                    "staff.reports.col.school",
                    "staff.reports.col.marked",
                    "staff.reports.col.present",
                    "staff.reports.col.attendance",
                ]
                .iter()
                .map(|k| tr!(l, k))
                .collect(),
            );
            for row in &f.by_session {
                push(vec![
                    row.starts.format("%Y-%m-%d %H:%M").to_string(),
                    row.course.clone(),
                    row.school.clone(),
                    c(&row.marked),
                    c(&row.present),
                    c(&row.rate),
                ]);
            }
        }
        "kurser" => {
            push(
                [
                    "staff.reports.col.course",
                    "staff.reports.col.runs",
                    "staff.reports.col.capacity",
                    "staff.reports.col.seats",
                    "staff.reports.col.fill",
                    "staff.reports.col.unmet",
                ]
                .iter()
                .map(|k| tr!(l, k))
                .collect(),
            );
            for row in &f.by_course {
                push(vec![
                    row.course.clone(),
                    row.runs.to_string(),
                    row.capacity.to_string(),
                    c(&row.seats),
                    c(&row.fill),
                    c(&row.unmet),
                ]);
            }
        }
        "fremmoede" => {
            push(
                [
                    if f.monthly {
                        "staff.reports.col.month"
                    } else {
                        "staff.reports.col.week"
                    },
                    "staff.reports.col.sessions",
                    "staff.reports.col.present",
                    "staff.reports.col.attendance",
                ]
                .iter()
                .map(|k| tr!(l, k))
                .collect(),
            );
            for row in &f.by_period {
                push(vec![
                    row.starts.to_string(),
                    row.sessions.to_string(),
                    c(&row.present),
                    c(&row.rate),
                ]);
            }
        }
        "perspektiver" => {
            push(vec![
                tr!(l, "staff.reports.col.perspective"),
                tr!(l, "staff.reports.col.people"),
            ]);
            for (p, cell) in &f.perspectives {
                push(vec![
                    tr!(l, &format!("staff.reports.perspective.{p}")),
                    c(cell),
                ]);
            }
        }
        "kommuner" => {
            push(vec![
                tr!(l, "staff.reports.col.municipality"),
                tr!(l, "staff.reports.col.people"),
            ]);
            for (m, cell) in &f.municipalities {
                let name = if m.is_empty() {
                    tr!(l, "staff.reports.not_given")
                } else {
                    m.clone()
                };
                push(vec![name, c(cell)]);
            }
        }
        _ => {
            push(vec![
                tr!(l, "staff.reports.col.question"),
                tr!(l, "staff.reports.col.answer"),
                tr!(l, "staff.reports.col.people"),
            ]);
            for q in &f.questions {
                let label = crate::rules::reports::question_label(l, q);
                let Some(kind) = crate::rules::evaluation::QuestionKind::from_slug(&q.kind) else {
                    continue;
                };
                if kind == crate::rules::evaluation::QuestionKind::Text {
                    push(vec![
                        label,
                        tr!(l, "staff.reports.answered"),
                        c(&q.answered),
                    ]);
                    continue;
                }
                for (v, cell) in kind.values().iter().zip(&q.counts) {
                    push(vec![label.clone(), tr!(l, &kind.value_key(*v)), c(cell)]);
                }
                push(vec![label, tr!(l, "staff.reports.mean"), c(&q.mean)]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn text_that_looks_like_a_formula_stays_text() {
        for risky in ["=1+1", "+45", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"] {
            let out = field(risky);
            let inner = out.trim_matches('"');
            assert!(inner.starts_with('\''), "{risky:?} became {out:?}");
        }
        assert_eq!(field("Aarhus"), "Aarhus");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("sagde \"hej\""), "\"sagde \"\"hej\"\"\"");
    }
}
