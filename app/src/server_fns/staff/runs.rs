//! The run editor: create a run of a course, its settings, its teacher team, its sessions
//! (add, move, cancel), publishing under the co-production rule, cancelling, and duplicating
//! to a later date. Moving or cancelling a session or the run tells everyone on it through the
//! outbox (with updated or cancelled calendar entries), via the booking service.

use leptos::prelude::*;

use crate::dto::staff::runs::{CourseChoice, RunEditorDto, RunForm, SessionForm};
use crate::error::AppError;

/// The editor's page of a run.
#[cfg(feature = "ssr")]
fn page(run_id: i32) -> String {
    format!("/personale/hold/{run_id}")
}

/// Courses the person may make a run of.
#[server(endpoint = "personale_hold_kurser")]
pub async fn run_course_choices() -> Result<Vec<CourseChoice>, AppError> {
    use crate::services::staff::{guard, runs};

    let ctx = guard::signed_in().await?;
    let choices = runs::course_choices(&ctx.state.db, &ctx.me.grants, &ctx.me.teacher_ids).await?;
    if choices.is_empty() {
        // Management, or a teacher with no course of their own: nothing to create here.
        return guard::forbidden(&ctx, "new run");
    }
    Ok(choices)
}

/// The run editor's data; `run_id` 0 starts a new run of `course_id`.
#[server(endpoint = "personale_hold_side")]
pub async fn run_editor(run_id: i32, course_id: i32) -> Result<RunEditorDto, AppError> {
    use crate::dto::staff::home::RunState;
    use crate::dto::staff::runs::RunSettings;
    use crate::rules::access::Action;
    use crate::rules::coproduction;
    use crate::services::staff::{access, guard, runs};
    use entity::CourseFormat;

    let ctx = guard::signed_in().await?;
    let g = &ctx.me.grants;
    let existing = if run_id > 0 {
        Some(access::editable(&ctx, run_id).await?)
    } else {
        None
    };
    let course = access::course(&ctx, existing.as_ref().map_or(course_id, |r| r.course_id)).await?;
    let own_course = access::own_course(&ctx, course.id).await?;
    let editor = runs::editor(&ctx.state.db, existing.as_ref()).await?;
    // A new run goes to an open school the person may plan at.
    let schools: Vec<(i32, String)> = editor
        .schools
        .iter()
        .filter(|s| {
            !s.closed
                && g.may(Action::CreateRun {
                    school: s.id,
                    own_course,
                })
        })
        .map(|s| (s.id, s.name.clone()))
        .collect();
    if existing.is_none() && schools.is_empty() {
        return guard::forbidden(&ctx, "new run");
    }
    let drop_in = course.format == CourseFormat::DropIn;
    let settings = match &existing {
        Some(r) => runs::settings_of(r),
        None => {
            let school_id = schools
                .iter()
                .find(|(id, _)| *id == course.school_id)
                .or(schools.first())
                .map_or(course.school_id, |(id, _)| *id);
            let seats = editor
                .schools
                .iter()
                .find(|s| s.id == school_id)
                .map_or(12, |s| s.default_seats);
            RunSettings {
                school_id,
                capacity: (!drop_in).then_some(seats),
                waitlist: true,
                waitlist_mode: "automatic".into(),
                offer_hours: 24,
                cancel_deadline_hours: 24,
                ..RunSettings::default()
            }
        }
    };
    let may_roster = match &existing {
        Some(r) => g.may(Action::Roster {
            school: r.school_id,
            own: access::own_run(&ctx, r.id).await?,
        }),
        None => false,
    };
    let school_lead_hours = editor
        .schools
        .iter()
        .find(|s| s.id == settings.school_id)
        .map_or(48, |s| s.reminder_lead_hours);
    let kinds: Vec<_> = editor.team.iter().map(|t| t.kind).collect();
    Ok(RunEditorDto {
        me: guard::me_dto(&ctx).await?,
        id: existing.as_ref().map(|r| r.id),
        course_id: course.id,
        course_title: course.title.clone(),
        course_slug: course.slug.clone(),
        drop_in,
        state: existing
            .as_ref()
            .map_or(RunState::Draft, |r| RunState::from(r.status)),
        settings,
        schools,
        places: editor.places,
        gaps: coproduction::gaps(&kinds),
        team: editor.team,
        candidates: editor.candidates,
        sessions: editor.sessions,
        confirmed: editor.confirmed,
        waiting: editor.waiting,
        may_roster,
        school_lead_hours,
    })
}

