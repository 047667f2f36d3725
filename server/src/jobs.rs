//! Background work that runs while the server runs: waiting-list offers that run out pass their
//! seat on, and expired link tokens are removed. Safe to run in several server instances at once:
//! each step takes the same locks as the requests do.

use std::time::Duration;

use sea_orm::DatabaseConnection;

/// How often the jobs run.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// One round of the jobs.
pub async fn run_once(db: &DatabaseConnection) {
    let now = chrono::Utc::now();
    match app::booking::store::expire_offers(db, now).await {
        Ok(0) => {}
        Ok(runs) => tracing::info!(runs, "expired waiting-list offers passed on"),
        Err(err) => tracing::error!(error = %err, "could not expire waiting-list offers"),
    }
    if let Err(err) = app::booking::token::delete_expired(db, now).await {
        tracing::error!(error = %err, "could not delete expired link tokens");
    }
}

/// Starts the jobs on the runtime; they stop when the handle is aborted or the runtime ends.
pub fn spawn(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        loop {
            ticks.tick().await;
            run_once(&db).await;
        }
    })
}
