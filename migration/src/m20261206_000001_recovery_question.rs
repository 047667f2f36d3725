//! A default evaluation question on what the recovery school model is for: knowledge about
//! recovery. It is asked after the CHIME questions and before "would you recommend it", like
//! every default question with "ved ikke" as an answer.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The question's code (its text is translated in the app) and its place in the default set:
/// after `empowerment` (70), before `recommend` (80).
const CODE: &str = "recovery_knowledge";
const POSITION: i32 = 75;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let insert = Query::insert()
            .into_table(EvaluationQuestion::Table)
            .columns([
                EvaluationQuestion::Code,
                EvaluationQuestion::Position,
                EvaluationQuestion::Kind,
                EvaluationQuestion::Domain,
            ])
            .values_panic([
                CODE.into(),
                POSITION.into(),
                "likert".into(),
                "knowledge".into(),
            ])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete()
            .from_table(EvaluationQuestion::Table)
            .and_where(Expr::col(EvaluationQuestion::Code).eq(CODE))
            .to_owned();
        manager.exec_stmt(delete).await
    }
}

#[derive(DeriveIden)]
enum EvaluationQuestion {
    Table,
    Code,
    Position,
    Kind,
    Domain,
}
