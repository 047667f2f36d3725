//! Fremmøde: the run's teachers (and the school's coordinators) record, per session, how each
//! person on the run took part, add someone who came without signing up, and for drop-in
//! sessions record a headcount without names. A later change of what was recorded is a
//! correction and goes in the audit log with what it was before.

use leptos::prelude::*;

use crate::dto::staff::attendance::{AttendanceDto, AttendanceForm};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod web {
    //! Finding the session a form is about, and the way back to its page.

    use entity::{run, session};

    use crate::dto::staff::attendance::AttendanceRefusal;
    use crate::error::AppError;
    use crate::services::request;
    use crate::services::staff::guard::{self, Ctx};
    use crate::services::{attendance, staff::access};

    /// The page of a session.
    pub fn page(s: &session::Model) -> String {
        format!("/personale/hold/{}/fremmoede?gang={}", s.run_id, s.id)
    }

    /// The session a form names, with its run, if the person may take its attendance now.
    /// `None` after answering: 404 for no such session, or back to the page saying why not
    /// (cancelled, not begun); 403 for someone not on the team.
    pub async fn recordable(
        ctx: &Ctx,
        id: &str,
    ) -> Result<Option<(session::Model, run::Model)>, AppError> {
        let Some(s) = attendance::session(&ctx.state.db, id).await? else {
            return guard::not_found();
        };
        let r = access::roster(ctx, s.run_id).await?;
        if let Some(closed) = attendance::closed_now(&s, ctx.now) {
            request::refuse(&page(&s), &[AttendanceRefusal::from(closed)], "");
            return Ok(None);
        }
        Ok(Some((s, r)))
    }
}

/// The attendance list of one session of a run (`session`: its id, or 0 for the session that
/// is on now or was the latest).
#[server(endpoint = "personale_fremmoede")]
pub async fn attendance(run_id: i32, session: i32) -> Result<AttendanceDto, AppError> {
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let page = crate::services::attendance::page(&ctx.state.db, &r, session, ctx.now).await?;
    if !page.rows.is_empty() {
        guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.view",
            format!("Hold {}", r.id),
            String::new(),
        )
        .await?;
    }
    Ok(AttendanceDto {
        me: guard::me_dto(&ctx).await?,
        run_id: r.id,
        course_title: page.course_title,
        school_name: page.school_name,
        drop_in: page.drop_in,
        sessions: page.sessions,
        session: page.chosen,
        rows: page.rows,
        headcount: page.headcount,
    })
}

/// Saves the attendance of one session. Taps already recorded and not in the form stay as
/// they were; a changed status is a correction and is written to the audit log.
#[server(endpoint = "personale_fremmoede_gem")]
pub async fn save_attendance(#[server(flatten)] form: AttendanceForm) -> Result<(), AppError> {
    use crate::dto::staff::attendance::AttendanceRefusal;
    use crate::services::{attendance, request, staff::guard};
    use entity::AttendanceStatus;

    let ctx = guard::signed_in().await?;
    let Some((s, r)) = web::recordable(&ctx, &form.session).await? else {
        return Ok(());
    };
    let rows = attendance::rows(&ctx.state.db, &s).await?;
    let mut wanted = Vec::new();
    for row in &rows {
        let given = form.status.get(&format!("b{}", row.booking_id));
        let status = match given.map(String::as_str) {
            Some(v) if !v.is_empty() => match AttendanceStatus::from_slug(v) {
                Some(status) => Some(status),
                None => {
                    request::refuse(&web::page(&s), &[AttendanceRefusal::Choice], "");
                    return Ok(());
                }
            },
            // Everyone not marked otherwise, in the form or before.
            _ if form.all == "present" && !row.afbud_in_advance && row.status.is_none() => {
                Some(AttendanceStatus::Present)
            }
            _ => None,
        };
        if let Some(status) = status {
            wanted.push((row.booking_id, status));
        }
    }
    let changes = attendance::record(
        &ctx.state.db,
        s.id,
        &wanted,
        Some(ctx.me.account.id),
        ctx.now,
    )
    .await?;
    let subject = format!("Hold {}, undervisningsgang {}", r.id, s.id);
    if !changes.corrected.is_empty() {
        let detail = changes
            .corrected
            .iter()
            // The booking, never the person's name: the log outlives their data.
            .map(|(id, before, after)| format!("tilmelding {id}: {before} → {after}"))
            .collect::<Vec<_>>()
            .join("; ");
        guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.correct",
            subject.clone(),
            detail,
        )
        .await?;
    }
    if changes.added > 0 {
        let detail = format!("{} registreret", changes.added);
        guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.record",
            subject,
            detail,
        )
        .await?;
    }
    leptos_axum::redirect(&format!("{}&besked=gemt#besked", web::page(&s)));
    Ok(())
}

