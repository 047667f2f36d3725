//! Wakes this instance's mail worker when another instance queues mail, on PostgreSQL: a task
//! listens on the outbox's channel and nudges the worker at each notification. Without it the
//! worker would find the row at its next poll; with it, a confirmation queued by any instance
//! leaves at once from whichever instance is free. SQLite has one instance, and no listener.

use sea_orm::{DatabaseConnection, DbBackend};

use app::services::worker_signal;

/// Starts the listener when `db` is PostgreSQL. It stops when the process stops; a lost
/// connection is opened again (the worker polls meanwhile).
pub fn spawn(db: &DatabaseConnection) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let pool = db.get_postgres_connection_pool().clone();
    Some(tokio::spawn(async move {
        loop {
            tokio::select! {
                result = listen(&pool) => {
                    if let Err(e) = result {
                        tracing::warn!(error = %e, "outbox notifications lost; listening again");
                    }
                }
                () = crate::lifecycle::stopped() => break,
            }
            tokio::select! {
                () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                () = crate::lifecycle::stopped() => break,
            }
        }
    }))
}

async fn listen(pool: &sea_orm::sqlx::PgPool) -> Result<(), sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(worker_signal::CHANNEL).await?;
    loop {
        listener.recv().await?;
        worker_signal::nudge();
    }
}
