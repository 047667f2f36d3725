//! The public API: keys a school gives other systems, remembered answers to retried sign-ups
//! (`Idempotency-Key`), webhook subscriptions, and the school's colour for the embedded
//! catalogue. Webhook deliveries are outbox rows (kind `webhook`), so they share its lease,
//! retries and clean-up.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(pk_auto(ApiKey::Id))
                    .col(integer(ApiKey::SchoolId))
                    .col(string_len(ApiKey::Name, 80))
                    // The first characters of the key, shown so staff can tell keys apart.
                    .col(string_len(ApiKey::Prefix, 16))
                    // SHA-256 of the whole key; the key itself is shown once and never stored.
                    .col(string_len(ApiKey::KeyHash, 64).unique_key())
                    // `read` or `write` (write includes read).
                    .col(string_len(ApiKey::Scope, 8))
                    .col(integer_null(ApiKey::CreatedBy))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKey::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKey::Table, ApiKey::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyRecord::Table)
                    .col(pk_auto(IdempotencyRecord::Id))
                    // SHA-256 of the endpoint and the client's key.
                    .col(string_len(IdempotencyRecord::KeyHash, 64).unique_key())
                    // SHA-256 of the request body: the same key with another body is refused.
                    .col(string_len(IdempotencyRecord::RequestHash, 64))
                    .col(integer(IdempotencyRecord::Status))
                    // The answer given, without personal data (ids and statuses).
                    .col(text(IdempotencyRecord::Body))
                    .col(timestamp_with_time_zone(IdempotencyRecord::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhook::Table)
                    .col(pk_auto(Webhook::Id))
                    .col(integer(Webhook::SchoolId))
                    .col(string_len(Webhook::Url, 500))
                    // The signing secret; the server needs it to sign, so it is kept as given.
                    .col(string_len(Webhook::Secret, 80))
                    // Event names separated by commas.
                    .col(string_len(Webhook::Events, 400))
                    .col(boolean(Webhook::Active))
                    .col(integer(Webhook::FailuresInRow).default(0))
                    .col(timestamp_with_time_zone_null(Webhook::DisabledAt))
                    .col(timestamp_with_time_zone_null(Webhook::LastSuccessAt))
                    .col(integer_null(Webhook::CreatedBy))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Webhook::Table, Webhook::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(School::Table)
                    .add_column(string_len(School::Colour, 7).default("#1f5f5b"))
                    .to_owned(),
            )
            .await?;
        let indexes = [
            Index::create()
                .name("idx_api_key_school")
                .table(ApiKey::Table)
                .col(ApiKey::SchoolId)
                .to_owned(),
            Index::create()
                .name("idx_webhook_school")
                .table(Webhook::Table)
                .col(Webhook::SchoolId)
                .to_owned(),
            Index::create()
                .name("idx_idempotency_created")
                .table(IdempotencyRecord::Table)
                .col(IdempotencyRecord::CreatedAt)
                .to_owned(),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(School::Table)
                    .drop_column(School::Colour)
                    .to_owned(),
            )
            .await?;
        let tables: [DynIden; 3] = [
            Webhook::Table.into_iden(),
            IdempotencyRecord::Table.into_iden(),
            ApiKey::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    SchoolId,
    Name,
    Prefix,
    KeyHash,
    Scope,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum IdempotencyRecord {
    Table,
    Id,
    KeyHash,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    SchoolId,
    Url,
    Secret,
    Events,
    Active,
    FailuresInRow,
    DisabledAt,
    LastSuccessAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
    Colour,
}
