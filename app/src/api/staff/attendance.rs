//! Fremmøde: the run's teachers (and the school's coordinators) record, per session, how each
//! person on the run took part, add someone who came without signing up, and for drop-in
//! sessions record a headcount without names. A later change of what was recorded is a
//! correction and goes in the audit log with what it was before.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::MeDto;
use crate::error::AppError;

/// How long before a session starts its attendance can be recorded.
pub const OPEN_BEFORE_MINUTES: i64 = 60;
/// The largest headcount a form accepts.
pub const HEADCOUNT_MAX: u32 = 500;

/// One session of the run, to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub id: i32,
    /// 1-based number of the session in the run.
    pub number: usize,
    pub starts: chrono::NaiveDateTime,
    pub ends: chrono::NaiveDateTime,
    pub cancelled: bool,
    /// Attendance or a headcount has been recorded.
    pub recorded: bool,
    /// Attendance may be recorded (the session has begun, or is about to).
    pub open: bool,
}

/// One person on the attendance list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub booking_id: i32,
    pub name: String,
    /// The recorded status's slug (`present`, `late`, `left_early`, `absent`, `afbud`); for a
    /// person who gave afbud in advance and has nothing recorded, `afbud`.
    pub status: Option<String>,
    /// Gave afbud for this session in advance.
    pub afbud_in_advance: bool,
    /// Came without signing up.
    pub walk_in: bool,
}

/// A drop-in session's count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadcountDto {
    pub total: Option<u32>,
    pub own_experience: Option<u32>,
    pub relative: Option<u32>,
    pub professional: Option<u32>,
    pub other: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    /// A drop-in: heads are counted, no names.
    pub drop_in: bool,
    pub sessions: Vec<SessionChoice>,
    /// The session shown.
    pub session: Option<SessionChoice>,
    pub rows: Vec<AttendanceRow>,
    pub headcount: HeadcountDto,
}

