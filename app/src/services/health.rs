//! Whether the database answers, for the health check.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

/// `Ok` when the database answers a trivial query.
pub async fn database_answers(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
