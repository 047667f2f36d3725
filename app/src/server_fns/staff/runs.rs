//! The run editor: create a run of a course, its settings, its teacher team, its sessions
//! (add, move, cancel), publishing under the co-production rule, cancelling, and duplicating
//! to a later date. Moving or cancelling a session or the run tells everyone on it through the
//! outbox (with updated or cancelled calendar entries), via the booking service.

#[allow(unused_imports)]
use crate::dto::staff::runs::*;
#[cfg(feature = "ssr")]
use crate::services::staff::access;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::staff::home::RunState;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::rules::vocabulary::TeacherKind;

#[cfg(feature = "ssr")]
use crate::rules::time::{
    date_time_to_utc as local_to_utc, parse_date, parse_datetime_local, parse_time,
};

/// Courses the person may make a run of.
#[server(endpoint = "personale_hold_kurser")]
pub async fn run_course_choices() -> Result<Vec<CourseChoice>, AppError> {
    use crate::rules::access::Action;
    use entity::{CourseStatus, course, school};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let names: HashMap<i32, String> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut out = Vec::new();
    for c in course::Entity::find()
        .filter(course::Column::Status.ne(CourseStatus::Archived))
        .order_by_asc(course::Column::Title)
        .all(db)
        .await?
    {
        let own = access::own_course(&ctx, c.id).await?;
        let may = names.keys().any(|&s| {
            ctx.me.grants.may(Action::CreateRun {
                school: s,
                own_course: own,
            })
        });
        if may {
            out.push(CourseChoice {
                id: c.id,
                school_name: names.get(&c.school_id).cloned().unwrap_or_default(),
                title: c.title,
            });
        }
    }
    if out.is_empty() {
        // Management, or a teacher with no course of their own: nothing to create here.
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    Ok(out)
}

/// The run editor's data; `run_id` 0 starts a new run of `course_id`.
#[server(endpoint = "personale_hold_side")]
pub async fn run_editor(run_id: i32, course_id: i32) -> Result<RunEditorDto, AppError> {
    use crate::rules::access::Action;
    use crate::rules::coproduction;
    use crate::rules::time::to_local;
    use entity::{
        BookingStatus, CourseFormat, RunStatus, WaitlistMode, booking, location, run_teacher,
        school, session, teacher,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let g = &ctx.me.grants;
    let existing = if run_id > 0 {
        Some(access::editable(&ctx, run_id).await?)
    } else {
        None
    };
    let course = access::course(&ctx, existing.as_ref().map_or(course_id, |r| r.course_id)).await?;
    let all_schools = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = all_schools.iter().map(|s| (s.id, s.name.clone())).collect();
    let own_course = access::own_course(&ctx, course.id).await?;
    let schools: Vec<(i32, String)> = all_schools
        .iter()
        .filter(|s| {
            g.may(Action::CreateRun {
                school: s.id,
                own_course,
            })
        })
        .map(|s| (s.id, s.name.clone()))
        .collect();
    if existing.is_none() && schools.is_empty() {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let school_id = existing
        .as_ref()
        .map(|r| r.school_id)
        .or_else(|| {
            schools
                .iter()
                .find(|(id, _)| *id == course.school_id)
                .or(schools.first())
                .map(|(id, _)| *id)
        })
        .unwrap_or(course.school_id);
    let settings = match &existing {
        Some(r) => RunSettings {
            school_id: r.school_id,
            location_id: r.location_id,
            capacity: r.capacity,
            waitlist: r.waitlist_enabled,
            waitlist_mode: match r.waitlist_mode {
                WaitlistMode::Automatic => "automatic".into(),
                WaitlistMode::Offer => "offer".into(),
            },
            offer_hours: r.offer_hours,
            opens: r.signup_opens_at.map(to_local),
            closes: r.signup_closes_at.map(to_local),
            cancel_deadline_hours: r.cancel_deadline_hours,
            reminder_lead_hours: r.reminder_lead_hours,
            note: r.note.clone(),
        },
        None => RunSettings {
            school_id,
            location_id: None,
            capacity: (course.format != CourseFormat::DropIn).then_some(12),
            waitlist: true,
            waitlist_mode: "automatic".into(),
            offer_hours: 24,
            opens: None,
            closes: None,
            cancel_deadline_hours: 24,
            reminder_lead_hours: None,
            note: String::new(),
        },
    };
    let places = location::Entity::find()
        .order_by_asc(location::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PlaceOption {
            id: p.id,
            name: p.name,
            school_id: p.school_id,
        })
        .collect();
    let team_ids: Vec<i32> = match &existing {
        Some(r) => run_teacher::Entity::find()
            .filter(run_teacher::Column::RunId.eq(r.id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.teacher_id)
            .collect(),
        None => Vec::new(),
    };
    let option = |t: &teacher::Model| TeacherOption {
        id: t.id,
        name: t.name.clone(),
        kind: t.kind.into(),
        school_name: names.get(&t.school_id).cloned().unwrap_or_default(),
    };
    let teachers = teacher::Entity::find()
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?;
    let team: Vec<TeacherOption> = teachers
        .iter()
        .filter(|t| team_ids.contains(&t.id))
        .map(option)
        .collect();
    let candidates = teachers
        .iter()
        .filter(|t| !team_ids.contains(&t.id))
        .map(option)
        .collect();
    let kinds: Vec<TeacherKind> = team.iter().map(|t| t.kind).collect();
    let sessions = match &existing {
        Some(r) => session::Entity::find()
            .filter(session::Column::RunId.eq(r.id))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await?
            .into_iter()
            .map(|s| SessionRow {
                id: s.id,
                starts: to_local(s.starts_at),
                ends: to_local(s.ends_at),
                location_id: s.location_id,
                online_url: s.online_url,
                cancelled: s.cancelled,
            })
            .collect(),
        None => Vec::new(),
    };
    let (confirmed, waiting) = match &existing {
        Some(r) => {
            let active = booking::Entity::find()
                .filter(booking::Column::RunId.eq(r.id))
                .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
                .all(db)
                .await?;
            let confirmed = active
                .iter()
                .filter(|b| b.status == BookingStatus::Confirmed)
                .count();
            (
                u32::try_from(confirmed).unwrap_or(0),
                u32::try_from(active.len() - confirmed).unwrap_or(0),
            )
        }
        None => (0, 0),
    };
    let may_roster = match &existing {
        Some(r) => g.may(Action::Roster {
            school: r.school_id,
            own: access::own_run(&ctx, r.id).await?,
        }),
        None => false,
    };
    let school_lead_hours = all_schools
        .iter()
        .find(|s| s.id == school_id)
        .map_or(48, |s| s.reminder_lead_hours);
    Ok(RunEditorDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
        id: existing.as_ref().map(|r| r.id),
        course_id: course.id,
        course_title: course.title.clone(),
        course_slug: course.slug.clone(),
        drop_in: course.format == CourseFormat::DropIn,
        state: match existing.as_ref().map(|r| r.status) {
            Some(RunStatus::Published) => RunState::Published,
            Some(RunStatus::Cancelled) => RunState::Cancelled,
            _ => RunState::Draft,
        },
        settings,
        schools,
        places,
        team,
        candidates,
        sessions,
        gaps: coproduction::gaps(&kinds),
        confirmed,
        waiting,
        may_roster,
        school_lead_hours,
    })
}

/// A number in a range, or the error code for the field.
#[cfg(any(feature = "ssr", test))]
fn number(text: &str, min: i32, max: i32, code: &'static str) -> Result<i32, &'static str> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or(code)
}

/// Creates or saves a run's settings. A new run starts as a draft.
#[server(endpoint = "personale_hold_gem")]
pub async fn save_run(#[server(flatten)] form: RunForm) -> Result<(), AppError> {
    use crate::rules::access::Action;
    use crate::services::booking as bookings;
    use entity::{CourseFormat, RunStatus, WaitlistMode, location, run};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
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
            let s = form.school.trim().parse::<i32>().unwrap_or(0);
            let own_course = access::own_course(&ctx, course.id).await?;
            crate::services::staff::guard::allow(
                &ctx,
                Action::CreateRun {
                    school: s,
                    own_course,
                },
            )?;
            s
        }
    };
    let back = |code: &str| {
        let page = match run_id {
            0 => format!("/personale/hold/ny?kursus={course_id}&fejl={code}"),
            id => format!("/personale/hold/{id}?fejl={code}"),
        };
        leptos_axum::redirect(&format!("{page}#fejl"));
    };
    let drop_in = course.format == CourseFormat::DropIn;
    let parsed = (|| -> Result<_, &'static str> {
        let capacity = if drop_in {
            None
        } else {
            Some(number(&form.capacity, 1, 500, "pladser")?)
        };
        let offer_hours = number(
            if form.offer_hours.trim().is_empty() {
                "24"
            } else {
                &form.offer_hours
            },
            1,
            168,
            "tilbud",
        )?;
        let cancel = number(
            if form.cancel_deadline_hours.trim().is_empty() {
                "24"
            } else {
                &form.cancel_deadline_hours
            },
            0,
            336,
            "afbud",
        )?;
        let lead = match form.reminder_lead_hours.trim() {
            "" => None,
            t => Some(number(t, 1, 336, "paamindelse")?),
        };
        let opens = match form.opens.trim() {
            "" => None,
            t => Some(
                parse_datetime_local(t)
                    .and_then(|d| local_to_utc(d.date(), d.time()))
                    .ok_or("aabner")?,
            ),
        };
        let closes = match form.closes.trim() {
            "" => None,
            t => Some(
                parse_datetime_local(t)
                    .and_then(|d| local_to_utc(d.date(), d.time()))
                    .ok_or("lukker")?,
            ),
        };
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            return Err("vindue");
        }
        let location_id = match form.location.trim() {
            "" => None,
            t => Some(t.parse::<i32>().map_err(|_| "sted")?),
        };
        if form.note.chars().count() > 1000 {
            return Err("note");
        }
        Ok((
            capacity,
            offer_hours,
            cancel,
            lead,
            opens,
            closes,
            location_id,
        ))
    })();
    let (capacity, offer_hours, cancel, lead, opens, closes, location_id) = match parsed {
        Ok(v) => v,
        Err(code) => {
            back(code);
            return Ok(());
        }
    };
    if let Some(id) = location_id
        && location::Entity::find_by_id(id).one(db).await?.is_none()
    {
        back("sted");
        return Ok(());
    }
    let mode = if form.waitlist_mode == "offer" {
        WaitlistMode::Offer
    } else {
        WaitlistMode::Automatic
    };
    let saved_id = match existing {
        Some(r) => {
            let old_capacity = r.capacity;
            let mut m: run::ActiveModel = r.into();
            m.location_id = Set(location_id);
            m.waitlist_enabled = Set(form.waitlist == "ja");
            m.waitlist_mode = Set(mode);
            m.offer_hours = Set(offer_hours);
            m.signup_opens_at = Set(opens);
            m.signup_closes_at = Set(closes);
            m.cancel_deadline_hours = Set(cancel);
            m.reminder_lead_hours = Set(lead);
            m.note = Set(form.note.trim().to_string());
            m.update(db).await?;
            // Capacity goes through the seat rules: more seats pass to the waiting list.
            if let Some(c) = capacity
                && Some(c) != old_capacity
            {
                match bookings::set_capacity(db, run_id, c, ctx.now).await {
                    Ok(()) => {}
                    Err(bookings::BookingError::Db(e)) => return Err(e.into()),
                    Err(_) => {
                        back("pladser-faerre");
                        return Ok(());
                    }
                }
            }
            run_id
        }
        None => {
            run::ActiveModel {
                course_id: Set(course.id),
                school_id: Set(school_id),
                location_id: Set(location_id),
                capacity: Set(capacity),
                waitlist_enabled: Set(form.waitlist == "ja"),
                signup_opens_at: Set(opens),
                signup_closes_at: Set(closes),
                waitlist_mode: Set(mode),
                offer_hours: Set(offer_hours),
                cancel_deadline_hours: Set(cancel),
                booking_rev: Set(0),
                status: Set(RunStatus::Draft),
                note: Set(form.note.trim().to_string()),
                reminder_lead_hours: Set(lead),
                created_at: Set(ctx.now),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    leptos_axum::redirect(&format!("/personale/hold/{saved_id}?gemt=1"));
    Ok(())
}

/// Adds a teacher to the run's team.
#[server(endpoint = "personale_hold_underviser")]
pub async fn add_teacher(run_id: i32, teacher_id: i32) -> Result<(), AppError> {
    use entity::{run_teacher, teacher};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    if teacher::Entity::find_by_id(teacher_id)
        .one(&ctx.state.db)
        .await?
        .is_none()
    {
        return crate::services::staff::guard::not_found();
    }
    if run_teacher::Entity::find_by_id((r.id, teacher_id))
        .one(&ctx.state.db)
        .await?
        .is_none()
    {
        run_teacher::ActiveModel {
            run_id: Set(r.id),
            teacher_id: Set(teacher_id),
        }
        .insert(&ctx.state.db)
        .await?;
    }
    leptos_axum::redirect(&format!("/personale/hold/{}#team", r.id));
    Ok(())
}

/// Takes a teacher off the team. A published run keeps a co-producing team: the last peer or
/// the last professional/relative cannot be taken off.
#[server(endpoint = "personale_hold_underviser_fjern")]
pub async fn remove_teacher(run_id: i32, teacher_id: i32) -> Result<(), AppError> {
    use crate::rules::coproduction;
    use crate::services::staff::overview;
    use entity::{RunStatus, run_teacher, teacher};
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    if r.status == RunStatus::Published {
        let mut kinds = overview::team_kinds(&ctx.state.db, &[r.id])
            .await?
            .remove(&r.id)
            .unwrap_or_default();
        if let Some(t) = teacher::Entity::find_by_id(teacher_id)
            .one(&ctx.state.db)
            .await?
        {
            let kind: TeacherKind = t.kind.into();
            if let Some(i) = kinds.iter().position(|k| *k == kind) {
                kinds.remove(i);
            }
        }
        if !coproduction::may_publish(&kinds) {
            leptos_axum::redirect(&format!(
                "/personale/hold/{}?fejl=team-offentlig#fejl",
                r.id
            ));
            return Ok(());
        }
    }
    run_teacher::Entity::delete_by_id((r.id, teacher_id))
        .exec(&ctx.state.db)
        .await?;
    leptos_axum::redirect(&format!("/personale/hold/{}#team", r.id));
    Ok(())
}

#[cfg(feature = "ssr")]
fn session_times(
    form: &SessionForm,
) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), &'static str> {
    let date = parse_date(&form.date).ok_or("dato")?;
    let start = parse_time(&form.start).ok_or("start")?;
    let end = parse_time(&form.end).ok_or("slut")?;
    if end <= start {
        return Err("slut-foer-start");
    }
    let starts = local_to_utc(date, start).ok_or("start")?;
    let ends = local_to_utc(date, end).ok_or("slut")?;
    Ok((starts, ends))
}

