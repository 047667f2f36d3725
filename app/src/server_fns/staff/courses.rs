//! The course editor: every catalogue field, themes, format and audience, "hvad kan du
//! forvente", the developers, a picture with its alt text, and the life cycle draft →
//! published → archived; a preview shows the course page as the public will see it.

#[allow(unused_imports)]
use crate::dto::staff::courses::*;
#[cfg(feature = "ssr")]
use crate::services::staff::access;
use leptos::prelude::*;

use crate::dto::catalogue::CourseDetailDto;
#[cfg(feature = "ssr")]
use crate::dto::staff::runs::TeacherOption;
use crate::error::AppError;
use crate::rules::vocabulary::{Audience, Format};

#[cfg(feature = "ssr")]
fn state_of(s: entity::CourseStatus) -> CourseState {
    match s {
        entity::CourseStatus::Draft => CourseState::Draft,
        entity::CourseStatus::Published => CourseState::Published,
        entity::CourseStatus::Archived => CourseState::Archived,
    }
}

/// Courses the person may edit.
#[server(endpoint = "personale_kurser")]
pub async fn course_list() -> Result<CourseListDto, AppError> {
    use crate::rules::access::Action;
    use entity::{course, course_teacher, run, school};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::{HashMap, HashSet};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let g = &ctx.me.grants;
    let names: HashMap<i32, String> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
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
    let own_courses: HashSet<i32> = if ctx.me.teacher_ids.is_empty() {
        HashSet::new()
    } else {
        course_teacher::Entity::find()
            .filter(course_teacher::Column::TeacherId.is_in(ctx.me.teacher_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|ct| ct.course_id)
            .collect()
    };
    let mut courses = Vec::new();
    for c in course::Entity::find()
        .order_by_asc(course::Column::Title)
        .all(db)
        .await?
    {
        let own = own_courses.contains(&c.id);
        if !g.may(Action::EditCourse {
            school: c.school_id,
            own,
        }) {
            continue;
        }
        courses.push(CourseRow {
            id: c.id,
            school_name: names.get(&c.school_id).cloned().unwrap_or_default(),
            state: state_of(c.status),
            runs: runs.get(&c.id).copied().unwrap_or(0),
            title: c.title,
        });
    }
    let may_create = names
        .keys()
        .any(|&s| g.may(Action::CreateCourse { school: s }));
    if courses.is_empty() && !may_create {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    Ok(CourseListDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
        courses,
        may_create,
    })
}

/// The editor's data; `id` 0 starts a new course.
#[server(endpoint = "personale_kursus_side")]
pub async fn course_editor(id: i32) -> Result<CourseEditorDto, AppError> {
    use crate::rules::access::Action;
    use entity::{course_teacher, course_theme, school, teacher, theme};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let g = &ctx.me.grants;
    let existing = if id > 0 {
        Some(access::editable_course(&ctx, id).await?)
    } else {
        None
    };
    let all_schools = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = all_schools.iter().map(|s| (s.id, s.name.clone())).collect();
    let schools: Vec<(i32, String)> = all_schools
        .iter()
        .filter(|s| g.may(Action::CreateCourse { school: s.id }))
        .map(|s| (s.id, s.name.clone()))
        .collect();
    if existing.is_none() && schools.is_empty() {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let themes = theme::Entity::find()
        .order_by_asc(theme::Column::NameDa)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name_da))
        .collect();
    let (fields, developer_ids) = match &existing {
        Some(c) => {
            let chosen: Vec<i32> = course_theme::Entity::find()
                .filter(course_theme::Column::CourseId.eq(c.id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.theme_id)
                .collect();
            let developers: Vec<i32> = course_teacher::Entity::find()
                .filter(course_teacher::Column::CourseId.eq(c.id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.teacher_id)
                .collect();
            (
                CourseFields {
                    school_id: c.school_id,
                    title: c.title.clone(),
                    summary: c.summary.clone(),
                    description: c.description.clone(),
                    expectations: c.expectations.clone(),
                    format: Format::from(c.format).slug().to_string(),
                    audience: Audience::from(c.audience).slug().to_string(),
                    themes: chosen,
                    image_alt: c.image_alt.clone(),
                },
                developers,
            )
        }
        None => (
            CourseFields {
                school_id: schools.first().map_or(0, |(id, _)| *id),
                format: Format::Course.slug().into(),
                audience: Audience::Everyone.slug().into(),
                ..CourseFields::default()
            },
            Vec::new(),
        ),
    };
    let teachers = teacher::Entity::find()
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?;
    let option = |t: &teacher::Model| TeacherOption {
        id: t.id,
        name: t.name.clone(),
        kind: t.kind.into(),
        school_name: names.get(&t.school_id).cloned().unwrap_or_default(),
    };
    Ok(CourseEditorDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
        id: existing.as_ref().map(|c| c.id),
        slug: existing
            .as_ref()
            .map(|c| c.slug.clone())
            .unwrap_or_default(),
        state: existing
            .as_ref()
            .map_or(CourseState::Draft, |c| state_of(c.status)),
        image_url: existing
            .as_ref()
            .and_then(|c| c.image_id)
            .map(|i| format!("/billeder/{i}")),
        fields,
        schools,
        themes,
        developers: teachers
            .iter()
            .filter(|t| developer_ids.contains(&t.id))
            .map(option)
            .collect(),
        candidates: teachers
            .iter()
            .filter(|t| !developer_ids.contains(&t.id))
            .map(option)
            .collect(),
    })
}

/// What is wrong with a course's fields, as an error code; `publishing` also requires the
/// texts a course page needs. (The picture and its alt text have a form of their own.)
pub fn check_fields(form: &CourseForm, publishing: bool) -> Result<(), &'static str> {
    let len = |s: &str| s.trim().chars().count();
    if len(&form.title) == 0 {
        return Err("titel");
    }
    if len(&form.title) > TITLE_MAX {
        return Err("titel-lang");
    }
    if len(&form.summary) > SUMMARY_MAX {
        return Err("resume-lang");
    }
    if len(&form.description) > TEXT_MAX || len(&form.expectations) > TEXT_MAX {
        return Err("tekst-lang");
    }
    if Format::from_slug(&form.format).is_none() {
        return Err("form");
    }
    if Audience::from_slug(&form.audience).is_none() {
        return Err("maalgruppe");
    }
    if publishing
        && (len(&form.summary) == 0 || len(&form.description) == 0 || len(&form.expectations) == 0)
    {
        return Err("mangler-tekst");
    }
    Ok(())
}

