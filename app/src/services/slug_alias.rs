//! Slugs that a theme or a school had before it was renamed, so old links lead on to it.

use entity::slug_alias;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

/// What an alias names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Theme,
    School,
}

impl Kind {
    fn stored(self) -> &'static str {
        match self {
            Kind::Theme => "theme",
            Kind::School => "school",
        }
    }
}

/// What `slug` was an old name of, if anything.
pub async fn target(
    db: &impl ConnectionTrait,
    kind: Kind,
    slug: &str,
) -> Result<Option<i32>, DbErr> {
    Ok(slug_alias::Entity::find()
        .filter(slug_alias::Column::Kind.eq(kind.stored()))
        .filter(slug_alias::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|a| a.target_id))
}

/// Records that `id` was called `old` before it became `new`: the old slug goes on leading
/// to it, and if `new` was an alias of its own before, it is its name again.
pub async fn renamed(
    txn: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
    old: &str,
    new: &str,
) -> Result<(), DbErr> {
    slug_alias::Entity::delete_many()
        .filter(slug_alias::Column::Kind.eq(kind.stored()))
        .filter(slug_alias::Column::Slug.eq(new))
        .exec(txn)
        .await?;
    slug_alias::ActiveModel {
        kind: Set(kind.stored().into()),
        slug: Set(old.into()),
        target_id: Set(id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