/// Adds a session to a run.
#[server(endpoint = "personale_gang_ny")]
pub async fn add_session(#[server(flatten)] form: SessionForm) -> Result<(), AppError> {
    use entity::session;
    use sea_orm::{ActiveModelTrait, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let r = access::editable(&ctx, run_id).await?;
    let (starts, ends) = match session_times(&form) {
        Ok(t) => t,
        Err(code) => {
            leptos_axum::redirect(&format!("/personale/hold/{}?fejl={code}#gange", r.id));
            return Ok(());
        }
    };
    let online = form.online_url.trim();
    if !online.is_empty() && !online.starts_with("https://") {
        leptos_axum::redirect(&format!("/personale/hold/{}?fejl=link#gange", r.id));
        return Ok(());
    }
    session::ActiveModel {
        run_id: Set(r.id),
        starts_at: Set(starts),
        ends_at: Set(ends),
        location_id: Set(form.location.trim().parse().ok()),
        online_url: Set((!online.is_empty()).then(|| online.to_string())),
        cancelled: Set(false),
        sequence: Set(0),
        ..Default::default()
    }
    .insert(&ctx.state.db)
    .await?;
    leptos_axum::redirect(&format!("/personale/hold/{}?gang=tilfoejet#gange", r.id));
    Ok(())
}

/// Moves a session; everyone on the run is told, with an updated calendar entry.
#[server(endpoint = "personale_gang_flyt")]
pub async fn move_session(#[server(flatten)] form: SessionForm) -> Result<(), AppError> {
    use crate::services::booking as bookings;
    use entity::session;
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let session_id = form.session.trim().parse::<i32>().unwrap_or(0);
    let Some(s) = session::Entity::find_by_id(session_id)
        .one(&ctx.state.db)
        .await?
    else {
        return crate::services::staff::guard::not_found();
    };
    let r = access::editable(&ctx, s.run_id).await?;
    let (starts, ends) = match session_times(&form) {
        Ok(t) => t,
        Err(code) => {
            leptos_axum::redirect(&format!(
                "/personale/hold/{}?fejl={code}#gang-{session_id}",
                r.id
            ));
            return Ok(());
        }
    };
    let place = match form.location.trim() {
        "" => Some(None),
        t => Some(t.parse::<i32>().ok()),
    };
    match bookings::move_session(
        &ctx.state.db,
        session_id,
        starts,
        ends,
        place,
        form.note.trim(),
        ctx.now,
    )
    .await
    {
        Ok(()) => {}
        Err(bookings::BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            leptos_axum::redirect(&format!("/personale/hold/{}?fejl=flyt#gange", r.id));
            return Ok(());
        }
    }
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "session.move",
        format!("Hold {} · gang {session_id}", r.id),
        format!(
            "{} → {}",
            crate::rules::time::to_local(s.starts_at),
            crate::rules::time::to_local(starts)
        ),
    )
    .await?;
    leptos_axum::redirect(&format!("/personale/hold/{}?gang=flyttet#gange", r.id));
    Ok(())
}

