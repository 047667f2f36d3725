//! The staff workspace: accounts with argon2id passwords and optional TOTP, roles per school,
//! sessions kept in the database (so several server instances share them), single-use links for
//! invitations and password resets, recovery codes, failed sign-ins for throttling, and the audit
//! log of staff actions on people's data. Also course images with alt text, teacher profiles
//! linked to accounts, and a reminder lead time per run.
//!
//! Columns are added one statement at a time because SQLite alters one column per statement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn add(table: impl IntoIden, column: ColumnDef) -> TableAlterStatement {
    let mut column = column;
    Table::alter()
        .table(table)
        .add_column(&mut column)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[DynIden], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col.clone());
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffAccount::Table)
                    .col(pk_auto(StaffAccount::Id))
                    .col(string_len_uniq(StaffAccount::Email, 254))
                    .col(string_len(StaffAccount::Name, 120))
                    // Until an invitation is accepted there is no password.
                    .col(string_len_null(StaffAccount::PasswordHash, 200))
                    .col(string_len_null(StaffAccount::TotpSecret, 64))
                    .col(boolean(StaffAccount::TotpEnabled).default(false))
                    .col(big_integer_null(StaffAccount::TotpLastStep))
                    .col(timestamp_with_time_zone(StaffAccount::CreatedAt))
                    .col(timestamp_with_time_zone_null(StaffAccount::DisabledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffRole::Table)
                    .col(pk_auto(StaffRole::Id))
                    .col(integer(StaffRole::AccountId))
                    // `NULL` for the administrator, who acts on the whole installation.
                    .col(integer_null(StaffRole::SchoolId))
                    .col(string_len(StaffRole::Role, 20))
                    .col(timestamp_with_time_zone(StaffRole::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffRole::Table, StaffRole::AccountId)
                            .to(StaffAccount::Table, StaffAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    .col(pk_auto(StaffSession::Id))
                    .col(string_len_uniq(StaffSession::TokenHash, 64))
                    .col(integer(StaffSession::AccountId))
                    // `password` until the second factor is given, then `full`.
                    .col(string_len(StaffSession::Stage, 10))
                    .col(timestamp_with_time_zone(StaffSession::CreatedAt))
                    .col(timestamp_with_time_zone(StaffSession::LastSeenAt))
                    .col(timestamp_with_time_zone(StaffSession::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffSession::Table, StaffSession::AccountId)
                            .to(StaffAccount::Table, StaffAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffToken::Table)
                    .col(pk_auto(StaffToken::Id))
                    .col(string_len_uniq(StaffToken::TokenHash, 64))
                    .col(integer(StaffToken::AccountId))
                    // `invite` or `reset`.
                    .col(string_len(StaffToken::Purpose, 10))
                    .col(timestamp_with_time_zone(StaffToken::CreatedAt))
                    .col(timestamp_with_time_zone(StaffToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(StaffToken::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffToken::Table, StaffToken::AccountId)
                            .to(StaffAccount::Table, StaffAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCode::Table)
                    .col(pk_auto(RecoveryCode::Id))
                    .col(integer(RecoveryCode::AccountId))
                    .col(string_len(RecoveryCode::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(RecoveryCode::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecoveryCode::Table, RecoveryCode::AccountId)
                            .to(StaffAccount::Table, StaffAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInFailure::Table)
                    .col(pk_auto(SignInFailure::Id))
                    .col(timestamp_with_time_zone(SignInFailure::At))
                    .col(integer_null(SignInFailure::AccountId))
                    // SHA-256 of the address: enough to count, not to trace.
                    .col(string_len(SignInFailure::IpHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::AccountId))
                    // The actor's name as it was, so the log reads the same after an account goes.
                    .col(string_len(AuditLog::Actor, 120))
                    .col(integer_null(AuditLog::SchoolId))
                    .col(string_len(AuditLog::Action, 40))
                    .col(string_len(AuditLog::Subject, 200))
                    .col(text(AuditLog::Detail).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Image::Table)
                    .col(pk_auto(Image::Id))
                    .col(string_len(Image::ContentType, 40))
                    .col(blob(Image::Data))
                    .col(timestamp_with_time_zone(Image::CreatedAt))
                    .to_owned(),
            )
            .await?;

        let steps = [
            add(Course::Table, integer_null(Course::ImageId)),
            add(
                Course::Table,
                string_len(Course::ImageAlt, 300).default("").to_owned(),
            ),
            add(Teacher::Table, integer_null(Teacher::AccountId)),
            add(Teacher::Table, integer_null(Teacher::ImageId)),
            // Overrides the school's lead time for this run.
            add(Run::Table, integer_null(Run::ReminderLeadHours)),
        ];
        for step in steps {
            manager.alter_table(step).await?;
        }

        let indexes = [
            index(
                "idx_staff_role_account",
                StaffRole::Table,
                &[StaffRole::AccountId.into_iden()],
                false,
            ),
            index(
                "idx_staff_session_account",
                StaffSession::Table,
                &[StaffSession::AccountId.into_iden()],
                false,
            ),
            index(
                "idx_recovery_code_account",
                RecoveryCode::Table,
                &[RecoveryCode::AccountId.into_iden()],
                false,
            ),
            index(
                "idx_sign_in_failure_at",
                SignInFailure::Table,
                &[SignInFailure::At.into_iden()],
                false,
            ),
            index(
                "idx_audit_log_school_at",
                AuditLog::Table,
                &[AuditLog::SchoolId.into_iden(), AuditLog::At.into_iden()],
                false,
            ),
            index(
                "idx_teacher_account",
                Teacher::Table,
                &[Teacher::AccountId.into_iden()],
                false,
            ),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_teacher_account")
                    .table(Teacher::Table)
                    .to_owned(),
            )
            .await?;
        let drops: [(DynIden, DynIden); 5] = [
            (Course::Table.into_iden(), Course::ImageId.into_iden()),
            (Course::Table.into_iden(), Course::ImageAlt.into_iden()),
            (Teacher::Table.into_iden(), Teacher::AccountId.into_iden()),
            (Teacher::Table.into_iden(), Teacher::ImageId.into_iden()),
            (Run::Table.into_iden(), Run::ReminderLeadHours.into_iden()),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        let tables: [DynIden; 8] = [
            Image::Table.into_iden(),
            AuditLog::Table.into_iden(),
            SignInFailure::Table.into_iden(),
            RecoveryCode::Table.into_iden(),
            StaffToken::Table.into_iden(),
            StaffSession::Table.into_iden(),
            StaffRole::Table.into_iden(),
            StaffAccount::Table.into_iden(),
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
enum StaffAccount {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    TotpSecret,
    TotpEnabled,
    TotpLastStep,
    CreatedAt,
    DisabledAt,
}

#[derive(DeriveIden)]
enum StaffRole {
    Table,
    Id,
    AccountId,
    SchoolId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    TokenHash,
    AccountId,
    Stage,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum StaffToken {
    Table,
    Id,
    TokenHash,
    AccountId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum RecoveryCode {
    Table,
    Id,
    AccountId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInFailure {
    Table,
    Id,
    At,
    AccountId,
    IpHash,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    AccountId,
    Actor,
    SchoolId,
    Action,
    Subject,
    Detail,
}

#[derive(DeriveIden)]
enum Image {
    Table,
    Id,
    ContentType,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    ImageId,
    ImageAlt,
}

#[derive(DeriveIden)]
enum Teacher {
    Table,
    AccountId,
    ImageId,
}

#[derive(DeriveIden)]
enum Run {
    Table,
    ReminderLeadHours,
}
