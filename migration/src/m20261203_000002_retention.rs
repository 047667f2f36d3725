//! Retention: each school's period for participants' data after a run's last session (default
//! six months), and when a run's participants were made anonymous.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(School::Table)
                    .add_column(integer(School::RetentionMonths).default(6))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Run::Table)
                    .add_column(timestamp_with_time_zone_null(Run::AnonymisedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Run::Table)
                    .drop_column(Run::AnonymisedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(School::Table)
                    .drop_column(School::RetentionMonths)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum School {
    Table,
    RetentionMonths,
}

#[derive(DeriveIden)]
enum Run {
    Table,
    AnonymisedAt,
}
