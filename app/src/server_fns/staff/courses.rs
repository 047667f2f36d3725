//! The course editor: every catalogue field, themes, format and audience, "hvad kan du
//! forvente", the developers, a picture with its alt text, and the life cycle draft →
//! published → archived; a preview shows the course page as the public will see it.

use leptos::prelude::*;

use crate::dto::catalogue::CourseDetailDto;
use crate::dto::staff::courses::{CourseEditorDto, CourseForm, CourseListDto};
use crate::error::AppError;

/// Courses the person may edit.
#[server(endpoint = "personale_kurser")]
pub async fn course_list() -> Result<CourseListDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{courses, guard};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let g = &ctx.me.grants;
    let list = courses::editable(db, g, &ctx.me.teacher_ids).await?;
    let may_create = crate::services::staff::schools(db)
        .await?
        .iter()
        .any(|(s, _)| g.may(Action::CreateCourse { school: *s }));
    if list.is_empty() && !may_create {
        return guard::forbidden(&ctx, "courses");
    }
    Ok(CourseListDto {
        me: guard::me_dto(&ctx).await?,
        courses: list,
        may_create,
    })
}

/// The editor's data; `id` 0 starts a new course.
#[server(endpoint = "personale_kursus_side")]
pub async fn course_editor(id: i32) -> Result<CourseEditorDto, AppError> {
    use crate::dto::staff::courses::{CourseFields, CourseState};
    use crate::rules::access::Action;
    use crate::rules::vocabulary::{Audience, Format};
    use crate::services::staff::{access, courses, guard};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let existing = if id > 0 {
        Some(access::editable_course(&ctx, id).await?)
    } else {
        None
    };
    let schools: Vec<(i32, String)> = crate::services::staff::schools(db)
        .await?
        .into_iter()
        .filter(|(s, _)| ctx.me.grants.may(Action::CreateCourse { school: *s }))
        .collect();
    if existing.is_none() && schools.is_empty() {
        return guard::forbidden(&ctx, "new course");
    }
    let (fields, developer_ids) = match &existing {
        Some(c) => courses::fields(db, c).await?,
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
    let (developers, candidates) = courses::teacher_options(db)
        .await?
        .into_iter()
        .partition(|t| developer_ids.contains(&t.id));
    Ok(CourseEditorDto {
        me: guard::me_dto(&ctx).await?,
        id: existing.as_ref().map(|c| c.id),
        slug: existing
            .as_ref()
            .map(|c| c.slug.clone())
            .unwrap_or_default(),
        state: existing
            .as_ref()
            .map_or(CourseState::Draft, |c| c.status.into()),
        image_url: existing
            .as_ref()
            .and_then(|c| c.image_id)
            .map(|i| format!("/billeder/{i}")),
        fields,
        schools,
        themes: courses::themes(db, existing.as_ref().map(|c| c.id)).await?,
        developers,
        candidates,
    })
}

/// Creates or saves a course, and moves it through draft → published → archived. What is
/// typed is always saved; a step it does not allow yet is refused after saving.
#[server(endpoint = "personale_kursus_gem")]
pub async fn save_course(#[server(flatten)] form: CourseForm) -> Result<(), AppError> {
    use crate::dto::staff::courses::{CourseRefusal, check_fields};
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{access, courses, guard};
    use entity::CourseStatus;

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let id = form.course.trim().parse::<i32>().unwrap_or(0);
    let school = form.school.trim().parse::<i32>().unwrap_or(0);
    let existing = if id > 0 {
        Some(access::editable_course(&ctx, id).await?)
    } else {
        guard::allow(&ctx, Action::CreateCourse { school })?;
        if !courses::school_exists(db, school).await? {
            request::refuse("/personale/kurser/ny", &[CourseRefusal::School], "fejl");
            return Ok(());
        }
        None
    };
    let page = match id {
        0 => "/personale/kurser/ny".to_string(),
        id => format!("/personale/kurser/{id}"),
    };
    // Lengths and choices; the form's own limits keep people from getting here.
    if let Err(refusal) = check_fields(&form, false) {
        request::refuse(&page, &[refusal], "fejl");
        return Ok(());
    }
    let publishing = form.action == "offentliggoer";
    let mut refused = check_fields(&form, publishing).err();
    if form.action == "arkiver"
        && let Some(c) = &existing
        && courses::upcoming_runs(db, c.id, ctx.now).await? > 0
    {
        // Archiving hides the course and its classes from the catalogue: not while people
        // are booked on a class still to come.
        refused = Some(CourseRefusal::Upcoming);
    }
    // Co-produced from the start: published only when its developers include a peer and a
    // professional or relative teacher, as a run's team must.
    if publishing && refused.is_none() {
        use crate::rules::coproduction::{TeamGap, gaps};
        let kinds = match &existing {
            Some(c) => courses::developer_kinds(db, c.id, None).await?,
            None => Vec::new(),
        };
        refused = gaps(&kinds).first().map(|gap| match gap {
            TeamGap::NoPeer => CourseRefusal::NoPeer,
            TeamGap::NoPartner => CourseRefusal::NoPartner,
        });
    }
    let status = match (form.action.as_str(), existing.as_ref().map(|c| c.status)) {
        ("offentliggoer", _) if refused.is_none() => CourseStatus::Published,
        ("arkiver", _) if refused.is_none() => CourseStatus::Archived,
        ("kladde", _) => CourseStatus::Draft,
        (_, Some(s)) => s,
        (_, None) => CourseStatus::Draft,
    };
    let saved = courses::save(db, existing, school, &form, status, ctx.now).await?;
    let page = format!("/personale/kurser/{}", saved.id);
    if let Some(refusal) = refused {
        request::refuse(&format!("{page}?gemt=1"), &[refusal], "fejl");
        return Ok(());
    }
    let done = match status {
        CourseStatus::Published if publishing => "offentliggjort",
        CourseStatus::Archived => "arkiveret",
        _ => "gemt",
    };
    leptos_axum::redirect(&format!("{page}?{done}=1"));
    Ok(())
}

/// Adds or removes one of the course's developers (shown as "Udviklet og undervist af").
#[server(endpoint = "personale_kursus_udvikler")]
pub async fn course_developer(
    course_id: i32,
    teacher_id: i32,
    #[server(default)] remove: String,
) -> Result<(), AppError> {
    use crate::services::staff::{access, courses, guard};

    let ctx = guard::signed_in().await?;
    let c = access::editable_course(&ctx, course_id).await?;
    if !courses::teacher_exists(&ctx.state.db, teacher_id).await? {
        return guard::not_found();
    }
    if remove == "ja" && c.status == entity::CourseStatus::Published {
        let left = courses::developer_kinds(&ctx.state.db, c.id, Some(teacher_id)).await?;
        if !crate::rules::coproduction::may_publish(&left) {
            use crate::dto::staff::courses::CourseRefusal;
            crate::services::request::refuse(
                &format!("/personale/kurser/{}", c.id),
                &[CourseRefusal::KeepTeam],
                "fejl",
            );
            return Ok(());
        }
    }
    courses::set_developer(&ctx.state.db, c.id, teacher_id, remove == "ja").await?;
    leptos_axum::redirect(&format!("/personale/kurser/{}#udviklere", c.id));
    Ok(())
}

/// The course page as the public will see it, whatever its state.
#[server(endpoint = "personale_kursus_vis")]
pub async fn course_preview(id: i32) -> Result<CourseDetailDto, AppError> {
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let c = access::editable_course(&ctx, id).await?;
    match crate::services::catalogue::course_detail(&ctx.state.db, c, ctx.now).await? {
        Some(d) => Ok(d),
        None => guard::not_found(),
    }
}