/// Cancels a session; everyone on the run is told.
#[server(endpoint = "personale_gang_aflys")]
pub async fn cancel_session(session: i32, #[server(default)] note: String) -> Result<(), AppError> {
    use crate::services::booking as bookings;
    use entity::session as sessions;
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some(s) = sessions::Entity::find_by_id(session)
        .one(&ctx.state.db)
        .await?
    else {
        return crate::services::staff::guard::not_found();
    };
    let r = access::editable(&ctx, s.run_id).await?;
    match bookings::cancel_session(&ctx.state.db, session, note.trim(), ctx.now).await {
        Ok(()) => {}
        Err(bookings::BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            leptos_axum::redirect(&format!("/personale/hold/{}?fejl=aflys#gange", r.id));
            return Ok(());
        }
    }
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "session.cancel",
        format!("Hold {} · gang {session}", r.id),
        note.trim().to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!("/personale/hold/{}?gang=aflyst#gange", r.id));
    Ok(())
}

/// Publishes a run: it must have a session and a co-producing team, and its course must be
/// published.
#[server(endpoint = "personale_hold_offentliggoer")]
pub async fn publish_run(run_id: i32) -> Result<(), AppError> {
    use crate::rules::coproduction;
    use crate::services::staff::overview;
    use entity::{CourseStatus, RunStatus, run, session};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let back = |code: &str| {
        leptos_axum::redirect(&format!("/personale/hold/{run_id}?fejl={code}#fejl"));
    };
    if r.status != RunStatus::Draft {
        back("ikke-kladde");
        return Ok(());
    }
    let kinds = overview::team_kinds(db, &[r.id])
        .await?
        .remove(&r.id)
        .unwrap_or_default();
    if !coproduction::may_publish(&kinds) {
        back("team");
        return Ok(());
    }
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.eq(r.id))
        .filter(session::Column::Cancelled.eq(false))
        .count(db)
        .await?;
    if sessions == 0 {
        back("ingen-gange");
        return Ok(());
    }
    let course = access::course(&ctx, r.course_id).await?;
    if course.status != CourseStatus::Published {
        back("kursus-kladde");
        return Ok(());
    }
    run::Entity::update_many()
        .col_expr(run::Column::Status, Expr::value(RunStatus::Published))
        .filter(run::Column::Id.eq(r.id))
        .filter(run::Column::Status.eq(RunStatus::Draft))
        .exec(db)
        .await?;
    leptos_axum::redirect(&format!("/personale/hold/{run_id}?offentliggjort=1"));
    Ok(())
}

