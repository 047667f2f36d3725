//! The catalogue: schools, locations, teachers, themes, courses, runs (kursusgange), sessions
//! (undervisningsgange), teacher teams, and a first, minimal booking table that the catalogue
//! needs to show seats left. Times are stored as UTC instants; the UI shows them in
//! Europe/Copenhagen.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(School::Table)
                    .col(pk_auto(School::Id))
                    .col(string_len_uniq(School::Slug, 80))
                    .col(string_len(School::Name, 200))
                    .col(string_len(School::Street, 200))
                    .col(string_len(School::PostalCode, 10))
                    .col(string_len(School::City, 100))
                    .col(string_len(School::Email, 254))
                    .col(string_len(School::Phone, 40))
                    .col(text(School::Intro))
                    .col(string_len(School::OpeningHours, 200))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Location::Table)
                    .col(pk_auto(Location::Id))
                    .col(integer(Location::SchoolId))
                    .col(string_len(Location::Name, 200))
                    .col(string_len_null(Location::Street, 200))
                    .col(string_len_null(Location::PostalCode, 10))
                    .col(string_len_null(Location::City, 100))
                    .col(string_len_null(Location::Room, 100))
                    .col(boolean(Location::IsOnline).default(false))
                    .col(boolean(Location::StepFree).default(false))
                    .col(text(Location::AccessNote).default(""))
                    .col(text(Location::Directions).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Location::Table, Location::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Teacher::Table)
                    .col(pk_auto(Teacher::Id))
                    .col(integer(Teacher::SchoolId))
                    .col(string_len(Teacher::Name, 200))
                    .col(string_len(Teacher::Kind, 20))
                    .col(string_len_null(Teacher::Title, 200))
                    .col(text(Teacher::Bio).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Teacher::Table, Teacher::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Theme::Table)
                    .col(pk_auto(Theme::Id))
                    .col(string_len_uniq(Theme::Slug, 80))
                    .col(string_len(Theme::NameDa, 120))
                    .col(string_len(Theme::NameEn, 120))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Course::Table)
                    .col(pk_auto(Course::Id))
                    .col(string_len_uniq(Course::Slug, 120))
                    .col(integer(Course::SchoolId))
                    .col(string_len(Course::Title, 200))
                    .col(text(Course::Summary))
                    .col(text(Course::Description))
                    .col(text(Course::Expectations))
                    .col(string_len(Course::Format, 20))
                    .col(string_len(Course::Audience, 20))
                    .col(string_len(Course::Status, 20))
                    .col(timestamp_with_time_zone(Course::CreatedAt))
                    .col(timestamp_with_time_zone(Course::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Course::Table, Course::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CourseTheme::Table)
                    .col(integer(CourseTheme::CourseId))
                    .col(integer(CourseTheme::ThemeId))
                    .primary_key(
                        Index::create()
                            .col(CourseTheme::CourseId)
                            .col(CourseTheme::ThemeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTheme::Table, CourseTheme::CourseId)
                            .to(Course::Table, Course::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTheme::Table, CourseTheme::ThemeId)
                            .to(Theme::Table, Theme::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CourseTeacher::Table)
                    .col(integer(CourseTeacher::CourseId))
                    .col(integer(CourseTeacher::TeacherId))
                    .primary_key(
                        Index::create()
                            .col(CourseTeacher::CourseId)
                            .col(CourseTeacher::TeacherId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTeacher::Table, CourseTeacher::CourseId)
                            .to(Course::Table, Course::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTeacher::Table, CourseTeacher::TeacherId)
                            .to(Teacher::Table, Teacher::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Run::Table)
                    .col(pk_auto(Run::Id))
                    .col(integer(Run::CourseId))
                    .col(integer(Run::SchoolId))
                    .col(integer_null(Run::LocationId))
                    .col(integer_null(Run::Capacity))
                    .col(boolean(Run::WaitlistEnabled).default(true))
                    .col(timestamp_with_time_zone_null(Run::SignupOpensAt))
                    .col(timestamp_with_time_zone_null(Run::SignupClosesAt))
                    .col(string_len(Run::Status, 20))
                    .col(text(Run::Note).default(""))
                    .col(timestamp_with_time_zone(Run::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Run::Table, Run::CourseId)
                            .to(Course::Table, Course::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Run::Table, Run::SchoolId)
                            .to(School::Table, School::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Run::Table, Run::LocationId)
                            .to(Location::Table, Location::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_auto(Session::Id))
                    .col(integer(Session::RunId))
                    .col(timestamp_with_time_zone(Session::StartsAt))
                    .col(timestamp_with_time_zone(Session::EndsAt))
                    .col(integer_null(Session::LocationId))
                    .col(string_len_null(Session::OnlineUrl, 500))
                    .col(boolean(Session::Cancelled).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::RunId)
                            .to(Run::Table, Run::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::LocationId)
                            .to(Location::Table, Location::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RunTeacher::Table)
                    .col(integer(RunTeacher::RunId))
                    .col(integer(RunTeacher::TeacherId))
                    .primary_key(
                        Index::create()
                            .col(RunTeacher::RunId)
                            .col(RunTeacher::TeacherId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunTeacher::Table, RunTeacher::RunId)
                            .to(Run::Table, Run::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunTeacher::Table, RunTeacher::TeacherId)
                            .to(Teacher::Table, Teacher::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Booking::Table)
                    .col(pk_auto(Booking::Id))
                    .col(integer(Booking::RunId))
                    .col(string_len(Booking::Name, 120))
                    .col(string_len(Booking::Email, 254))
                    .col(string_len(Booking::Status, 20))
                    .col(timestamp_with_time_zone(Booking::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Booking::Table, Booking::RunId)
                            .to(Run::Table, Run::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Indexes for the catalogue's queries: upcoming sessions, runs by course/school,
        // booking counts by run.
        for (name, table, cols) in [
            (
                "idx_session_starts_at",
                Session::Table.into_iden(),
                vec![Session::StartsAt.into_iden()],
            ),
            (
                "idx_session_run",
                Session::Table.into_iden(),
                vec![Session::RunId.into_iden()],
            ),
            (
                "idx_run_course",
                Run::Table.into_iden(),
                vec![Run::CourseId.into_iden()],
            ),
            (
                "idx_run_school",
                Run::Table.into_iden(),
                vec![Run::SchoolId.into_iden()],
            ),
            (
                "idx_booking_run_status",
                Booking::Table.into_iden(),
                vec![Booking::RunId.into_iden(), Booking::Status.into_iden()],
            ),
            (
                "idx_location_school",
                Location::Table.into_iden(),
                vec![Location::SchoolId.into_iden()],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Booking::Table.into_iden(),
            RunTeacher::Table.into_iden(),
            Session::Table.into_iden(),
            Run::Table.into_iden(),
            CourseTeacher::Table.into_iden(),
            CourseTheme::Table.into_iden(),
            Course::Table.into_iden(),
            Theme::Table.into_iden(),
            Teacher::Table.into_iden(),
            Location::Table.into_iden(),
            School::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
    Slug,
    Name,
    Street,
    PostalCode,
    City,
    Email,
    Phone,
    Intro,
    OpeningHours,
}

#[derive(DeriveIden)]
enum Location {
    Table,
    Id,
    SchoolId,
    Name,
    Street,
    PostalCode,
    City,
    Room,
    IsOnline,
    StepFree,
    AccessNote,
    Directions,
}

#[derive(DeriveIden)]
enum Teacher {
    Table,
    Id,
    SchoolId,
    Name,
    Kind,
    Title,
    Bio,
}

#[derive(DeriveIden)]
enum Theme {
    Table,
    Id,
    Slug,
    NameDa,
    NameEn,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
    Slug,
    SchoolId,
    Title,
    Summary,
    Description,
    Expectations,
    Format,
    Audience,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CourseTheme {
    Table,
    CourseId,
    ThemeId,
}

#[derive(DeriveIden)]
enum CourseTeacher {
    Table,
    CourseId,
    TeacherId,
}

#[derive(DeriveIden)]
enum Run {
    Table,
    Id,
    CourseId,
    SchoolId,
    LocationId,
    Capacity,
    WaitlistEnabled,
    SignupOpensAt,
    SignupClosesAt,
    Status,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    RunId,
    StartsAt,
    EndsAt,
    LocationId,
    OnlineUrl,
    Cancelled,
}

#[derive(DeriveIden)]
enum RunTeacher {
    Table,
    RunId,
    TeacherId,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    RunId,
    Name,
    Email,
    Status,
    CreatedAt,
}
