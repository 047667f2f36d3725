//! Loading what a staff member acts on together with their rights on it: a run (editing it, or
//! its list of people), a course, a teacher profile. Each answers 404 when the thing does not
//! exist and 403 when the person may not act on it, as [`guard`](super::guard) does.

use entity::{course, run, run_teacher, teacher};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::guard::{self, Ctx};
use crate::error::AppError;
use crate::rules::access::Action;

/// Whether one of the person's teacher profiles is on the run's team.
pub async fn own_run(ctx: &Ctx, run_id: i32) -> Result<bool, AppError> {
    if ctx.me.teacher_ids.is_empty() {
        return Ok(false);
    }
    Ok(run_teacher::Entity::find()
        .filter(run_teacher::Column::RunId.eq(run_id))
        .filter(run_teacher::Column::TeacherId.is_in(ctx.me.teacher_ids.iter().copied()))
        .count(&ctx.state.db)
        .await?
        > 0)
}

/// Whether one of the person's teacher profiles is among the course's developers.
pub async fn own_course(ctx: &Ctx, course_id: i32) -> Result<bool, AppError> {
    use entity::course_teacher;
    if ctx.me.teacher_ids.is_empty() {
        return Ok(false);
    }
    Ok(course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(course_id))
        .filter(course_teacher::Column::TeacherId.is_in(ctx.me.teacher_ids.iter().copied()))
        .count(&ctx.state.db)
        .await?
        > 0)
}

/// The run, if the person may edit it (404 if it does not exist, 403 if not theirs).
pub async fn editable(ctx: &Ctx, run_id: i32) -> Result<run::Model, AppError> {
    let Some(r) = run::Entity::find_by_id(run_id).one(&ctx.state.db).await? else {
        return guard::not_found();
    };
    let own = own_run(ctx, r.id).await?;
    guard::allow(
        ctx,
        Action::EditRun {
            school: r.school_id,
            own,
        },
    )?;
    Ok(r)
}

/// The run, if the person may see and change who is on it.
pub async fn roster(ctx: &Ctx, run_id: i32) -> Result<run::Model, AppError> {
    let Some(r) = run::Entity::find_by_id(run_id).one(&ctx.state.db).await? else {
        return guard::not_found();
    };
    let own = own_run(ctx, r.id).await?;
    guard::allow(
        ctx,
        Action::Roster {
            school: r.school_id,
            own,
        },
    )?;
    Ok(r)
}

pub async fn course(ctx: &Ctx, course_id: i32) -> Result<course::Model, AppError> {
    match course::Entity::find_by_id(course_id)
        .one(&ctx.state.db)
        .await?
    {
        Some(c) => Ok(c),
        None => guard::not_found(),
    }
}

/// The course, if the person may edit it.
pub async fn editable_course(ctx: &Ctx, course_id: i32) -> Result<course::Model, AppError> {
    let Some(c) = course::Entity::find_by_id(course_id)
        .one(&ctx.state.db)
        .await?
    else {
        return guard::not_found();
    };
    let own = own_course(ctx, c.id).await?;
    guard::allow(
        ctx,
        Action::EditCourse {
            school: c.school_id,
            own,
        },
    )?;
    Ok(c)
}

/// Whether the profile is the signed-in person's own.
pub fn own_profile(ctx: &Ctx, t: &teacher::Model) -> bool {
    t.account_id == Some(ctx.me.account.id)
}

/// The teacher profile, if the person may edit it.
pub async fn editable_profile(ctx: &Ctx, teacher_id: i32) -> Result<teacher::Model, AppError> {
    let Some(t) = teacher::Entity::find_by_id(teacher_id)
        .one(&ctx.state.db)
        .await?
    else {
        return guard::not_found();
    };
    guard::allow(
        ctx,
        Action::EditTeacher {
            school: t.school_id,
            own: own_profile(ctx, &t),
        },
    )?;
    Ok(t)
}
