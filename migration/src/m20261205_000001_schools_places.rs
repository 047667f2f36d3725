//! Schools and places administered in the app. A school gets a short name for mails, can be
//! closed, and has defaults for new runs (seats and the sign-up window). A place gets a map
//! link, step-free access as yes / partly / no, its facilities, an online platform's name, and
//! can be retired.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let school_columns = [
            ColumnDef::new(School::ShortName)
                .string_len(40)
                .not_null()
                .default("")
                .to_owned(),
            boolean(School::Closed).default(false).to_owned(),
            integer(School::DefaultSeats).default(12).to_owned(),
            integer_null(School::SignupOpensDays),
            integer_null(School::SignupClosesHours),
        ];
        for column in school_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(School::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let location_columns = [
            string_len_null(Location::MapUrl, 500),
            ColumnDef::new(Location::StepFreeLevel)
                .string_len(10)
                .not_null()
                .default("yes")
                .to_owned(),
            boolean(Location::AccessibleToilet)
                .default(false)
                .to_owned(),
            boolean(Location::HearingLoop).default(false).to_owned(),
            boolean(Location::QuietRoom).default(false).to_owned(),
            string_len_null(Location::Platform, 80),
            boolean(Location::Retired).default(false).to_owned(),
        ];
        for column in location_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Location::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // The yes/no of before becomes yes/no of the three levels, under its old name.
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE location SET step_free_level = CASE WHEN step_free THEN 'yes' ELSE 'no' END",
        )
        .await?;
        db.execute_unprepared("ALTER TABLE location DROP COLUMN step_free")
            .await?;
        db.execute_unprepared("ALTER TABLE location RENAME COLUMN step_free_level TO step_free")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE location RENAME COLUMN step_free TO step_free_level")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Location::Table)
                    .add_column(boolean(Location::StepFree).default(true))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("UPDATE location SET step_free = (step_free_level = 'yes')")
            .await?;
        for column in [
            "step_free_level",
            "map_url",
            "accessible_toilet",
            "hearing_loop",
            "quiet_room",
            "platform",
            "retired",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE location DROP COLUMN {column}"))
                .await?;
        }
        for column in [
            "short_name",
            "closed",
            "default_seats",
            "signup_opens_days",
            "signup_closes_hours",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE school DROP COLUMN {column}"))
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum School {
    Table,
    ShortName,
    Closed,
    DefaultSeats,
    SignupOpensDays,
    SignupClosesHours,
}

#[derive(DeriveIden)]
enum Location {
    Table,
    StepFree,
    StepFreeLevel,
    MapUrl,
    AccessibleToilet,
    HearingLoop,
    QuietRoom,
    Platform,
    Retired,
}
