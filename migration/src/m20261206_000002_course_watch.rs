//! "Giv mig besked": addresses waiting to hear once about a course's next run.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CourseWatch::Table)
                    .col(pk_auto(CourseWatch::Id))
                    .col(integer(CourseWatch::CourseId))
                    .col(string_len(CourseWatch::Email, 254))
                    .col(string_len(CourseWatch::EmailKey, 254))
                    .col(string_len(CourseWatch::Locale, 5))
                    .col(string_len_null(CourseWatch::TokenHash, 64))
                    .col(timestamp_with_time_zone(CourseWatch::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseWatch::Table, CourseWatch::CourseId)
                            .to(Course::Table, Course::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_course_watch_course_key")
                    .table(CourseWatch::Table)
                    .col(CourseWatch::CourseId)
                    .col(CourseWatch::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_course_watch_token")
                    .table(CourseWatch::Table)
                    .col(CourseWatch::TokenHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CourseWatch::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CourseWatch {
    Table,
    Id,
    CourseId,
    Email,
    EmailKey,
    Locale,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
}