/// Creates or saves a run's settings. A new run starts as a draft.
#[server(endpoint = "personale_hold_gem")]
pub async fn save_run(#[server(flatten)] form: RunForm) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::rules::access::Action;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};
    use entity::CourseFormat;

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let existing = if run_id > 0 {
        Some(access::editable(&ctx, run_id).await?)
    } else {
        None
    };
    let course_id = existing
        .as_ref()
        .map(|r| r.course_id)
        .or_else(|| form.course.trim().parse().ok())
        .unwrap_or(0);
    let course = access::course(&ctx, course_id).await?;
    let school_id = match &existing {
        Some(r) => r.school_id,
        None => {
            let school = form.school.trim().parse::<i32>().unwrap_or(0);
            let own_course = access::own_course(&ctx, course.id).await?;
            guard::allow(&ctx, Action::CreateRun { school, own_course })?;
            // A closed school takes no new runs.
            if crate::services::staff::schools::is_closed(db, school).await? {
                return guard::not_found();
            }
            school
        }
    };
    let back = |refusal: RunRefusal| {
        let form_page = match run_id {
            0 => format!("/personale/hold/ny?kursus={course_id}"),
            id => page(id),
        };
        request::refuse(&form_page, &[refusal], "fejl");
    };
    let values = match form.values(course.format == CourseFormat::DropIn) {
        Ok(v) => v,
        Err(refusal) => {
            back(refusal);
            return Ok(());
        }
    };
    let kept = existing.as_ref().map(|r| r.location_id);
    if let Some(id) = values.location_id
        && !runs::place_usable(db, id, school_id, &[kept.flatten()]).await?
    {
        back(RunRefusal::Place);
        return Ok(());
    }
    let saved_id = match existing {
        Some(r) => {
            runs::save_settings(db, &r, &values).await?;
            // Capacity goes through the seat rules: more seats pass to the waiting list.
            if let Some(c) = values.capacity
                && Some(c) != r.capacity
            {
                match booking::set_capacity(db, r.id, c, ctx.now).await {
                    Ok(()) => {}
                    Err(BookingError::Db(e)) => return Err(e.into()),
                    Err(_) => {
                        back(RunRefusal::CapacityLow);
                        return Ok(());
                    }
                }
            }
            r.id
        }
        None => runs::create(db, course.id, school_id, &values, ctx.now).await?,
    };
    leptos_axum::redirect(&format!("{}?gemt=1", page(saved_id)));
    Ok(())
}

/// Adds a teacher to the run's team.
#[server(endpoint = "personale_hold_underviser")]
pub async fn add_teacher(run_id: i32, teacher_id: i32) -> Result<(), AppError> {
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    if runs::teacher(&ctx.state.db, teacher_id).await?.is_none() {
        return guard::not_found();
    }
    runs::add_teacher(&ctx.state.db, r.id, teacher_id).await?;
    leptos_axum::redirect(&format!("{}#team", page(r.id)));
    Ok(())
}

/// Takes a teacher off the team. A published run keeps a co-producing team: the last peer or
/// the last professional/relative cannot be taken off.
#[server(endpoint = "personale_hold_underviser_fjern")]
pub async fn remove_teacher(run_id: i32, teacher_id: i32) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    match runs::remove_teacher(&ctx.state.db, &r, teacher_id).await? {
        Ok(()) => leptos_axum::redirect(&format!("{}#team", page(r.id))),
        Err(refusal) => request::refuse(&page(r.id), &[refusal], "fejl"),
    }
    Ok(())
}

/// Adds a session to a run.
#[server(endpoint = "personale_gang_ny")]
pub async fn add_session(#[server(flatten)] form: SessionForm) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let r = access::editable(&ctx, run_id).await?;
    let times = match form.times() {
        Ok(t) => t,
        Err(refusal) => {
            request::refuse(&page(r.id), &[refusal], "gange");
            return Ok(());
        }
    };
    let Ok(online) = crate::rules::online::parse_link(&form.online_url) else {
        request::refuse(&page(r.id), &[RunRefusal::Link], "gange");
        return Ok(());
    };
    let place = form.location.trim().parse().ok();
    if let Some(id) = place
        && !runs::place_usable(&ctx.state.db, id, r.school_id, &[r.location_id]).await?
    {
        request::refuse(&page(r.id), &[RunRefusal::Place], "gange");
        return Ok(());
    }
    runs::add_session(&ctx.state.db, r.id, times, place, online).await?;
    leptos_axum::redirect(&format!("{}?gang=tilfoejet#gange", page(r.id)));
    Ok(())
}

/// Moves a session; everyone on the run is told, with an updated calendar entry.
#[server(endpoint = "personale_gang_flyt")]
pub async fn move_session(#[server(flatten)] form: SessionForm) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::rules::time::to_local;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let session_id = form.session.trim().parse::<i32>().unwrap_or(0);
    let Some(s) = runs::session(&ctx.state.db, session_id).await? else {
        return guard::not_found();
    };
    let r = access::editable(&ctx, s.run_id).await?;
    let (starts, ends) = match form.times() {
        Ok(t) => t,
        Err(refusal) => {
            request::refuse(&page(r.id), &[refusal], &format!("gang-{session_id}"));
            return Ok(());
        }
    };
    let place = match form.location.trim() {
        "" => Some(None),
        t => Some(t.parse::<i32>().ok()),
    };
    if let Some(Some(id)) = place
        && !runs::place_usable(
            &ctx.state.db,
            id,
            r.school_id,
            &[s.location_id, r.location_id],
        )
        .await?
    {
        request::refuse(&page(r.id), &[RunRefusal::Place], "gange");
        return Ok(());
    }
    let note = form.note.trim();
    match booking::move_session(
        &ctx.state.db,
        session_id,
        starts,
        ends,
        place,
        note,
        ctx.now,
    )
    .await
    {
        Ok(()) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            request::refuse(&page(r.id), &[RunRefusal::Move], "gange");
            return Ok(());
        }
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "session.move",
        format!("Hold {} · gang {session_id}", r.id),
        format!("{} → {}", to_local(s.starts_at), to_local(starts)),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?gang=flyttet#gange", page(r.id)));
    Ok(())
}

