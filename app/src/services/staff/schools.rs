//! The schools of the installation: the list, creating and changing one (a changed slug is kept
//! as an alias, so old links are redirected), and closing it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{RunStatus, location, run, school, session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dto::staff::schools::{SchoolFields, SchoolForm, SchoolRowDto};
use crate::services::query::AllInto;
use crate::services::slug_alias::{self, Kind};
use crate::services::transaction::write;

/// The schools with these ids (every school for `None`), open ones first, by name.
pub async fn list(
    db: &DatabaseConnection,
    only: Option<&[i32]>,
    now: DateTime<Utc>,
) -> Result<Vec<SchoolRowDto>, DbErr> {
    let mut query = school::Entity::find().order_by_asc(school::Column::Name);
    if let Some(ids) = only {
        query = query.filter(school::Column::Id.is_in(ids.iter().copied()));
    }
    let schools = query.all(db).await?;
    let mut places: HashMap<i32, u64> = HashMap::new();
    let place_schools: Vec<i32> = location::Entity::find()
        .filter(location::Column::Retired.eq(false))
        .all_into(db, |l| l.school_id)
        .await?;
    for school_id in place_schools {
        *places.entry(school_id).or_default() += 1;
    }
    let coming = coming_runs_by_school(db, now).await?;
    let mut rows: Vec<SchoolRowDto> = schools
        .into_iter()
        .map(|s| SchoolRowDto {
            places: places.get(&s.id).copied().unwrap_or(0),
            coming_runs: coming.get(&s.id).copied().unwrap_or(0),
            id: s.id,
            slug: s.slug,
            name: s.name,
            city: s.city,
            closed: s.closed,
        })
        .collect();
    rows.sort_by_key(|s| s.closed);
    Ok(rows)
}

/// Published runs with a session still to come, counted per school.
async fn coming_runs_by_school(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, u64>, DbErr> {
    let run_ids: Vec<i32> = session::Entity::find()
        .select_only()
        .column(session::Column::RunId)
        .distinct()
        .filter(session::Column::EndsAt.gt(now))
        .filter(session::Column::Cancelled.eq(false))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    let mut out: HashMap<i32, u64> = HashMap::new();
    let run_schools: Vec<i32> = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .all_into(db, |r| r.school_id)
        .await?;
    for school_id in run_schools {
        *out.entry(school_id).or_default() += 1;
    }
    Ok(out)
}

/// Published runs of the school with a session still to come.
pub async fn coming_runs(
    db: &impl ConnectionTrait,
    school_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(coming_runs_by_school(db, now)
        .await?
        .get(&school_id)
        .copied()
        .unwrap_or(0))
}

/// A school, by its id.
pub async fn get(db: &DatabaseConnection, id: i32) -> Result<Option<school::Model>, DbErr> {
    school::Entity::find_by_id(id).one(db).await
}

/// Whether the school is closed (an unknown school counts as closed: it takes nothing new).
pub async fn is_closed(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    Ok(get(db, id).await?.is_none_or(|s| s.closed))
}

/// The form filled in with a school's details.
pub fn form_of(s: &school::Model) -> SchoolForm {
    let optional = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    SchoolForm {
        id: s.id.to_string(),
        name: s.name.clone(),
        short_name: s.short_name.clone(),
        slug: s.slug.clone(),
        street: s.street.clone(),
        postal_code: s.postal_code.clone(),
        city: s.city.clone(),
        email: s.email.clone(),
        phone: s.phone.clone(),
        opening_hours: s.opening_hours.clone(),
        intro: s.intro.clone(),
        colour: s.colour.clone(),
        reminder_lead_hours: s.reminder_lead_hours.to_string(),
        default_seats: s.default_seats.to_string(),
        signup_opens_days: optional(s.signup_opens_days),
        signup_closes_hours: optional(s.signup_closes_hours),
        retention_months: s.retention_months.to_string(),
    }
}

/// The form of a new school: the defaults a school starts with.
pub fn new_form() -> SchoolForm {
    SchoolForm {
        reminder_lead_hours: "48".into(),
        default_seats: "12".into(),
        retention_months: "6".into(),
        colour: "#2d4f8a".into(),
        ..SchoolForm::default()
    }
}

/// Whether `slug` names a school other than `except`, now or as an alias.
async fn slug_taken(
    db: &impl ConnectionTrait,
    slug: &str,
    except: Option<i32>,
) -> Result<bool, DbErr> {
    let current = school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if current.is_some_and(|s| Some(s.id) != except) {
        return Ok(true);
    }
    let alias = slug_alias::target(db, Kind::School, slug).await?;
    Ok(alias.is_some_and(|id| Some(id) != except))
}

/// Creates a school, or changes `existing`; `None` when the slug is taken. A changed slug is
/// kept as an alias of the school.
pub async fn save(
    db: &DatabaseConnection,
    existing: Option<school::Model>,
    fields: &SchoolFields,
) -> Result<Option<school::Model>, DbErr> {
    let existing = &existing;
    write(db, |txn| async move {
        if slug_taken(&txn, &fields.slug, existing.as_ref().map(|s| s.id)).await? {
            return Ok(None);
        }
        let mut m = match existing.clone() {
            Some(s) => s.into_active_model(),
            None => school::ActiveModel {
                closed: Set(false),
                ..Default::default()
            },
        };
        m.slug = Set(fields.slug.clone());
        m.name = Set(fields.name.clone());
        m.short_name = Set(fields.short_name.clone());
        m.street = Set(fields.street.clone());
        m.postal_code = Set(fields.postal_code.clone());
        m.city = Set(fields.city.clone());
        m.email = Set(fields.email.clone());
        m.phone = Set(fields.phone.clone());
        m.opening_hours = Set(fields.opening_hours.clone());
        m.intro = Set(fields.intro.clone());
        m.colour = Set(fields.colour.clone());
        m.reminder_lead_hours = Set(fields.reminder_lead_hours);
        m.default_seats = Set(fields.default_seats);
        m.signup_opens_days = Set(fields.signup_opens_days);
        m.signup_closes_hours = Set(fields.signup_closes_hours);
        m.retention_months = Set(fields.retention_months);
        let saved = match existing {
            Some(_) => m.update(&txn).await?,
            None => m.insert(&txn).await?,
        };
        if let Some(old) = existing
            && old.slug != saved.slug
        {
            slug_alias::renamed(&txn, Kind::School, saved.id, &old.slug, &saved.slug).await?;
        }
        Ok(Some(saved))
    })
    .await
}

/// Closes a school (or opens it again). A school with published runs still to come is not
/// closed: `false` then.
pub async fn set_closed(
    db: &DatabaseConnection,
    s: &school::Model,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    write(db, |txn| async move {
        if closed && coming_runs(&txn, s.id, now).await? > 0 {
            return Ok(false);
        }
        let mut m = s.clone().into_active_model();
        m.closed = Set(closed);
        m.update(&txn).await?;
        Ok(true)
    })
    .await
}

/// The slug a school has now, for a slug it had before.
pub async fn current_slug(db: &impl ConnectionTrait, old: &str) -> Result<Option<String>, DbErr> {
    let Some(id) = slug_alias::target(db, Kind::School, old).await? else {
        return Ok(None);
    };
    Ok(school::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|s| s.slug))
}