/// Cancels the whole run; everyone on it is told, with the school's note.
#[server(endpoint = "personale_hold_aflys")]
pub async fn cancel_run(
    run_id: i32,
    #[server(default)] note: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use crate::services::booking as bookings;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    if confirm != "ja" {
        leptos_axum::redirect(&format!("/personale/hold/{run_id}?fejl=bekraeft#aflys"));
        return Ok(());
    }
    match bookings::cancel_run(&ctx.state.db, run_id, note.trim(), ctx.now).await {
        Ok(()) => {}
        Err(bookings::BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            leptos_axum::redirect(&format!("/personale/hold/{run_id}?fejl=aflys#aflys"));
            return Ok(());
        }
    }
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "run.cancel",
        format!("Hold {run_id}"),
        note.trim().to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!("/personale/hold/{run_id}?aflyst=1"));
    Ok(())
}

/// Copies a run to a later date: same settings and team, every session `weeks` weeks later,
/// as a new draft with no bookings.
#[server(endpoint = "personale_hold_kopier")]
pub async fn duplicate_run(run_id: i32, #[server(default)] weeks: String) -> Result<(), AppError> {
    use crate::rules::access::Action;
    use entity::{RunStatus, run, run_teacher, session};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::editable(&ctx, run_id).await?;
    let own_course = access::own_course(&ctx, r.course_id).await?;
    crate::services::staff::guard::allow(
        &ctx,
        Action::CreateRun {
            school: r.school_id,
            own_course: own_course || access::own_run(&ctx, r.id).await?,
        },
    )?;
    let Ok(weeks) = number(&weeks, 1, 104, "uger") else {
        leptos_axum::redirect(&format!("/personale/hold/{run_id}?fejl=uger#kopier"));
        return Ok(());
    };
    let shift = chrono::Duration::weeks(i64::from(weeks));
    let db = &ctx.state.db;
    let copy = run::ActiveModel {
        course_id: Set(r.course_id),
        school_id: Set(r.school_id),
        location_id: Set(r.location_id),
        capacity: Set(r.capacity),
        waitlist_enabled: Set(r.waitlist_enabled),
        signup_opens_at: Set(r.signup_opens_at.map(|t| t + shift)),
        signup_closes_at: Set(r.signup_closes_at.map(|t| t + shift)),
        waitlist_mode: Set(r.waitlist_mode),
        offer_hours: Set(r.offer_hours),
        cancel_deadline_hours: Set(r.cancel_deadline_hours),
        booking_rev: Set(0),
        status: Set(RunStatus::Draft),
        note: Set(r.note.clone()),
        reminder_lead_hours: Set(r.reminder_lead_hours),
        created_at: Set(ctx.now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for t in run_teacher::Entity::find()
        .filter(run_teacher::Column::RunId.eq(r.id))
        .all(db)
        .await?
    {
        run_teacher::ActiveModel {
            run_id: Set(copy.id),
            teacher_id: Set(t.teacher_id),
        }
        .insert(db)
        .await?;
    }
    for s in session::Entity::find()
        .filter(session::Column::RunId.eq(r.id))
        .filter(session::Column::Cancelled.eq(false))
        .all(db)
        .await?
    {
        // The same local time of day, also across a change to or from summer time.
        let local_start = crate::rules::time::to_local(s.starts_at) + shift;
        let local_end = crate::rules::time::to_local(s.ends_at) + shift;
        let (Some(starts), Some(ends)) = (
            local_to_utc(local_start.date(), local_start.time()),
            local_to_utc(local_end.date(), local_end.time()),
        ) else {
            continue;
        };
        session::ActiveModel {
            run_id: Set(copy.id),
            starts_at: Set(starts),
            ends_at: Set(ends),
            location_id: Set(s.location_id),
            online_url: Set(s.online_url.clone()),
            cancelled: Set(false),
            sequence: Set(0),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    leptos_axum::redirect(&format!("/personale/hold/{}?kopieret=1", copy.id));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_read_plainly() {
        assert_eq!(number("12", 1, 500, "x"), Ok(12));
        assert_eq!(number("0", 1, 500, "x"), Err("x"));
        assert_eq!(number("tolv", 1, 500, "x"), Err("x"));
    }
}
