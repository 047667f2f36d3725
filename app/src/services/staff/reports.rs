//! The report page's selection and figures, for the page and its CSV files alike.

use crate::dto::staff::reports::{ReportDto, ReportQuery};
use crate::error::AppError;
use crate::rules::reports::Cell;
use crate::services::staff::guard::Ctx;

/// The report a staff member asked for: the schools they may see (or, for a teacher without a
/// reporting role, their own runs), the selection read from the query (the current term when it
/// cannot be read, with the reason), and the figures.
pub async fn load(ctx: &Ctx, query: ReportQuery) -> Result<ReportDto, AppError> {
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
    // Counted in whole months, so that two periods a few days apart tell nothing new.
    let (from, to) = crate::rules::reports::whole_months(from, to);
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
    // "Giv mig besked": how many wait per course of the schools chosen (now, not per period;
    // none for a teacher who sees only their own runs).
    let chosen_courses: Vec<&course::Model> = courses
        .iter()
        .filter(|c| school_ids.contains(&c.school_id))
        .collect();
    let waiting = if own_runs {
        Default::default()
    } else {
        crate::services::watch::waiting(
            db,
            &chosen_courses.iter().map(|c| c.id).collect::<Vec<_>>(),
        )
        .await?
    };
    let waiting_for_news: Vec<(String, Cell)> = chosen_courses
        .iter()
        .filter_map(|c| {
            waiting
                .get(&c.id)
                .map(|n| (c.title.clone(), Cell::people(*n)))
        })
        .collect();
    let mut chosen = query.clone();
    chosen.fra = from.to_string();
    chosen.til = to.to_string();
    Ok(ReportDto {
        me: crate::services::staff::guard::me_dto(ctx).await?,
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
        waiting_for_news,
    })
}
