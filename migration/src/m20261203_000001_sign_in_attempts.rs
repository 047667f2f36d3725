//! Sign-in failures by kind: a wrong password and a wrong second-factor code are counted apart
//! (see `rules::throttle`), and the address is now the network it belongs to (an IPv6 /64).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SignInFailure::Table)
                    // `password` or `code`.
                    .add_column(string_len(SignInFailure::Kind, 8).default("password"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_failure_account")
                    .table(SignInFailure::Table)
                    .col(SignInFailure::AccountId)
                    .col(SignInFailure::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_sign_in_failure_account")
                    .table(SignInFailure::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SignInFailure::Table)
                    .drop_column(SignInFailure::Kind)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum SignInFailure {
    Table,
    AccountId,
    At,
    Kind,
}
