//! E-mail and calendar: revision numbers for calendar invitations, reminders with "Kommer du?",
//! evaluation invitations, per-school reminder lead time, and link tokens bound to one booking
//! (reminder answers, evaluation links) or used once.
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let steps = [
            // Raised on every change of a session, so calendars replace the old event.
            add(
                Session::Table,
                integer(Session::Sequence).default(0).to_owned(),
            ),
            // Raised on every change of a booking's calendar entries (afbud, a new booking
            // after a cancelled one), added to the session's number.
            add(
                Booking::Table,
                integer(Booking::CalendarSeq).default(0).to_owned(),
            ),
            // Start of the first session the last reminder was about: a moved session gets a
            // new reminder.
            add(
                Booking::Table,
                timestamp_with_time_zone_null(Booking::ReminderFor),
            ),
            // `coming` once the person answered "Ja, jeg kommer".
            add(Booking::Table, string_len_null(Booking::Rsvp, 10)),
            add(
                Booking::Table,
                timestamp_with_time_zone_null(Booking::RsvpAt),
            ),
            add(
                Booking::Table,
                timestamp_with_time_zone_null(Booking::EvaluationInvitedAt),
            ),
            add(
                Booking::Table,
                timestamp_with_time_zone_null(Booking::EvaluationRemindedAt),
            ),
            add(
                School::Table,
                integer(School::ReminderLeadHours).default(48).to_owned(),
            ),
            add(AccessToken::Table, integer_null(AccessToken::BookingId)),
            add(
                AccessToken::Table,
                timestamp_with_time_zone_null(AccessToken::UsedAt),
            ),
        ];
        for step in steps {
            manager.alter_table(step).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_access_token_booking")
                    .table(AccessToken::Table)
                    .col(AccessToken::BookingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_access_token_booking")
                    .table(AccessToken::Table)
                    .to_owned(),
            )
            .await?;
        let drops: [(DynIden, DynIden); 10] = [
            (Session::Table.into_iden(), Session::Sequence.into_iden()),
            (Booking::Table.into_iden(), Booking::CalendarSeq.into_iden()),
            (Booking::Table.into_iden(), Booking::ReminderFor.into_iden()),
            (Booking::Table.into_iden(), Booking::Rsvp.into_iden()),
            (Booking::Table.into_iden(), Booking::RsvpAt.into_iden()),
            (
                Booking::Table.into_iden(),
                Booking::EvaluationInvitedAt.into_iden(),
            ),
            (
                Booking::Table.into_iden(),
                Booking::EvaluationRemindedAt.into_iden(),
            ),
            (
                School::Table.into_iden(),
                School::ReminderLeadHours.into_iden(),
            ),
            (
                AccessToken::Table.into_iden(),
                AccessToken::BookingId.into_iden(),
            ),
            (
                AccessToken::Table.into_iden(),
                AccessToken::UsedAt.into_iden(),
            ),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Sequence,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    CalendarSeq,
    ReminderFor,
    Rsvp,
    RsvpAt,
    EvaluationInvitedAt,
    EvaluationRemindedAt,
}

#[derive(DeriveIden)]
enum School {
    Table,
    ReminderLeadHours,
}

#[derive(DeriveIden)]
enum AccessToken {
    Table,
    BookingId,
    UsedAt,
}
