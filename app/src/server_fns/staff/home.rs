//! The staff home page: a teacher's next sessions and open tasks; for coordinators, management
//! and administrators the school's runs this term with fill, waiting list and warnings.

use leptos::prelude::*;

use crate::dto::staff::home::HomeDto;

use crate::error::AppError;

#[server(endpoint = "personale_forside")]
pub async fn staff_home() -> Result<HomeDto, AppError> {
    use crate::dto::staff::home::{RunRowDto, RunState, SchoolOverviewDto};
    use crate::rules::access::{Action, Role};
    use crate::rules::time::to_local;
    use crate::services::staff::{calls, guard, overview};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let me = guard::me_dto(&ctx).await?;
    let g = &ctx.me.grants;
    let today = to_local(ctx.now).date();
    let crate::rules::time::TermSpan {
        term,
        year,
        from,
        to,
    } = crate::rules::time::term_of(today);

    // The teacher's own runs: where one of their profiles is on the team.
    let own_run_ids = overview::own_runs(db, &ctx.me.teacher_ids).await?;
    let own_rows = overview::rows(
        db,
        g,
        &ctx.me.teacher_ids,
        overview::Scope::Runs(&own_run_ids),
    )
    .await?;
    let tasks: Vec<RunRowDto> = own_rows
        .iter()
        .filter(|r| r.state != RunState::Cancelled && !r.warnings.is_empty())
        .filter(|r| r.last.is_none_or(|l| l.date() >= today))
        .cloned()
        .collect();

    let next_sessions = overview::next_sessions(db, &own_run_ids, &own_rows, ctx.now).await?;

    // Schools the person oversees: coordinators, management, administrators.
    let overseen: Vec<(i32, String)> = me
        .schools
        .iter()
        .filter(|(id, _)| g.admin || g.has(*id, Role::Coordinator) || g.has(*id, Role::Management))
        .cloned()
        .collect();
    let mut schools = Vec::new();
    for (id, name) in overseen {
        let runs = overview::rows(
            db,
            g,
            &ctx.me.teacher_ids,
            overview::Scope::SchoolTerm {
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
    // Calls to people without e-mail: on the person's own runs and their schools as koordinator.
    let coordinated: Vec<i32> = me
        .schools
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| g.has(*id, Role::Coordinator))
        .collect();
    let calls = calls::open(
        db,
        calls::Scope {
            runs: &own_run_ids,
            schools: &coordinated,
        },
    )
    .await?;
    Ok(HomeDto {
        me,
        term: (term, year),
        next_sessions,
        tasks,
        calls,
        schools,
    })
}
