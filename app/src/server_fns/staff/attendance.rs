//! Fremmøde: the run's teachers (and the school's coordinators) record, per session, how each
//! person on the run took part, add someone who came without signing up, and for drop-in
//! sessions record a headcount without names. A later change of what was recorded is a
//! correction and goes in the audit log with what it was before.

#[allow(unused_imports)]
use crate::dto::staff::attendance::*;
use leptos::prelude::*;

use crate::error::AppError;

/// How long before a session starts its attendance can be recorded.
pub const OPEN_BEFORE_MINUTES: i64 = 60;

/// The attendance list of one session of a run (`session`: its id, or 0 for the session that
/// is on now or was the latest).
#[server(endpoint = "personale_fremmoede")]
pub async fn attendance(run_id: i32, session: i32) -> Result<AttendanceDto, AppError> {
    use crate::rules::time::to_local;
    use crate::services::staff::access;
    use entity::{CourseFormat, attendance, course, headcount, school};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let sessions = crate::services::attendance::sessions(db, r.id).await?;
    let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let with_rows: Vec<i32> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .distinct()
        .filter(attendance::Column::SessionId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let counted: Vec<i32> = headcount::Entity::find()
        .select_only()
        .column(headcount::Column::SessionId)
        .filter(headcount::Column::SessionId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let choices: Vec<SessionChoice> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| SessionChoice {
            id: s.id,
            number: i + 1,
            starts: to_local(s.starts_at),
            ends: to_local(s.ends_at),
            cancelled: s.cancelled,
            recorded: with_rows.contains(&s.id) || counted.contains(&s.id),
            open: crate::services::attendance::is_open(s, ctx.now),
        })
        .collect();
    // The asked-for session, else the latest that is open, else the first.
    let chosen = choices
        .iter()
        .find(|c| c.id == session)
        .or_else(|| choices.iter().rfind(|c| c.open && !c.cancelled))
        .or_else(|| choices.first())
        .cloned();
    let course = course::Entity::find_by_id(r.course_id).one(db).await?;
    let drop_in = course
        .as_ref()
        .is_some_and(|c| c.format == CourseFormat::DropIn);
    let mut rows = Vec::new();
    let mut count = HeadcountDto::default();
    if let Some(c) = &chosen
        && let Some(s) = sessions.iter().find(|s| s.id == c.id)
    {
        // A drop-in counts heads: no names are sent to the page.
        if !drop_in {
            rows = crate::services::attendance::rows(db, s).await?;
        }
        if let Some(h) = headcount::Entity::find_by_id(s.id).one(db).await? {
            let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
            count = HeadcountDto {
                total: n(Some(h.total)),
                own_experience: n(h.own_experience),
                relative: n(h.relative),
                professional: n(h.professional),
                other: n(h.other),
            };
        }
    }
    let school = school::Entity::find_by_id(r.school_id).one(db).await?;
    if !rows.is_empty() {
        crate::services::staff::guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.view",
            format!("Hold {}", r.id),
            String::new(),
        )
        .await?;
    }
    Ok(AttendanceDto {
        me: super::account::me_dto(&ctx).await?,
        run_id: r.id,
        course_title: course.map(|c| c.title).unwrap_or_default(),
        school_name: school.map(|s| s.name).unwrap_or_default(),
        drop_in,
        sessions: choices,
        session: chosen,
        rows,
        headcount: count,
    })
}

