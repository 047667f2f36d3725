//! The staff home page: a teacher's next sessions and open tasks; for coordinators, management
//! and administrators the school's runs this term with fill, waiting list and warnings.

#[allow(unused_imports)]
use crate::dto::staff::home::*;
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "personale_forside")]
pub async fn staff_home() -> Result<HomeDto, AppError> {
    use crate::rules::access::{Action, Role};
    use crate::rules::time::to_local;
    use entity::{run, session};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let me = crate::services::staff::guard::me_dto(&ctx).await?;
    let g = &ctx.me.grants;
    let today = to_local(ctx.now).date();
    let crate::rules::time::TermSpan {
        term,
        year,
        from,
        to,
    } = crate::rules::time::term_of(today);

    // The teacher's own runs: where one of their profiles is on the team.
    let own_run_ids = crate::services::staff::overview::own_runs(db, &ctx.me.teacher_ids).await?;
    let own_rows = crate::services::staff::overview::rows(
        db,
        g,
        &ctx.me.teacher_ids,
        crate::services::staff::overview::Scope::Runs(&own_run_ids),
    )
    .await?;
    let tasks: Vec<RunRowDto> = own_rows
        .iter()
        .filter(|r| r.state != RunState::Cancelled && !r.warnings.is_empty())
        .filter(|r| r.last.is_none_or(|l| l.date() >= today))
        .cloned()
        .collect();

    let mut next_sessions = Vec::new();
    if !own_run_ids.is_empty() {
        let sessions = session::Entity::find()
            .filter(session::Column::RunId.is_in(own_run_ids.iter().copied()))
            .filter(session::Column::Cancelled.eq(false))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await?;
        let runs = run::Entity::find()
            .filter(run::Column::Id.is_in(own_run_ids.iter().copied()))
            .filter(run::Column::Status.ne(entity::RunStatus::Cancelled))
            .all(db)
            .await?;
        let places = crate::services::staff::overview::places(db).await?;
        for s in sessions.iter().filter(|s| s.ends_at > ctx.now) {
            let Some(r) = runs.iter().find(|r| r.id == s.run_id) else {
                continue;
            };
            let Some(row) = own_rows.iter().find(|row| row.id == r.id) else {
                continue;
            };
            let of_run: Vec<&session::Model> =
                sessions.iter().filter(|x| x.run_id == r.id).collect();
            let number = of_run.iter().position(|x| x.id == s.id).unwrap_or(0) + 1;
            next_sessions.push(MySessionDto {
                run_id: r.id,
                session_id: s.id,
                attendance_open: crate::rules::attendance::is_open(s.starts_at, ctx.now),
                course_title: row.course_title.clone(),
                school_name: row.school_name.clone(),
                starts: to_local(s.starts_at),
                ends: to_local(s.ends_at),
                number: u32::try_from(number).unwrap_or(0),
                of: u32::try_from(of_run.len()).unwrap_or(0),
                place: s
                    .location_id
                    .or(r.location_id)
                    .and_then(|id| places.get(&id).cloned())
                    .or_else(|| s.online_url.as_ref().map(|_| "Online".to_string())),
                confirmed: row.confirmed,
            });
            if next_sessions.len() >= 8 {
                break;
            }
        }
    }

    // Schools the person oversees: coordinators, management, administrators.
    let overseen: Vec<(i32, String)> = me
        .schools
        .iter()
        .filter(|(id, _)| g.admin || g.has(*id, Role::Coordinator) || g.has(*id, Role::Management))
        .cloned()
        .collect();
    let mut schools = Vec::new();
    for (id, name) in overseen {
        let runs = crate::services::staff::overview::rows(
            db,
            g,
            &ctx.me.teacher_ids,
            crate::services::staff::overview::Scope::SchoolTerm {
                school: id,
                from,
                to,
            },
        )
        .await?;
        schools.push(SchoolOverviewDto {
            id,
            name,
            runs,
            may_create: g.may(Action::CreateRun {
                school: id,
                own_course: false,
            }),
        });
    }
    Ok(HomeDto {
        me,
        term: (term, year),
        next_sessions,
        tasks,
        schools,
    })
}
