//! A school's places: the list with what is still to come at each, creating and changing one,
//! retiring it, and deleting one that was never used.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{RunStatus, location, run, session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::dto::staff::places::{PlaceFields, PlaceForm};
use crate::dto::staff::schools::PlaceRowDto;
use crate::rules::vocabulary::StepFree;
use crate::services::query::AllInto;
use crate::services::transaction::write;

/// A place, by its id.
pub async fn get(db: &DatabaseConnection, id: i32) -> Result<Option<location::Model>, DbErr> {
    location::Entity::find_by_id(id).one(db).await
}

/// Sessions still to come, not cancelled, of runs that are not cancelled, counted per place
/// they are held at (their own place, or else their run's).
async fn coming_sessions_by_place(
    db: &impl ConnectionTrait,
    school_id: i32,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, u64>, DbErr> {
    let runs: HashMap<i32, Option<i32>> = run::Entity::find()
        .filter(run::Column::SchoolId.eq(school_id))
        .filter(run::Column::Status.ne(RunStatus::Cancelled))
        .all_into(db, |r| (r.id, r.location_id))
        .await?;
    let mut out: HashMap<i32, u64> = HashMap::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(runs.keys().copied()))
        .filter(session::Column::EndsAt.gt(now))
        .filter(session::Column::Cancelled.eq(false))
        .all(db)
        .await?
    {
        if let Some(place) = s
            .location_id
            .or_else(|| runs.get(&s.run_id).copied().flatten())
        {
            *out.entry(place).or_default() += 1;
        }
    }
    Ok(out)
}

/// The sessions still to come at a place.
pub async fn coming_sessions(
    db: &impl ConnectionTrait,
    place: &location::Model,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(coming_sessions_by_place(db, place.school_id, now)
        .await?
        .get(&place.id)
        .copied()
        .unwrap_or(0))
}

/// A school's places, active ones first, by name.
pub async fn list(
    db: &DatabaseConnection,
    school_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<PlaceRowDto>, DbErr> {
    let coming = coming_sessions_by_place(db, school_id, now).await?;
    let mut rows: Vec<PlaceRowDto> = location::Entity::find()
        .filter(location::Column::SchoolId.eq(school_id))
        .order_by_asc(location::Column::Name)
        .all_into(db, |l| PlaceRowDto {
            coming_sessions: coming.get(&l.id).copied().unwrap_or(0),
            id: l.id,
            name: l.name,
            online: l.is_online,
            retired: l.retired,
        })
        .await?;
    rows.sort_by_key(|p| p.retired);
    Ok(rows)
}

/// The form filled in with a place's details.
pub fn form_of(l: &location::Model) -> PlaceForm {
    let yes = |b: bool| if b { "ja" } else { "" }.to_string();
    let step_free: StepFree = l.step_free.into();
    PlaceForm {
        school: l.school_id.to_string(),
        id: l.id.to_string(),
        name: l.name.clone(),
        online: yes(l.is_online),
        platform: l.platform.clone().unwrap_or_default(),
        street: l.street.clone().unwrap_or_default(),
        postal_code: l.postal_code.clone().unwrap_or_default(),
        city: l.city.clone().unwrap_or_default(),
        room: l.room.clone().unwrap_or_default(),
        map_url: l.map_url.clone().unwrap_or_default(),
        directions: l.directions.clone(),
        step_free: step_free.slug().to_string(),
        access_note: l.access_note.clone(),
        accessible_toilet: yes(l.accessible_toilet),
        hearing_loop: yes(l.hearing_loop),
        quiet_room: yes(l.quiet_room),
    }
}

/// Creates a place at a school, or changes `existing`.
pub async fn save(
    db: &DatabaseConnection,
    school_id: i32,
    existing: Option<location::Model>,
    fields: &PlaceFields,
) -> Result<location::Model, DbErr> {
    let existing = &existing;
    write(db, |txn| async move {
        let mut m = match existing.clone() {
            Some(l) => l.into_active_model(),
            None => location::ActiveModel {
                school_id: Set(school_id),
                retired: Set(false),
                ..Default::default()
            },
        };
        m.name = Set(fields.name.clone());
        m.is_online = Set(fields.online);
        m.platform = Set(fields.platform.clone());
        m.street = Set(fields.street.clone());
        m.postal_code = Set(fields.postal_code.clone());
        m.city = Set(fields.city.clone());
        m.room = Set(fields.room.clone());
        m.map_url = Set(fields.map_url.clone());
        m.directions = Set(fields.directions.clone());
        m.step_free = Set(fields.step_free.into());
        m.access_note = Set(fields.access_note.clone());
        m.accessible_toilet = Set(fields.accessible_toilet);
        m.hearing_loop = Set(fields.hearing_loop);
        m.quiet_room = Set(fields.quiet_room);
        Ok(match existing {
            Some(_) => m.update(&txn).await?,
            None => m.insert(&txn).await?,
        })
    })
    .await
}

/// Retires a place (or brings it back): the sessions that have it keep it, but the run editor
/// no longer offers it.
pub async fn set_retired(
    db: &DatabaseConnection,
    place: &location::Model,
    retired: bool,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut m = place.clone().into_active_model();
        m.retired = Set(retired);
        m.update(&txn).await?;
        Ok(())
    })
    .await
}

/// Whether any run or session, past or to come, is at the place.
async fn in_use(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    let runs = run::Entity::find()
        .filter(run::Column::LocationId.eq(id))
        .count(db)
        .await?;
    let sessions = session::Entity::find()
        .filter(session::Column::LocationId.eq(id))
        .count(db)
        .await?;
    Ok(runs + sessions > 0)
}

/// Whether the place has ever been used (then it can only be retired, never deleted).
pub async fn used(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    in_use(db, id).await
}

/// Deletes a place no run or session has ever used; `false` (and nothing deleted) otherwise.
pub async fn delete(db: &DatabaseConnection, place: &location::Model) -> Result<bool, DbErr> {
    write(db, |txn| async move {
        if in_use(&txn, place.id).await? {
            return Ok(false);
        }
        location::Entity::delete_by_id(place.id).exec(&txn).await?;
        Ok(true)
    })
    .await
}