/// Saves the attendance of one session. Taps already recorded and not in the form stay as
/// they were; a changed status is a correction and is written to the audit log.
#[server(endpoint = "personale_fremmoede_gem")]
pub async fn save_attendance(#[server(flatten)] form: AttendanceForm) -> Result<(), AppError> {
    use entity::AttendanceStatus;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some((s, r)) = crate::services::attendance::recordable(&ctx, &form.session).await? else {
        return Ok(());
    };
    let back = |query: &str| crate::services::attendance::back(&s, query);
    let rows = crate::services::attendance::rows(&ctx.state.db, &s).await?;
    let mut wanted = Vec::new();
    for row in &rows {
        let given = form.status.get(&format!("b{}", row.booking_id));
        let status = match given.map(String::as_str) {
            Some(v) if !v.is_empty() => match AttendanceStatus::from_slug(v) {
                Some(status) => Some(status),
                None => {
                    back("fejl=valg");
                    return Ok(());
                }
            },
            _ if form.all == "present" && !row.afbud_in_advance => {
                // Everyone not marked otherwise, in the form or before.
                match row.status.as_deref() {
                    None => Some(AttendanceStatus::Present),
                    Some(_) => None,
                }
            }
            _ => None,
        };
        if let Some(status) = status {
            wanted.push((row.booking_id, status));
        }
    }
    let changes = crate::services::attendance::record(
        &ctx.state.db,
        s.id,
        &wanted,
        Some(ctx.me.account.id),
        ctx.now,
    )
    .await?;
    let names = |ids: &[(i32, String, String)]| {
        ids.iter()
            .map(|(id, before, after)| {
                let name = rows
                    .iter()
                    .find(|r| r.booking_id == *id)
                    .map_or("", |r| r.name.as_str());
                format!("{name} (tilmelding {id}): {before} → {after}")
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !changes.corrected.is_empty() {
        crate::services::staff::guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.correct",
            format!("Hold {}, undervisningsgang {}", r.id, s.id),
            names(&changes.corrected),
        )
        .await?;
    }
    if changes.added > 0 {
        crate::services::staff::guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.record",
            format!("Hold {}, undervisningsgang {}", r.id, s.id),
            format!("{} registreret", changes.added),
        )
        .await?;
    }
    back("besked=gemt#besked");
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
    use crate::rules::signup::{self, Field};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some((s, r)) = crate::services::attendance::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    let back = |query: &str| crate::services::attendance::back(&s, query);
    let mut errors = Vec::new();
    let name = signup::check_name(&name, Field::Name, &mut errors);
    if let Some(e) = errors.first() {
        back(&format!(
            "fejl={}#ny",
            e.key.rsplit('.').next().unwrap_or("felt")
        ));
        return Ok(());
    }
    let perspective = match perspective.trim() {
        "" => None,
        p => match crate::services::attendance::perspective(p) {
            Some(p) => Some(p),
            None => {
                back("fejl=valg#ny");
                return Ok(());
            }
        },
    };
    let booking_id = match crate::services::booking::store::walk_in(
        &ctx.state.db,
        r.id,
        &s,
        &name,
        perspective,
        ctx.me.account.id,
        ctx.now,
    )
    .await
    {
        Ok(id) => id,
        Err(crate::services::booking::store::BookingError::Db(e)) => return Err(e.into()),
        Err(_) => return crate::services::staff::guard::not_found(),
    };
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "attendance.walk_in",
        format!("{name} (tilmelding {booking_id}, hold {})", r.id),
        String::new(),
    )
    .await?;
    back("besked=tilfoejet#besked");
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
    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some((s, r)) = crate::services::attendance::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    let back = |query: &str| crate::services::attendance::back(&s, query);
    let count = match parse_headcount([&total, &own_experience, &relative, &professional, &other]) {
        Ok(c) => c,
        Err(code) => {
            back(&format!("fejl={code}#antal"));
            return Ok(());
        }
    };
    let before = crate::services::attendance::save_headcount(
        &ctx.state.db,
        s.id,
        &count,
        ctx.me.account.id,
        ctx.now,
    )
    .await?;
    if let Some(before) = before {
        crate::services::staff::guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.correct",
            format!("Hold {}, undervisningsgang {}", r.id, s.id),
            format!("antal: {before} → {}", count.total.unwrap_or_default()),
        )
        .await?;
    }
    back("besked=gemt#besked");
    Ok(())
}

/// Reads a headcount form: a total (required) and optional counts per perspective that do not
/// add up to more than the total. The error is the code the page explains.
pub fn parse_headcount(values: [&str; 5]) -> Result<HeadcountDto, &'static str> {
    let mut parsed = [None; 5];
    for (slot, value) in parsed.iter_mut().zip(values) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match value.parse::<u32>() {
            Ok(n) if n <= HEADCOUNT_MAX => *slot = Some(n),
            _ => return Err("antal"),
        }
    }
    let [total, own_experience, relative, professional, other] = parsed;
    let Some(total) = total else {
        return Err("antal_mangler");
    };
    let parts: u32 = [own_experience, relative, professional, other]
        .iter()
        .flatten()
        .sum();
    if parts > total {
        return Err("antal_sum");
    }
    Ok(HeadcountDto {
        total: Some(total),
        own_experience,
        relative,
        professional,
        other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headcount_needs_a_total_and_parts_that_fit_in_it() {
        let ok = parse_headcount(["12", "5", "", "3", " "]).expect("valid");
        assert_eq!(ok.total, Some(12));
        assert_eq!(ok.own_experience, Some(5));
        assert_eq!(ok.relative, None);
        assert_eq!(ok.professional, Some(3));
        assert_eq!(parse_headcount(["", "1", "", "", ""]), Err("antal_mangler"));
        assert_eq!(parse_headcount(["4", "3", "2", "", ""]), Err("antal_sum"));
        assert_eq!(parse_headcount(["-1", "", "", "", ""]), Err("antal"));
        assert_eq!(parse_headcount(["tolv", "", "", "", ""]), Err("antal"));
        assert_eq!(parse_headcount(["501", "", "", "", ""]), Err("antal"));
        assert_eq!(
            parse_headcount(["0", "", "", "", ""]).map(|c| c.total),
            Ok(Some(0))
        );
    }
}
