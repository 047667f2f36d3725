//! Courses in the staff workspace: the list a person may edit, the editor's data, saving the
//! fields and the life cycle (draft → published → archived), themes and developers.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{
    CourseStatus, RunStatus, course, course_teacher, course_theme, run, school, session, teacher,
    theme,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dto::staff::courses::{CourseFields, CourseForm, CourseRow, CourseState};
use crate::dto::staff::runs::TeacherOption;
use crate::rules::access::{Action, Grants};
use crate::rules::vocabulary::{Audience, Format, slug_from};
use crate::services::query::AllInto;
use crate::services::transaction::write;

impl From<CourseStatus> for CourseState {
    fn from(s: CourseStatus) -> Self {
        match s {
            CourseStatus::Draft => CourseState::Draft,
            CourseStatus::Published => CourseState::Published,
            CourseStatus::Archived => CourseState::Archived,
        }
    }
}

/// The courses the person (with `grants` and teacher profiles `teacher_ids`) may edit, by
/// title, with their number of runs.
pub async fn editable(
    db: &DatabaseConnection,
    grants: &Grants,
    teacher_ids: &[i32],
) -> Result<Vec<CourseRow>, DbErr> {
    let names: HashMap<i32, String> = super::schools(db).await?.into_iter().collect();
    let mut runs: HashMap<i32, u32> = HashMap::new();
    for course_id in run::Entity::find()
        .select_only()
        .column(run::Column::CourseId)
        .into_tuple::<i32>()
        .all(db)
        .await?
    {
        *runs.entry(course_id).or_default() += 1;
    }
    // The courses the person develops (their own), in one query.
    let own_courses: HashSet<i32> = if teacher_ids.is_empty() {
        HashSet::new()
    } else {
        course_teacher::Entity::find()
            .filter(course_teacher::Column::TeacherId.is_in(teacher_ids.iter().copied()))
            .all_into(db, |ct| ct.course_id)
            .await?
    };
    Ok(course::Entity::find()
        .order_by_asc(course::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| {
            grants.may(Action::EditCourse {
                school: c.school_id,
                own: own_courses.contains(&c.id),
            })
        })
        .map(|c| CourseRow {
            id: c.id,
            school_name: names.get(&c.school_id).cloned().unwrap_or_default(),
            state: c.status.into(),
            runs: runs.get(&c.id).copied().unwrap_or(0),
            title: c.title,
        })
        .collect())
}

/// A course's fields as its editor shows them, and the ids of its developers.
pub async fn fields(
    db: &DatabaseConnection,
    c: &course::Model,
) -> Result<(CourseFields, Vec<i32>), DbErr> {
    let themes: Vec<i32> = course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.eq(c.id))
        .all_into(db, |t| t.theme_id)
        .await?;
    let developers: Vec<i32> = course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(c.id))
        .all_into(db, |t| t.teacher_id)
        .await?;
    Ok((
        CourseFields {
            school_id: c.school_id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description.clone(),
            expectations: c.expectations.clone(),
            format: Format::from(c.format).slug().to_string(),
            audience: Audience::from(c.audience).slug().to_string(),
            themes,
            image_alt: c.image_alt.clone(),
        },
        developers,
    ))
}

/// The themes a course may be given, by Danish name, as `(id, name)`: those in use, and any
/// retired one the course already has.
pub async fn themes(
    db: &DatabaseConnection,
    course: Option<i32>,
) -> Result<Vec<(i32, String)>, DbErr> {
    let has: HashSet<i32> = match course {
        Some(c) => {
            course_theme::Entity::find()
                .filter(course_theme::Column::CourseId.eq(c))
                .all_into(db, |l| l.theme_id)
                .await?
        }
        None => HashSet::new(),
    };
    Ok(theme::Entity::find()
        .order_by_asc(theme::Column::NameDa)
        .all(db)
        .await?
        .into_iter()
        .filter(|t| !t.retired || has.contains(&t.id))
        .map(|t| (t.id, t.name_da))
        .collect())
}

/// Every teacher profile by name, as a choice (with their school's name).
pub async fn teacher_options(db: &DatabaseConnection) -> Result<Vec<TeacherOption>, DbErr> {
    let names: HashMap<i32, String> = super::schools(db).await?.into_iter().collect();
    Ok(teacher::Entity::find()
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TeacherOption {
            id: t.id,
            kind: t.kind.into(),
            school_name: names.get(&t.school_id).cloned().unwrap_or_default(),
            name: t.name,
        })
        .collect())
}

/// Whether a school exists.
pub async fn school_exists(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    Ok(school::Entity::find_by_id(id).one(db).await?.is_some())
}