/// Sets or changes a session's meeting link (with `following`, also every later session); the
/// seat holders get the new link with an updated calendar entry. Nobody else is told.
#[server(endpoint = "personale_gang_link")]
pub async fn set_session_link(
    session: i32,
    #[server(default)] online_url: String,
    #[server(default)] following: String,
) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let Some(s) = runs::session(&ctx.state.db, session).await? else {
        return guard::not_found();
    };
    let r = access::editable(&ctx, s.run_id).await?;
    let Ok(link) = crate::rules::online::parse_link(&online_url) else {
        request::refuse(&page(r.id), &[RunRefusal::Link], &format!("gang-{session}"));
        return Ok(());
    };
    let changed =
        match booking::set_online_link(&ctx.state.db, session, link, following == "ja", ctx.now)
            .await
        {
            Ok(n) => n,
            Err(BookingError::Db(e)) => return Err(e.into()),
            Err(_) => return guard::not_found(),
        };
    if changed > 0 {
        // The link itself stays out of the audit log: it opens the class.
        guard::audit(
            &ctx,
            Some(r.school_id),
            "session.link",
            format!("Hold {} · gang {session}", r.id),
            format!("{changed} gange"),
        )
        .await?;
    }
    leptos_axum::redirect(&format!("{}?gang=link#gang-{session}", page(r.id)));
    Ok(())
}

/// Cancels a session; everyone on the run is told.
#[server(endpoint = "personale_gang_aflys")]
pub async fn cancel_session(session: i32, #[server(default)] note: String) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let Some(s) = runs::session(&ctx.state.db, session).await? else {
        return guard::not_found();
    };
    let r = access::editable(&ctx, s.run_id).await?;
    match booking::cancel_session(&ctx.state.db, session, note.trim(), ctx.now).await {
        Ok(()) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            request::refuse(&page(r.id), &[RunRefusal::Cancel], "gange");
            return Ok(());
        }
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "session.cancel",
        format!("Hold {} · gang {session}", r.id),
        note.trim().to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?gang=aflyst#gange", page(r.id)));
    Ok(())
}

/// Publishes a run: it must have a session and a co-producing team, and its course must be
/// published.
#[server(endpoint = "personale_hold_offentliggoer")]
pub async fn publish_run(run_id: i32) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    match runs::publish(&ctx.state.db, &r, ctx.now).await? {
        Ok(()) => leptos_axum::redirect(&format!("{}?offentliggjort=1", page(run_id))),
        Err(refusal) => request::refuse(&page(run_id), &[refusal], "fejl"),
    }
    Ok(())
}

/// Cancels the whole run; everyone on it is told, with the school's note.
#[server(endpoint = "personale_hold_aflys")]
pub async fn cancel_run(
    run_id: i32,
    #[server(default)] note: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use crate::dto::staff::runs::RunRefusal;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    if confirm != "ja" {
        request::refuse(&page(run_id), &[RunRefusal::Confirm], "aflys");
        return Ok(());
    }
    match booking::cancel_run(&ctx.state.db, run_id, note.trim(), ctx.now).await {
        Ok(()) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            request::refuse(&page(run_id), &[RunRefusal::Cancel], "aflys");
            return Ok(());
        }
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "run.cancel",
        format!("Hold {run_id}"),
        note.trim().to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?aflyst=1", page(run_id)));
    Ok(())
}

/// Copies a run to a later date: same settings and team, every session `weeks` weeks later,
/// as a new draft with no bookings.
#[server(endpoint = "personale_hold_kopier")]
pub async fn duplicate_run(run_id: i32, #[server(default)] weeks: String) -> Result<(), AppError> {
    use crate::dto::staff::runs::{RunRefusal, number};
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{access, guard, runs};

    let ctx = guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    let own_course = access::own_course(&ctx, r.course_id).await?;
    guard::allow(
        &ctx,
        Action::CreateRun {
            school: r.school_id,
            own_course: own_course || access::own_run(&ctx, r.id).await?,
        },
    )?;
    let Ok(weeks) = number(&weeks, 1, 104, RunRefusal::Weeks) else {
        request::refuse(&page(run_id), &[RunRefusal::Weeks], "kopier");
        return Ok(());
    };
    let copy = runs::duplicate(&ctx.state.db, &r, weeks, ctx.now).await?;
    leptos_axum::redirect(&format!("{}?kopieret=1", page(copy)));
    Ok(())
}
