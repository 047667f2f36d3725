//! Reports: for koordinatorer and ledelse per school or all their schools, for teachers their
//! own runs. Only figures leave the server, with small groups already suppressed (see
//! `crate::reports`). The same selection gives the page, its charts and the CSV files.

#[allow(unused_imports)]
use crate::dto::staff::reports::*;
use leptos::prelude::*;

use crate::error::AppError;

/// The report page's data.
#[server(endpoint = "personale_rapport")]
pub async fn report(query: ReportQuery) -> Result<ReportDto, AppError> {
    let ctx = crate::services::staff::guard::signed_in().await?;
    let mut r = load(&ctx, query).await?;
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

/// The most runs the page lists (the latest); the CSV file has them all.
pub const PAGE_RUNS: usize = 100;
/// The most free-text answers per question the page shows.
pub const PAGE_TEXTS: usize = 200;

#[cfg(feature = "ssr")]
pub(crate) async fn load(
    ctx: &crate::services::staff::guard::Ctx,
    query: ReportQuery,
) -> Result<ReportDto, AppError> {
    use crate::rules::time::parse_date;
    use crate::rules::time::to_local;
    use crate::services::reports::{Selection, figures};
    let term_of = |d: NaiveDate| {
        let t = crate::rules::time::term_of(d);
        (t.from, t.to)
    };
    use crate::rules::access::{Action, Role};
    use chrono::{Datelike, NaiveDate};
    use entity::{CourseFormat, course, school, theme};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let db = &ctx.state.db;
    let g = &ctx.me.grants;
    let all_schools = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    let reporting: Vec<&school::Model> = all_schools
        .iter()
        .filter(|s| g.may(Action::ViewReports { school: s.id }))
        .collect();
    let own_runs = reporting.is_empty();
    let visible: Vec<&school::Model> = if own_runs {
        let mine = g.schools_as(Role::Teacher);
        if mine.is_empty() || ctx.me.teacher_ids.is_empty() {
            return crate::services::staff::guard::forbidden(ctx, "reports");
        }
        all_schools
            .iter()
            .filter(|s| mine.contains(&s.id))
            .collect()
    } else {
        reporting
    };
    let mut error = None;
    let school_ids: Vec<i32> = match query.skole.trim() {
        "" => visible.iter().map(|s| s.id).collect(),
        v => match v.parse::<i32>() {
            Ok(id) if visible.iter().any(|s| s.id == id) => vec![id],
            Ok(_) => {
                return crate::services::staff::guard::forbidden(ctx, "reports of another school");
            }
            Err(_) => {
                error = Some("skole".to_string());
                visible.iter().map(|s| s.id).collect()
            }
        },
    };
    let today = to_local(ctx.now).date();
    let term = |v: &str| -> Option<(NaiveDate, NaiveDate)> {
        let (y, half) = v.split_once('-')?;
        let y: i32 = y.parse().ok()?;
        let month = match half {
            "1" => 1,
            "2" => 7,
            _ => return None,
        };
        Some(term_of(NaiveDate::from_ymd_opt(y, month, 1)?))
    };
    let (from, to) = match (
        parse_date(&query.fra),
        parse_date(&query.til),
        query.termin.trim(),
    ) {
        (Some(f), Some(t), _) if f <= t && (t - f).num_days() <= 366 * 6 => (f, t),
        (Some(_), Some(_), _) => {
            error = Some("datoer".into());
            term_of(today)
        }
        (_, _, "") if query.fra.trim().is_empty() && query.til.trim().is_empty() => term_of(today),
        (_, _, v) if query.fra.trim().is_empty() && query.til.trim().is_empty() => term(v)
            .unwrap_or_else(|| {
                error = Some("termin".into());
                term_of(today)
            }),
        _ => {
            error = Some("datoer".into());
            term_of(today)
        }
    };
    let number = |s: &str| s.trim().parse::<i32>().ok();
    let format = match query.format.trim() {
        "" => None,
        v => {
            use sea_orm::Iterable;
            let found = CourseFormat::iter().find(|f| sea_orm::ActiveEnum::to_value(f) == v);
            if found.is_none() {
                error = Some("format".into());
            }
            found
        }
    };
    let sel = Selection {
        schools: school_ids.clone(),
        from,
        to,
        course: number(&query.kursus),
        format,
        theme: number(&query.tema),
        teachers: own_runs.then(|| ctx.me.teacher_ids.clone()),
    };
    let figures = figures(db, &sel, ctx.now).await?;
    let courses = course::Entity::find()
        .filter(course::Column::SchoolId.is_in(visible.iter().map(|s| s.id)))
        .order_by_asc(course::Column::Title)
        .all(db)
        .await?;
    let themes = theme::Entity::find()
        .order_by_asc(theme::Column::NameDa)
        .all(db)
        .await?;
    let mut terms = Vec::new();
    for y in (today.year() - 4..=today.year()).rev() {
        for half in [2, 1] {
            let (f, _) = term_of(
                NaiveDate::from_ymd_opt(y, if half == 1 { 1 } else { 7 }, 1).unwrap_or(today),
            );
            if f <= today {
                terms.push((format!("{y}-{half}"), format!("{y}-{half}")));
            }
        }
    }
    let mut chosen = query.clone();
    chosen.fra = from.to_string();
    chosen.til = to.to_string();
    Ok(ReportDto {
        me: super::account::me_dto(ctx).await?,
        own_runs,
        schools: visible
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        courses: courses
            .into_iter()
            .map(|c| (c.id.to_string(), c.title))
            .collect(),
        themes: themes
            .into_iter()
            .map(|t| (t.id.to_string(), t.name_da))
            .collect(),
        terms,
        chosen,
        from,
        to,
        error,
        figures,
    })
}

/// The tables a CSV file can hold.
pub const CSV_TABLES: [&str; 8] = [
    "noegletal",
    "hold",
    "gange",
    "kurser",
    "fremmoede",
    "perspektiver",
    "kommuner",
    "evaluering",
];

#[cfg(feature = "ssr")]
pub mod csv {
    //! `GET /personale/rapport/csv?tabel=<table>&<selection>`: one table of the report as a
    //! CSV file (semicolons and a byte-order mark, as Danish spreadsheets expect), with the
    //! same suppression as the page.

    use axum::extract::{Query, State};
    use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
    use axum::response::{IntoResponse, Redirect, Response};
    use std::collections::HashMap;

    use super::{CSV_TABLES, ReportDto, ReportQuery};
    use crate::error::AppError;
    use crate::i18n::Locale;
    use crate::rules::reports::Cell;
    use crate::services::staff::guard;
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
        let report = match super::load(&ctx, query).await {
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

    /// A field, quoted when needed; a leading `=`, `+`, `-` or `@` is defused so a spreadsheet
    /// does not read text as a formula.
    fn field(s: &str) -> String {
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([';', '"', '\n', '\r']) {
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
                    let Some(kind) = crate::rules::evaluation::QuestionKind::from_slug(&q.kind)
                    else {
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
}
