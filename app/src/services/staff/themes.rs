//! The themes all schools share: the list with how many courses have each, creating, changing
//! (a changed slug is kept as an alias, so old links are redirected) and retiring.

use entity::{course_theme, slug_alias, theme};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::dto::staff::themes::{ThemeFields, ThemeRowDto};
use crate::services::query::AllInto;
use crate::services::transaction::write;

/// What an alias names.
pub const THEME: &str = "theme";

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
    let alias = slug_alias::Entity::find()
        .filter(slug_alias::Column::Kind.eq(THEME))
        .filter(slug_alias::Column::Slug.eq(slug))
        .one(db)
        .await?;
    Ok(alias.is_some_and(|a| Some(a.target_id) != except))
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
                    // The slug it had goes on leading here; if it was an alias of its own
                    // before, the alias is now the name again.
                    slug_alias::Entity::delete_many()
                        .filter(slug_alias::Column::Kind.eq(THEME))
                        .filter(slug_alias::Column::Slug.eq(fields.slug.as_str()))
                        .exec(&txn)
                        .await?;
                    slug_alias::ActiveModel {
                        kind: Set(THEME.into()),
                        slug: Set(old_slug),
                        target_id: Set(id),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
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
    let Some(alias) = slug_alias::Entity::find()
        .filter(slug_alias::Column::Kind.eq(THEME))
        .filter(slug_alias::Column::Slug.eq(old))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(theme::Entity::find_by_id(alias.target_id)
        .one(db)
        .await?
        .map(|t| t.slug))
}
