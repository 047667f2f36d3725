//! Rate limits kept in the database, so every server instance on one database counts the same
//! attempts: one row per limited key (hashed), with the start of its window and the count.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateCount::Table)
                    .col(string_len(RateCount::Kind, 32))
                    .col(string_len(RateCount::KeyHash, 64))
                    .col(big_integer(RateCount::WindowStart))
                    .col(integer(RateCount::Count))
                    .primary_key(Index::create().col(RateCount::Kind).col(RateCount::KeyHash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rate_count_window_start")
                    .table(RateCount::Table)
                    .col(RateCount::WindowStart)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RateCount::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RateCount {
    Table,
    Kind,
    KeyHash,
    WindowStart,
    Count,
}