/// The attendance list of one session of a run (`session`: its id, or 0 for the session that
/// is on now or was the latest).
#[server(endpoint = "personale_fremmoede")]
pub async fn attendance(run_id: i32, session: i32) -> Result<AttendanceDto, AppError> {
    use super::runs::access;
    use crate::rules::time::to_local;
    use entity::{CourseFormat, attendance, course, headcount, school};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

    let ctx = super::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let sessions = store::sessions(db, r.id).await?;
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
            open: store::is_open(s, ctx.now),
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
            rows = store::rows(db, s).await?;
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
        super::guard::audit(
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

/// The attendance form, as posted: `status[b<booking id>]` per person (a letter first: serde_qs
/// reads numeric keys as list positions). `all=present` marks everyone not yet marked present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub status: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub all: String,
}

/// Saves the attendance of one session. Taps already recorded and not in the form stay as
/// they were; a changed status is a correction and is written to the audit log.
#[server(endpoint = "personale_fremmoede_gem")]
pub async fn save_attendance(#[server(flatten)] form: AttendanceForm) -> Result<(), AppError> {
    use entity::AttendanceStatus;

    let ctx = super::guard::signed_in().await?;
    let Some((s, r)) = store::recordable(&ctx, &form.session).await? else {
        return Ok(());
    };
    let back = |query: &str| store::back(&s, query);
    let rows = store::rows(&ctx.state.db, &s).await?;
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
    let changes = store::record(
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
        super::guard::audit(
            &ctx,
            Some(r.school_id),
            "attendance.correct",
            format!("Hold {}, undervisningsgang {}", r.id, s.id),
            names(&changes.corrected),
        )
        .await?;
    }
    if changes.added > 0 {
        super::guard::audit(
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

    let ctx = super::guard::signed_in().await?;
    let Some((s, r)) = store::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    let back = |query: &str| store::back(&s, query);
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
        p => match store::perspective(p) {
            Some(p) => Some(p),
            None => {
                back("fejl=valg#ny");
                return Ok(());
            }
        },
    };
    let booking_id = store::walk_in(
        &ctx.state.db,
        &r,
        &s,
        &name,
        perspective,
        ctx.me.account.id,
        ctx.now,
    )
    .await?;
    super::guard::audit(
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
    let ctx = super::guard::signed_in().await?;
    let Some((s, r)) = store::recordable(&ctx, &session).await? else {
        return Ok(());
    };
    let back = |query: &str| store::back(&s, query);
    let count = match parse_headcount([&total, &own_experience, &relative, &professional, &other]) {
        Ok(c) => c,
        Err(code) => {
            back(&format!("fejl={code}#antal"));
            return Ok(());
        }
    };
    let before =
        store::save_headcount(&ctx.state.db, s.id, &count, ctx.me.account.id, ctx.now).await?;
    if let Some(before) = before {
        super::guard::audit(
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

#[cfg(feature = "ssr")]
pub(crate) mod store {
    //! Reading and writing attendance.

    use chrono::{DateTime, Duration, Utc};
    use entity::{
        AttendanceStatus, BookingStatus, Perspective, attendance, booking, headcount, run, session,
        session_absence,
    };
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
        QueryOrder, QuerySelect, Set, TransactionTrait,
    };

    use super::{AttendanceRow, HeadcountDto, OPEN_BEFORE_MINUTES};
    use crate::api::staff::guard::Ctx;
    use crate::error::AppError;

    /// The source of a booking made for someone who came without signing up.
    pub const WALK_IN: &str = "walk_in";

    pub async fn sessions(
        db: &impl ConnectionTrait,
        run_id: i32,
    ) -> Result<Vec<session::Model>, DbErr> {
        session::Entity::find()
            .filter(session::Column::RunId.eq(run_id))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await
    }

    /// The session a form names, if it exists.
    pub async fn session(ctx: &Ctx, id: &str) -> Result<Option<session::Model>, AppError> {
        let Ok(id) = id.trim().parse::<i32>() else {
            return Ok(None);
        };
        Ok(session::Entity::find_by_id(id).one(&ctx.state.db).await?)
    }

    /// The session a form names, with its run, if the person may record attendance for it
    /// now. `None` after answering: 404 for no such session, or a redirect back to the page
    /// saying why not (cancelled, not begun); 403 for someone not on the team.
    pub async fn recordable(
        ctx: &Ctx,
        id: &str,
    ) -> Result<Option<(session::Model, run::Model)>, AppError> {
        let Some(s) = session(ctx, id).await? else {
            return crate::api::staff::guard::not_found();
        };
        let r = crate::api::staff::runs::access::roster(ctx, s.run_id).await?;
        if let Some(code) = refusal(&s, ctx.now) {
            back(&s, &format!("fejl={code}"));
            return Ok(None);
        }
        Ok(Some((s, r)))
    }

    /// Sends the browser back to the session's attendance page with `query`.
    pub fn back(s: &session::Model, query: &str) {
        leptos_axum::redirect(&format!(
            "/personale/hold/{}/fremmoede?gang={}&{query}",
            s.run_id, s.id
        ));
    }

    pub fn is_open(s: &session::Model, now: DateTime<Utc>) -> bool {
        s.starts_at - Duration::minutes(OPEN_BEFORE_MINUTES) <= now
    }

    /// Why attendance cannot be recorded for the session now, as the page's error code.
    pub fn refusal(s: &session::Model, now: DateTime<Utc>) -> Option<&'static str> {
        if s.cancelled {
            Some("aflyst")
        } else if !is_open(s, now) {
            Some("fremtid")
        } else {
            None
        }
    }

    pub fn perspective(slug: &str) -> Option<Perspective> {
        use crate::rules::vocabulary::Perspective as P;
        P::from_slug(slug)
            .filter(|p| *p != P::Undisclosed)
            .map(Perspective::from)
    }

    /// Who is on the list of a session: everyone with a seat who had signed up before it
    /// ended, and anyone with something recorded for it (also if they left the run later).
    pub async fn rows(
        db: &impl ConnectionTrait,
        s: &session::Model,
    ) -> Result<Vec<AttendanceRow>, DbErr> {
        let recorded = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(s.id))
            .all(db)
            .await?;
        let afbud: Vec<i32> = session_absence::Entity::find()
            .select_only()
            .column(session_absence::Column::BookingId)
            .filter(session_absence::Column::SessionId.eq(s.id))
            .into_tuple()
            .all(db)
            .await?;
        let people = booking::Entity::find()
            .filter(booking::Column::RunId.eq(s.run_id))
            .filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(booking::Column::Status.eq(BookingStatus::Confirmed))
                            .add(booking::Column::CreatedAt.lte(s.ends_at)),
                    )
                    .add(booking::Column::Id.is_in(recorded.iter().map(|a| a.booking_id))),
            )
            .order_by_asc(booking::Column::Name)
            .order_by_asc(booking::Column::Id)
            .all(db)
            .await?;
        Ok(people
            .into_iter()
            .map(|b| {
                let in_advance = afbud.contains(&b.id);
                let status = recorded
                    .iter()
                    .find(|a| a.booking_id == b.id)
                    .map(|a| a.status)
                    .or(in_advance.then_some(AttendanceStatus::Afbud));
                AttendanceRow {
                    booking_id: b.id,
                    name: b.name,
                    status: status.map(|s| s.slug().to_string()),
                    afbud_in_advance: in_advance,
                    walk_in: b.source == WALK_IN,
                }
            })
            .collect())
    }

    /// What [`record`] changed: how many were recorded for the first time, and the corrections
    /// as `(booking id, before, after)`.
    pub struct Changes {
        pub added: usize,
        pub corrected: Vec<(i32, String, String)>,
    }

    /// Records statuses for a session in one transaction; two teachers saving at once both
    /// land (the later tap wins per person).
    pub async fn record(
        db: &sea_orm::DatabaseConnection,
        session_id: i32,
        wanted: &[(i32, AttendanceStatus)],
        by: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<Changes, DbErr> {
        let txn = db.begin().await?;
        let before = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(session_id))
            .all(&txn)
            .await?;
        let mut changes = Changes {
            added: 0,
            corrected: Vec::new(),
        };
        for &(booking_id, status) in wanted {
            match before.iter().find(|a| a.booking_id == booking_id) {
                Some(a) if a.status == status => continue,
                Some(a) => changes.corrected.push((
                    booking_id,
                    a.status.slug().into(),
                    status.slug().into(),
                )),
                None => changes.added += 1,
            }
            attendance::Entity::insert(attendance::ActiveModel {
                session_id: Set(session_id),
                booking_id: Set(booking_id),
                status: Set(status),
                recorded_at: Set(now),
                recorded_by: Set(by),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([attendance::Column::SessionId, attendance::Column::BookingId])
                    .update_columns([
                        attendance::Column::Status,
                        attendance::Column::RecordedAt,
                        attendance::Column::RecordedBy,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(changes)
    }

    /// A seat for someone who came without signing up, marked present at the session. There is
    /// no e-mail, so no message goes to them; the key only keeps the one-booking-per-e-mail
    /// rule from matching other walk-ins.
    pub async fn walk_in(
        db: &sea_orm::DatabaseConnection,
        r: &run::Model,
        s: &session::Model,
        name: &str,
        perspective: Option<Perspective>,
        by: i32,
        now: DateTime<Utc>,
    ) -> Result<i32, DbErr> {
        let txn = db.begin().await?;
        let b = booking::ActiveModel {
            run_id: Set(r.id),
            name: Set(name.into()),
            email: Set(String::new()),
            email_key: Set(format!("walk-in:{}", crate::booking::token::new_token())),
            phone: Set(None),
            perspective: Set(perspective),
            municipality: Set(None),
            needs: Set(String::new()),
            status: Set(BookingStatus::Confirmed),
            queue_no: Set(None),
            offer_expires_at: Set(None),
            consent_version: Set(String::new()),
            consent_at: Set(None),
            booked_by_name: Set(None),
            booked_by_email: Set(None),
            source: Set(WALK_IN.into()),
            locale: Set("da".into()),
            receipt_hash: Set(None),
            created_at: Set(s.starts_at.min(now)),
            updated_at: Set(None),
            cancelled_at: Set(None),
            calendar_seq: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        attendance::ActiveModel {
            session_id: Set(s.id),
            booking_id: Set(b.id),
            status: Set(AttendanceStatus::Present),
            recorded_at: Set(now),
            recorded_by: Set(Some(by)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::webhooks::emit(
            &txn,
            r.school_id,
            crate::webhooks::Event::BookingCreated,
            serde_json::json!({
                "booking_id": b.id,
                "run_id": r.id,
                "status": "confirmed",
                "source": WALK_IN,
            }),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(b.id)
    }

    /// Stores a headcount; returns the earlier total if there was one (a correction).
    pub async fn save_headcount(
        db: &impl ConnectionTrait,
        session_id: i32,
        count: &HeadcountDto,
        by: i32,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, DbErr> {
        let n = |v: Option<u32>| v.and_then(|v| i32::try_from(v).ok());
        let before = headcount::Entity::find_by_id(session_id).one(db).await?;
        let row = headcount::ActiveModel {
            session_id: Set(session_id),
            total: Set(n(count.total).unwrap_or_default()),
            own_experience: Set(n(count.own_experience)),
            relative: Set(n(count.relative)),
            professional: Set(n(count.professional)),
            other: Set(n(count.other)),
            recorded_at: Set(now),
            recorded_by: Set(Some(by)),
        };
        headcount::Entity::insert(row)
            .on_conflict(
                OnConflict::column(headcount::Column::SessionId)
                    .update_columns([
                        headcount::Column::Total,
                        headcount::Column::OwnExperience,
                        headcount::Column::Relative,
                        headcount::Column::Professional,
                        headcount::Column::Other,
                        headcount::Column::RecordedAt,
                        headcount::Column::RecordedBy,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
        Ok(before.map(|b| b.total))
    }
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
