//! The booking engine: the full booking row (contact, optional perspective and municipality,
//! consent, on-behalf sign-up, waiting-list queue and offers), run settings for the waiting list
//! and self-cancellation, per-session afbud, link tokens for "Mine tilmeldinger", and the outbox
//! that e-mails are sent from.
//!
//! Columns are added one statement at a time because SQLite alters one column per statement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let booking_columns = [
            string_len(Booking::EmailKey, 254).default("").to_owned(),
            string_len_null(Booking::Phone, 30),
            string_len_null(Booking::Perspective, 20),
            string_len_null(Booking::Municipality, 40),
            string_len(Booking::Needs, 500).default("").to_owned(),
            integer_null(Booking::QueueNo),
            timestamp_with_time_zone_null(Booking::OfferExpiresAt),
            string_len(Booking::ConsentVersion, 20)
                .default("")
                .to_owned(),
            timestamp_with_time_zone_null(Booking::ConsentAt),
            string_len_null(Booking::BookedByName, 120),
            string_len_null(Booking::BookedByEmail, 254),
            string_len(Booking::Source, 10).default("web").to_owned(),
            string_len(Booking::Locale, 2).default("da").to_owned(),
            string_len_null(Booking::ReceiptHash, 64),
            timestamp_with_time_zone_null(Booking::UpdatedAt),
            timestamp_with_time_zone_null(Booking::CancelledAt),
        ];
        for mut column in booking_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Booking::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let run_columns = [
            string_len(Run::WaitlistMode, 10)
                .default("automatic")
                .to_owned(),
            integer(Run::OfferHours).default(24).to_owned(),
            integer(Run::CancelDeadlineHours).default(24).to_owned(),
            integer(Run::BookingRev).default(0).to_owned(),
        ];
        for mut column in run_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Run::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        // Bookings made before this migration: derive the key and keep the queue order.
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE booking SET email_key = lower(trim(email))")
            .await?;
        db.execute_unprepared("UPDATE booking SET queue_no = id WHERE status = 'waitlisted'")
            .await?;

        // One active booking per e-mail per run. A partial index: cancelled and expired bookings
        // stay for the figures and do not block signing up again. Same syntax on both backends.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_booking_active_email ON booking (run_id, email_key) \
             WHERE status IN ('confirmed', 'waitlisted', 'offered')",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SessionAbsence::Table)
                    .col(pk_auto(SessionAbsence::Id))
                    .col(integer(SessionAbsence::BookingId))
                    .col(integer(SessionAbsence::SessionId))
                    .col(timestamp_with_time_zone(SessionAbsence::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionAbsence::Table, SessionAbsence::BookingId)
                            .to(Booking::Table, Booking::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionAbsence::Table, SessionAbsence::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccessToken::Table)
                    .col(pk_auto(AccessToken::Id))
                    .col(string_len(AccessToken::Purpose, 20))
                    .col(string_len(AccessToken::EmailKey, 254))
                    .col(string_len_uniq(AccessToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(AccessToken::CreatedAt))
                    .col(timestamp_with_time_zone(AccessToken::ExpiresAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboxMessage::Table)
                    .col(pk_auto(OutboxMessage::Id))
                    .col(string_len(OutboxMessage::Kind, 40))
                    .col(string_len(OutboxMessage::Recipient, 254))
                    .col(string_len(OutboxMessage::Locale, 2))
                    .col(text(OutboxMessage::Payload))
                    .col(integer_null(OutboxMessage::BookingId))
                    .col(string_len_uniq(OutboxMessage::MessageId, 100))
                    .col(string_len(OutboxMessage::Status, 12))
                    .col(integer(OutboxMessage::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboxMessage::NextAttemptAt))
                    .col(text_null(OutboxMessage::LastError))
                    .col(timestamp_with_time_zone(OutboxMessage::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessage::SentAt))
                    .to_owned(),
            )
            .await?;

        for (name, table, cols) in [
            (
                "idx_booking_email_key",
                Booking::Table.into_iden(),
                vec![Booking::EmailKey.into_iden()],
            ),
            (
                "idx_booking_run_queue",
                Booking::Table.into_iden(),
                vec![Booking::RunId.into_iden(), Booking::QueueNo.into_iden()],
            ),
            (
                "idx_session_absence_booking_session",
                SessionAbsence::Table.into_iden(),
                vec![
                    SessionAbsence::BookingId.into_iden(),
                    SessionAbsence::SessionId.into_iden(),
                ],
            ),
            (
                "idx_access_token_email",
                AccessToken::Table.into_iden(),
                vec![AccessToken::EmailKey.into_iden()],
            ),
            (
                "idx_outbox_due",
                OutboxMessage::Table.into_iden(),
                vec![
                    OutboxMessage::Status.into_iden(),
                    OutboxMessage::NextAttemptAt.into_iden(),
                ],
            ),
            (
                "idx_outbox_booking",
                OutboxMessage::Table.into_iden(),
                vec![OutboxMessage::BookingId.into_iden()],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table);
            if name == "idx_session_absence_booking_session" {
                index.unique();
            }
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OutboxMessage::Table.into_iden(),
            AccessToken::Table.into_iden(),
            SessionAbsence::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS idx_booking_active_email")
            .await?;
        for index in ["idx_booking_email_key", "idx_booking_run_queue"] {
            manager
                .drop_index(Index::drop().name(index).table(Booking::Table).to_owned())
                .await?;
        }
        for column in [
            Booking::EmailKey,
            Booking::Phone,
            Booking::Perspective,
            Booking::Municipality,
            Booking::Needs,
            Booking::QueueNo,
            Booking::OfferExpiresAt,
            Booking::ConsentVersion,
            Booking::ConsentAt,
            Booking::BookedByName,
            Booking::BookedByEmail,
            Booking::Source,
            Booking::Locale,
            Booking::ReceiptHash,
            Booking::UpdatedAt,
            Booking::CancelledAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Booking::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Run::WaitlistMode,
            Run::OfferHours,
            Run::CancelDeadlineHours,
            Run::BookingRev,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Run::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    RunId,
    EmailKey,
    Phone,
    Perspective,
    Municipality,
    Needs,
    QueueNo,
    OfferExpiresAt,
    ConsentVersion,
    ConsentAt,
    BookedByName,
    BookedByEmail,
    Source,
    Locale,
    ReceiptHash,
    UpdatedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum Run {
    Table,
    WaitlistMode,
    OfferHours,
    CancelDeadlineHours,
    BookingRev,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SessionAbsence {
    Table,
    Id,
    BookingId,
    SessionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessToken {
    Table,
    Id,
    Purpose,
    EmailKey,
    TokenHash,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OutboxMessage {
    Table,
    Id,
    Kind,
    Recipient,
    Locale,
    Payload,
    BookingId,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}
