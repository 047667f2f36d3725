//! Evaluation rows kept in the order of their random keys, so where a row sits says nothing about
//! when it came. SQLite gave every row a hidden rowid in the order of insertion; the tables are
//! rebuilt `WITHOUT ROWID`, which stores them by primary key. PostgreSQL appends rows to the end
//! of a table, so the tables are rewritten in key order here and by the timed jobs after.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    r#"CREATE TABLE "evaluation_response_keyed" ( "id" varchar(32) NOT NULL PRIMARY KEY, "run_id" integer NOT NULL, "source" varchar(10) NOT NULL, FOREIGN KEY ("run_id") REFERENCES "run" ("id") ON DELETE CASCADE ) WITHOUT ROWID"#,
    r#"INSERT INTO "evaluation_response_keyed" ("id", "run_id", "source") SELECT "id", "run_id", "source" FROM "evaluation_response" ORDER BY "id""#,
    r#"CREATE TABLE "evaluation_answer_keyed" ( "response_id" varchar(32) NOT NULL, "question_id" integer NOT NULL, "value" integer NULL, "text" text NULL, PRIMARY KEY ("response_id", "question_id"), FOREIGN KEY ("response_id") REFERENCES "evaluation_response_keyed" ("id") ON DELETE CASCADE, FOREIGN KEY ("question_id") REFERENCES "evaluation_question" ("id") ON DELETE CASCADE ) WITHOUT ROWID"#,
    r#"INSERT INTO "evaluation_answer_keyed" ("response_id", "question_id", "value", "text") SELECT "response_id", "question_id", "value", "text" FROM "evaluation_answer" ORDER BY "response_id", "question_id""#,
    r#"DROP TABLE "evaluation_answer""#,
    r#"DROP TABLE "evaluation_response""#,
    r#"ALTER TABLE "evaluation_response_keyed" RENAME TO "evaluation_response""#,
    r#"ALTER TABLE "evaluation_answer_keyed" RENAME TO "evaluation_answer""#,
    r#"CREATE INDEX "idx_evaluation_response_run" ON "evaluation_response" ("run_id")"#,
    r#"CREATE INDEX "idx_evaluation_answer_question" ON "evaluation_answer" ("question_id")"#,
];

const POSTGRES: &[&str] = &[
    "CLUSTER evaluation_response USING evaluation_response_pkey",
    "CLUSTER evaluation_answer USING evaluation_answer_pkey",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE,
            DbBackend::Postgres => POSTGRES,
            _ => &[],
        };
        // As one batch, so every statement runs on the same connection.
        manager
            .get_connection()
            .execute_unprepared(&statements.join(";\n"))
            .await?;
        Ok(())
    }

    /// Nothing to undo: the tables keep their columns and keys; only how rows are stored changed.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
