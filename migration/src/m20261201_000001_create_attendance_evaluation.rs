//! Fremmøde and evaluation: attendance per session and booking, headcounts of drop-in sessions,
//! the evaluation questions (a default set for every school plus a course's own), and anonymous
//! evaluation responses.
//!
//! A response has no link to a booking or a person: its key is random (no order of arrival), it
//! carries no time, and its answers are keyed by the response and the question only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The default question set, in the order it is asked: `(code, kind, domain)`. The text of a
/// default question is in the app's translations under `evaluation.q.<code>`, so it reads the
/// same at every school and in both languages.
const DEFAULT_QUESTIONS: [(&str, &str, &str); 11] = [
    ("learned", "likert", "course"),
    ("together", "likert", "course"),
    ("peer", "likert", "course"),
    ("connectedness", "likert", "connectedness"),
    ("hope", "likert", "hope"),
    ("identity", "likert", "identity"),
    ("meaning", "likert", "meaning"),
    ("empowerment", "likert", "empowerment"),
    ("recommend", "recommend", "course"),
    ("takeaway", "text", "course"),
    ("other", "text", "course"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(pk_auto(Attendance::Id))
                    .col(integer(Attendance::SessionId))
                    .col(integer(Attendance::BookingId))
                    // `present`, `late`, `left_early`, `absent` or `afbud`.
                    .col(string_len(Attendance::Status, 12))
                    .col(timestamp_with_time_zone(Attendance::RecordedAt))
                    .col(integer_null(Attendance::RecordedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::BookingId)
                            .to(Booking::Table, Booking::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Headcount::Table)
                    .col(integer(Headcount::SessionId).primary_key())
                    .col(integer(Headcount::Total))
                    // Optional counts per perspective; never names.
                    .col(integer_null(Headcount::OwnExperience))
                    .col(integer_null(Headcount::Relative))
                    .col(integer_null(Headcount::Professional))
                    .col(integer_null(Headcount::Other))
                    .col(timestamp_with_time_zone(Headcount::RecordedAt))
                    .col(integer_null(Headcount::RecordedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Headcount::Table, Headcount::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationQuestion::Table)
                    .col(pk_auto(EvaluationQuestion::Id))
                    // Set for the default questions; their text is translated in the app.
                    .col(string_len_null(EvaluationQuestion::Code, 20))
                    // Set for a course's own questions.
                    .col(integer_null(EvaluationQuestion::CourseId))
                    .col(integer(EvaluationQuestion::Position))
                    // `likert`, `recommend` or `text`.
                    .col(string_len(EvaluationQuestion::Kind, 10))
                    // CHIME domain or `course`.
                    .col(string_len(EvaluationQuestion::Domain, 20))
                    .col(string_len(EvaluationQuestion::Text, 300).default(""))
                    .col(boolean(EvaluationQuestion::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationQuestion::Table, EvaluationQuestion::CourseId)
                            .to(Course::Table, Course::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationResponse::Table)
                    // Random, so the key tells nothing about when or by whom.
                    .col(string_len(EvaluationResponse::Id, 32).primary_key())
                    .col(integer(EvaluationResponse::RunId))
                    // `web` or `paper` (typed in by staff).
                    .col(string_len(EvaluationResponse::Source, 10))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationResponse::Table, EvaluationResponse::RunId)
                            .to(Run::Table, Run::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationAnswer::Table)
                    .col(string_len(EvaluationAnswer::ResponseId, 32))
                    .col(integer(EvaluationAnswer::QuestionId))
                    // 1–5 on a Likert item (5 = helt enig), 1–3 on "recommend" (3 = ja),
                    // 0 = ved ikke; `NULL` for a text answer.
                    .col(integer_null(EvaluationAnswer::Value))
                    .col(text_null(EvaluationAnswer::Text))
                    .primary_key(
                        Index::create()
                            .col(EvaluationAnswer::ResponseId)
                            .col(EvaluationAnswer::QuestionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAnswer::Table, EvaluationAnswer::ResponseId)
                            .to(EvaluationResponse::Table, EvaluationResponse::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAnswer::Table, EvaluationAnswer::QuestionId)
                            .to(EvaluationQuestion::Table, EvaluationQuestion::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        let indexes = [
            Index::create()
                .name("idx_attendance_session_booking")
                .table(Attendance::Table)
                .col(Attendance::SessionId)
                .col(Attendance::BookingId)
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_attendance_booking")
                .table(Attendance::Table)
                .col(Attendance::BookingId)
                .to_owned(),
            Index::create()
                .name("idx_evaluation_response_run")
                .table(EvaluationResponse::Table)
                .col(EvaluationResponse::RunId)
                .to_owned(),
            Index::create()
                .name("idx_evaluation_answer_question")
                .table(EvaluationAnswer::Table)
                .col(EvaluationAnswer::QuestionId)
                .to_owned(),
            Index::create()
                .name("idx_evaluation_question_course")
                .table(EvaluationQuestion::Table)
                .col(EvaluationQuestion::CourseId)
                .to_owned(),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }

        let mut insert = Query::insert();
        insert.into_table(EvaluationQuestion::Table).columns([
            EvaluationQuestion::Code,
            EvaluationQuestion::Position,
            EvaluationQuestion::Kind,
            EvaluationQuestion::Domain,
        ]);
        for (position, (code, kind, domain)) in DEFAULT_QUESTIONS.iter().enumerate() {
            insert.values_panic([
                (*code).into(),
                <i32 as TryFrom<usize>>::try_from(position * 10)
                    .unwrap_or(0)
                    .into(),
                (*kind).into(),
                (*domain).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables: [DynIden; 5] = [
            EvaluationAnswer::Table.into_iden(),
            EvaluationResponse::Table.into_iden(),
            EvaluationQuestion::Table.into_iden(),
            Headcount::Table.into_iden(),
            Attendance::Table.into_iden(),
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
enum Attendance {
    Table,
    Id,
    SessionId,
    BookingId,
    Status,
    RecordedAt,
    RecordedBy,
}

#[derive(DeriveIden)]
enum Headcount {
    Table,
    SessionId,
    Total,
    OwnExperience,
    Relative,
    Professional,
    Other,
    RecordedAt,
    RecordedBy,
}

#[derive(DeriveIden)]
enum EvaluationQuestion {
    Table,
    Id,
    Code,
    CourseId,
    Position,
    Kind,
    Domain,
    Text,
    Active,
}

#[derive(DeriveIden)]
enum EvaluationResponse {
    Table,
    Id,
    RunId,
    Source,
}

#[derive(DeriveIden)]
enum EvaluationAnswer {
    Table,
    ResponseId,
    QuestionId,
    Value,
    Text,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Run {
    Table,
    Id,
}
