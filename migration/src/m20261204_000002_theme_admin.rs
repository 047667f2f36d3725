//! Themes administered in the app: a theme can be retired (it stays on the courses that have it
//! but leaves the catalogue's filters), and a slug that was changed is kept as an alias, so old
//! links are redirected to the new one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Theme::Table)
                    .add_column(boolean(Theme::Retired).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SlugAlias::Table)
                    .col(pk_auto(SlugAlias::Id))
                    // `theme` (and later `school`): what the slug named.
                    .col(string_len(SlugAlias::Kind, 20))
                    .col(string_len(SlugAlias::Slug, 120))
                    .col(integer(SlugAlias::TargetId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_slug_alias_kind_slug")
                    .table(SlugAlias::Table)
                    .col(SlugAlias::Kind)
                    .col(SlugAlias::Slug)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SlugAlias::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Theme::Table)
                    .drop_column(Theme::Retired)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Theme {
    Table,
    Retired,
}

#[derive(DeriveIden)]
enum SlugAlias {
    Table,
    Id,
    Kind,
    Slug,
    TargetId,
}
