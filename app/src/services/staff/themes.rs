//! The themes all schools share: the list with how many courses have each, creating, changing
//! (a changed slug is kept as an alias, so old links are redirected) and retiring.

use entity::{course_theme, theme};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::dto::staff::themes::{ThemeFields, ThemeRowDto};
use crate::services::query::AllInto;
use crate::services::slug_alias::{self, Kind};
use crate::services::transaction::write;

/// Every theme, the ones in use first by name, then the retired ones.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<ThemeRowDto>, DbErr> {
    let links: Vec<i32> = course_theme::Entity::find()
        .all_into(db, |l| l.theme_id)
        .await?;
    let mut courses: std::collections::HashMap<i32, u64> = std::collections::HashMap::new();
    for id in links {
        *courses.entry(id).or_default() += 1;
    }
    let mut rows: Vec<ThemeRowDto> = theme::Entity::find()
        .order_by_asc(theme::Column::NameDa)
        .all_into(db, |t| ThemeRowDto {
            courses: courses.get(&t.id).copied().unwrap_or(0),
            id: t.id,
            slug: t.slug,
            name_da: t.name_da,
            name_en: t.name_en,
            retired: t.retired,
        })
        .await?;
    rows.sort_by_key(|t| t.retired);
    Ok(rows)
}

/// A theme, by its id.
pub async fn get(db: &DatabaseConnection, id: i32) -> Result<Option<theme::Model>, DbErr> {
    theme::Entity::find_by_id(id).one(db).await
}

/// Whether `slug` names a theme other than `except`, now or as an alias.
async fn slug_taken(
    db: &impl ConnectionTrait,
    slug: &str,
    except: Option<i32>,
) -> Result<bool, DbErr> {
    let current = theme::Entity::find()
        .filter(theme::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if current.is_some_and(|t| Some(t.id) != except) {
        return Ok(true);
    }
    let alias = slug_alias::target(db, Kind::Theme, slug).await?;
    Ok(alias.is_some_and(|id| Some(id) != except))
}

/// Creates a theme, or changes `existing`; `None` when the slug is taken. A changed slug is
/// kept as an alias of the theme.
pub async fn save(
    db: &DatabaseConnection,
    existing: Option<theme::Model>,
    fields: &ThemeFields,
) -> Result<Option<theme::Model>, DbErr> {
    let existing = &existing;
    write(db, |txn| async move {
        if slug_taken(&txn, &fields.slug, existing.as_ref().map(|t| t.id)).await? {
            return Ok(None);
        }
        let saved = match existing.clone() {
            None => {
                theme::ActiveModel {
                    slug: Set(fields.slug.clone()),
                    name_da: Set(fields.name_da.clone()),
                    name_en: Set(fields.name_en.clone()),
                    retired: Set(false),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
            Some(t) => {
                let old_slug = t.slug.clone();
                let id = t.id;
                let mut m = t.into_active_model();
                m.slug = Set(fields.slug.clone());
                m.name_da = Set(fields.name_da.clone());
                m.name_en = Set(fields.name_en.clone());
                let saved = m.update(&txn).await?;
                if old_slug != fields.slug {
                    slug_alias::renamed(&txn, Kind::Theme, id, &old_slug, &fields.slug).await?;
                }
                saved
            }
        };
        Ok(Some(saved))
    })
    .await
}

/// Retires a theme (or brings it back): it stays on its courses but leaves the filters.
pub async fn set_retired(
    db: &DatabaseConnection,
    t: theme::Model,
    retired: bool,
) -> Result<(), DbErr> {
    let t = &t;
    write(db, |txn| async move {
        let mut m = t.clone().into_active_model();
        m.retired = Set(retired);
        m.update(&txn).await?;
        Ok(())
    })
    .await
}

/// The slug a theme has now, for a slug it had before.
pub async fn current_slug(db: &impl ConnectionTrait, old: &str) -> Result<Option<String>, DbErr> {
    let Some(id) = slug_alias::target(db, Kind::Theme, old).await? else {
        return Ok(None);
    };
    Ok(theme::Entity::find_by_id(id).one(db).await?.map(|t| t.slug))
}