/// Adds someone who came without signing up: a seat on the run with their name (a first name
/// is enough) and, if they give one, their perspective; no e-mail. They are marked present.
#[server(endpoint = "personale_fremmoede_ny")]
pub async fn add_walk_in(
    session: String,
    #[server(default)] name: String,
    #[server(default)] perspective: String,
) -> Result<(), AppError> {
    use crate::dto::staff::attendance::AttendanceRefusal;
    use crate::rules::signup::name_problem;
    use crate::services::booking::{self, BookingError};
    use crate::services::{attendance, request, staff::guard};

    let ctx = guard::signed_in().await?;
    let Some((s, r)) = web::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    if let Some(problem) = name_problem(&name) {
        request::refuse(&web::page(&s), &[AttendanceRefusal::from(problem)], "ny");
        return Ok(());
    }
    let name = name.trim();
    let perspective = match perspective.trim() {
        "" => None,
        p => match attendance::perspective(p) {
            Some(p) => Some(p),
            None => {
                request::refuse(&web::page(&s), &[AttendanceRefusal::Choice], "ny");
                return Ok(());
            }
        },
    };
    let by = ctx.me.account.id;
    let booking_id =
        match booking::walk_in(&ctx.state.db, r.id, &s, name, perspective, by, ctx.now).await {
            Ok(id) => id,
            Err(BookingError::Db(e)) => return Err(e.into()),
            Err(_) => return guard::not_found(),
        };
    guard::audit(
        &ctx,
        Some(r.school_id),
        "attendance.walk_in",
        crate::rules::retention::booking_subject(booking_id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}&besked=tilfoejet#besked", web::page(&s)));
    Ok(())
}

/// Saves a drop-in session's headcount (and, optionally, counts per perspective).
#[server(endpoint = "personale_fremmoede_antal")]
pub async fn save_headcount(
    session: String,
    #[server(default)] total: String,
    #[server(default)] own_experience: String,
    #[server(default)] relative: String,
    #[server(default)] professional: String,
    #[server(default)] other: String,
) -> Result<(), AppError> {
    use crate::dto::staff::attendance::AttendanceRefusal;
    use crate::rules::attendance::parse_headcount;
    use crate::services::{attendance, request, staff::guard};

    let ctx = guard::signed_in().await?;
    let Some((s, r)) = web::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    let count = match parse_headcount([&total, &own_experience, &relative, &professional, &other]) {
        Ok(c) => c,
        Err(problem) => {
            request::refuse(&web::page(&s), &[AttendanceRefusal::from(problem)], "antal");
            return Ok(());
        }
    };
    let by = ctx.me.account.id;
    let before = attendance::save_headcount(&ctx.state.db, s.id, &count, by, ctx.now).await?;
    if let Some(before) = before {
        guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.correct",
            format!("Hold {}, undervisningsgang {}", r.id, s.id),
            format!("antal: {before} → {}", count.total.unwrap_or_default()),
        )
        .await?;
    }
    leptos_axum::redirect(&format!("{}&besked=gemt#besked", web::page(&s)));
    Ok(())
}
