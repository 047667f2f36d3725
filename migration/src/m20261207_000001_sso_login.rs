//! Staff single sign-on: a sign-in started at the region's identity provider and not yet back.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SsoLogin::Table)
                    .col(pk_auto(SsoLogin::Id))
                    .col(string_len_uniq(SsoLogin::StateHash, 64))
                    .col(string_len(SsoLogin::BrowserHash, 64))
                    .col(string_len(SsoLogin::Nonce, 128))
                    .col(string_len(SsoLogin::PkceVerifier, 128))
                    .col(string_len(SsoLogin::ReturnTo, 512))
                    .col(timestamp_with_time_zone(SsoLogin::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SsoLogin::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SsoLogin {
    Table,
    Id,
    StateHash,
    BrowserHash,
    Nonce,
    PkceVerifier,
    ReturnTo,
    ExpiresAt,
}