/// A URL slug from a title: lower case, Danish letters spelled out, words joined by '-'.
pub fn slug_from(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'é' | 'è' => out.push('e'),
            'ü' => out.push('u'),
            'ö' => out.push('o'),
            'ä' => out.push('a'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "kursus".into()
    } else {
        out.chars().take(80).collect()
    }
}

/// Creates or saves a course, and moves it through draft → published → archived.
#[server(endpoint = "personale_kursus_gem")]
pub async fn save_course(#[server(flatten)] form: CourseForm) -> Result<(), AppError> {
    use crate::rules::access::Action;
    use entity::{CourseStatus, course, course_theme, theme};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let id = form.course.trim().parse::<i32>().unwrap_or(0);
    let existing = if id > 0 {
        Some(access::editable_course(&ctx, id).await?)
    } else {
        let school = form.school.trim().parse::<i32>().unwrap_or(0);
        crate::services::staff::guard::allow(&ctx, Action::CreateCourse { school })?;
        if entity::school::Entity::find_by_id(school)
            .one(db)
            .await?
            .is_none()
        {
            leptos_axum::redirect("/personale/kurser/ny?fejl=skole#fejl");
            return Ok(());
        }
        None
    };
    let page = match id {
        0 => "/personale/kurser/ny".to_string(),
        id => format!("/personale/kurser/{id}"),
    };
    // Lengths and choices; the form's own limits keep people from getting here.
    if let Err(code) = check_fields(&form, false) {
        leptos_axum::redirect(&format!("{page}?fejl={code}#fejl"));
        return Ok(());
    }
    // What is typed is always saved; a step it does not allow yet is refused after saving.
    let publishing = form.action == "offentliggoer";
    let mut refused = check_fields(&form, publishing).err();
    if form.action == "arkiver"
        && let Some(c) = &existing
        && upcoming_runs(db, c.id, ctx.now).await? > 0
    {
        // Archiving hides the course and its classes from the catalogue: not while people
        // are booked on a class still to come.
        refused = Some("kommende-hold");
    }
    let status = match (form.action.as_str(), existing.as_ref().map(|c| c.status)) {
        ("offentliggoer", _) if refused.is_none() => CourseStatus::Published,
        ("arkiver", _) if refused.is_none() => CourseStatus::Archived,
        ("kladde", _) => CourseStatus::Draft,
        (_, Some(s)) => s,
        (_, None) => CourseStatus::Draft,
    };
    let format = Format::from_slug(&form.format).unwrap_or(Format::Course);
    let audience = Audience::from_slug(&form.audience).unwrap_or(Audience::Everyone);
    let saved = match existing {
        Some(c) => {
            let mut m: course::ActiveModel = c.into();
            m.title = Set(form.title.trim().to_string());
            m.summary = Set(form.summary.trim().to_string());
            m.description = Set(form.description.trim().to_string());
            m.expectations = Set(form.expectations.trim().to_string());
            m.format = Set(format.into());
            m.audience = Set(audience.into());
            m.status = Set(status);
            m.updated_at = Set(ctx.now);
            m.update(db).await?
        }
        None => {
            let base = slug_from(&form.title);
            let mut slug = base.clone();
            let mut n = 1;
            while course::Entity::find()
                .filter(course::Column::Slug.eq(slug.as_str()))
                .count(db)
                .await?
                > 0
            {
                n += 1;
                slug = format!("{base}-{n}");
            }
            course::ActiveModel {
                slug: Set(slug),
                school_id: Set(form.school.trim().parse().unwrap_or(0)),
                title: Set(form.title.trim().to_string()),
                summary: Set(form.summary.trim().to_string()),
                description: Set(form.description.trim().to_string()),
                expectations: Set(form.expectations.trim().to_string()),
                format: Set(format.into()),
                audience: Set(audience.into()),
                status: Set(status),
                image_id: Set(None),
                image_alt: Set(String::new()),
                created_at: Set(ctx.now),
                updated_at: Set(ctx.now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    // Themes: exactly the ticked ones that exist.
    let wanted: Vec<i32> = form
        .themes
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix('t')?.parse().ok())
        .collect();
    let known: Vec<i32> = theme::Entity::find()
        .filter(theme::Column::Id.is_in(wanted))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    course_theme::Entity::delete_many()
        .filter(course_theme::Column::CourseId.eq(saved.id))
        .exec(db)
        .await?;
    for t in known {
        course_theme::ActiveModel {
            course_id: Set(saved.id),
            theme_id: Set(t),
        }
        .insert(db)
        .await?;
    }
    if let Some(code) = refused {
        leptos_axum::redirect(&format!(
            "/personale/kurser/{}?gemt=1&fejl={code}#fejl",
            saved.id
        ));
        return Ok(());
    }
    let done = match status {
        CourseStatus::Published if publishing => "offentliggjort",
        CourseStatus::Archived => "arkiveret",
        _ => "gemt",
    };
    leptos_axum::redirect(&format!("/personale/kurser/{}?{done}=1", saved.id));
    Ok(())
}

/// Published runs of the course that have a session still to come.
#[cfg(feature = "ssr")]
async fn upcoming_runs(
    db: &sea_orm::DatabaseConnection,
    course_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sea_orm::DbErr> {
    use entity::{RunStatus, run, session};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
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

/// Adds or removes one of the course's developers (shown as "Udviklet og undervist af").
#[server(endpoint = "personale_kursus_udvikler")]
pub async fn course_developer(
    course_id: i32,
    teacher_id: i32,
    #[server(default)] remove: String,
) -> Result<(), AppError> {
    use entity::{course_teacher, teacher};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    let db = &ctx.state.db;
    if teacher::Entity::find_by_id(teacher_id)
        .one(db)
        .await?
        .is_none()
    {
        return crate::services::staff::guard::not_found();
    }
    let existing = course_teacher::Entity::find_by_id((c.id, teacher_id))
        .one(db)
        .await?;
    match (remove == "ja", existing) {
        (true, Some(_)) => {
            course_teacher::Entity::delete_by_id((c.id, teacher_id))
                .exec(db)
                .await?;
        }
        (false, None) => {
            course_teacher::ActiveModel {
                course_id: Set(c.id),
                teacher_id: Set(teacher_id),
            }
            .insert(db)
            .await?;
        }
        _ => {}
    }
    leptos_axum::redirect(&format!("/personale/kurser/{}#udviklere", c.id));
    Ok(())
}

/// The course page as the public will see it, whatever its state.
#[server(endpoint = "personale_kursus_vis")]
pub async fn course_preview(id: i32) -> Result<CourseDetailDto, AppError> {
    let ctx = crate::services::staff::guard::signed_in().await?;
    let c = access::editable_course(&ctx, id).await?;
    match crate::services::catalogue::course_detail(&ctx.state.db, c, ctx.now).await? {
        Some(d) => Ok(d),
        None => crate::services::staff::guard::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_spell_danish_letters_out() {
        assert_eq!(slug_from("Angst i hverdagen"), "angst-i-hverdagen");
        assert_eq!(
            slug_from("  Søvn & ro – på én gang! "),
            "soevn-ro-paa-en-gang"
        );
        assert_eq!(slug_from("!!!"), "kursus");
    }

    #[test]
    fn fields_are_checked_and_publishing_needs_the_texts() {
        let mut f = CourseForm {
            title: "Søvn".into(),
            format: "kursus".into(),
            audience: "alle".into(),
            ..CourseForm::default()
        };
        assert_eq!(check_fields(&f, false), Ok(()));
        assert_eq!(check_fields(&f, true), Err("mangler-tekst"));
        f.summary = "Om at sove bedre".into();
        f.description = "Vi taler om søvn.".into();
        f.expectations = "Tre timer med pauser.".into();
        assert_eq!(check_fields(&f, true), Ok(()));
        f.format = "ukendt".into();
        assert_eq!(check_fields(&f, false), Err("form"));
        f.format = "kursus".into();
        f.audience = "alle-andre".into();
        assert_eq!(check_fields(&f, false), Err("maalgruppe"));
        f.audience = "alle".into();
        f.summary = "å".repeat(SUMMARY_MAX + 1);
        assert_eq!(check_fields(&f, false), Err("resume-lang"));
        f.summary = String::new();
        f.title = " ".into();
        assert_eq!(check_fields(&f, false), Err("titel"));
        f.title = "x".repeat(TITLE_MAX + 1);
        assert_eq!(check_fields(&f, false), Err("titel-lang"));
    }
}