/// Published runs of the course that have a session still to come.
pub async fn upcoming_runs(
    db: &DatabaseConnection,
    course_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let runs: Vec<i32> = run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .filter(run::Column::CourseId.eq(course_id))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .into_tuple()
        .all(db)
        .await?;
    if runs.is_empty() {
        return Ok(0);
    }
    session::Entity::find()
        .filter(session::Column::RunId.is_in(runs))
        .filter(session::Column::Cancelled.eq(false))
        .filter(session::Column::EndsAt.gt(now))
        .count(db)
        .await
}

/// Saves a course's fields (a new one at `school`, with a slug of its own) in `status`, and
/// exactly the ticked themes that exist. Returns the course as saved.
pub async fn save(
    db: &DatabaseConnection,
    existing: Option<course::Model>,
    school: i32,
    form: &CourseForm,
    status: CourseStatus,
    now: DateTime<Utc>,
) -> Result<course::Model, DbErr> {
    let format = Format::from_slug(&form.format).unwrap_or(Format::Course);
    let audience = Audience::from_slug(&form.audience).unwrap_or(Audience::Everyone);
    let wanted: Vec<i32> = form
        .themes
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix('t')?.parse().ok())
        .collect();
    let wanted = &wanted;
    let existing = &existing;
    write(db, |txn| async move {
        let saved = match existing.clone() {
            Some(c) => {
                let mut m: course::ActiveModel = c.into();
                m.title = Set(form.title.trim().to_string());
                m.summary = Set(form.summary.trim().to_string());
                m.description = Set(form.description.trim().to_string());
                m.expectations = Set(form.expectations.trim().to_string());
                m.format = Set(format.into());
                m.audience = Set(audience.into());
                m.status = Set(status);
                m.updated_at = Set(now);
                m.update(&txn).await?
            }
            None => {
                let base = slug_from(&form.title);
                let mut slug = base.clone();
                let mut n = 1;
                while course::Entity::find()
                    .filter(course::Column::Slug.eq(slug.as_str()))
                    .count(&txn)
                    .await?
                    > 0
                {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                course::ActiveModel {
                    slug: Set(slug),
                    school_id: Set(school),
                    title: Set(form.title.trim().to_string()),
                    summary: Set(form.summary.trim().to_string()),
                    description: Set(form.description.trim().to_string()),
                    expectations: Set(form.expectations.trim().to_string()),
                    format: Set(format.into()),
                    audience: Set(audience.into()),
                    status: Set(status),
                    image_id: Set(None),
                    image_alt: Set(String::new()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let known: Vec<i32> = theme::Entity::find()
            .filter(theme::Column::Id.is_in(wanted.iter().copied()))
            .all_into(&txn, |t| t.id)
            .await?;
        course_theme::Entity::delete_many()
            .filter(course_theme::Column::CourseId.eq(saved.id))
            .exec(&txn)
            .await?;
        for t in known {
            course_theme::ActiveModel {
                course_id: Set(saved.id),
                theme_id: Set(t),
            }
            .insert(&txn)
            .await?;
        }
        Ok(saved)
    })
    .await
}

/// Whether a teacher profile exists.
pub async fn teacher_exists(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    Ok(teacher::Entity::find_by_id(id).one(db).await?.is_some())
}

/// The kinds of a course's developers (peer, professional, relative), `without` one of them.
pub async fn developer_kinds(
    db: &DatabaseConnection,
    course_id: i32,
    without: Option<i32>,
) -> Result<Vec<crate::rules::vocabulary::TeacherKind>, DbErr> {
    let linked: Vec<i32> = course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(course_id))
        .all_into(db, |l| l.teacher_id)
        .await?;
    let ids: Vec<i32> = linked
        .into_iter()
        .filter(|id| Some(*id) != without)
        .collect();
    teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(ids))
        .all_into(db, |t| t.kind.into())
        .await
}

/// Adds or (with `remove`) takes off one of the course's developers.
pub async fn set_developer(
    db: &DatabaseConnection,
    course_id: i32,
    teacher_id: i32,
    remove: bool,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let existing = course_teacher::Entity::find_by_id((course_id, teacher_id))
            .one(&txn)
            .await?;
        match (remove, existing) {
            (true, Some(_)) => {
                course_teacher::Entity::delete_by_id((course_id, teacher_id))
                    .exec(&txn)
                    .await?;
            }
            (false, None) => {
                course_teacher::ActiveModel {
                    course_id: Set(course_id),
                    teacher_id: Set(teacher_id),
                }
                .insert(&txn)
                .await?;
            }
            _ => {}
        }
        Ok(())
    })
    .await
}
