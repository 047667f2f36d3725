//! What other instances tell this one, on PostgreSQL: a task listens on two channels. On the
//! outbox's it nudges the mail worker (without it the worker would find the row at its next
//! poll; with it, a confirmation queued by any instance leaves at once from whichever instance
//! is free). On the changes' channel it puts the page cache out of date, so no instance shows a
//! page older than another instance's last write. SQLite has one instance, and no listener.

use sea_orm::{DatabaseConnection, DbBackend};

use app::services::{page_cache, worker_signal};

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
    listener
        .listen_all([worker_signal::CHANNEL, page_cache::CHANNEL])
        .await?;
    // Whatever changed while the listener was away is treated as changed.
    page_cache::changed();
    loop {
        match listener.try_recv().await? {
            Some(n) if n.channel() == worker_signal::CHANNEL => worker_signal::nudge(),
            Some(_) => page_cache::changed(),
            // The connection was lost and is opened again at the next call; what was said
            // meanwhile is lost, so everything counts as changed.
            None => {
                page_cache::changed();
                worker_signal::nudge();
            }
        }
    }
}
