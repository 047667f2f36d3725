//! Background work that runs while the server runs: waiting-list offers that run out pass their
//! seat on, reminders and evaluation invitations are queued when they are due, sent mail is
//! deleted after the retention period, and expired link tokens and ended staff sessions are
//! removed, as are answers kept for API retries after a day and rate limit counts whose
//! window has passed; evaluation rows are put back in the
//! order of their random keys; and the participants of runs whose
//! school's retention period has passed are made anonymous. Safe to run in
//! several server instances at once: each step takes the same locks as the requests do, or marks
//! what it did with a guarded update.

use sea_orm::DatabaseConnection;

use crate::config::Config;

/// One round of the jobs, with the settings of `config` (how long sent mail is kept, how long a
/// rate limit's window lasts).
pub async fn run_once(db: &DatabaseConnection, config: &Config) {
    let retention_days = config.mail.retention_days;
    let now = chrono::Utc::now();
    let started = std::time::Instant::now();
    match app::services::mail::schedule::queue_reminders(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(reminders = n, "reminders queued"),
        Err(err) => tracing::error!(error = %err, "could not queue reminders"),
    }
    match app::services::mail::schedule::queue_evaluations(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "evaluation invitations queued"),
        Err(err) => tracing::error!(error = %err, "could not queue evaluation invitations"),
    }
    let kept = chrono::Duration::days(retention_days);
    match app::services::outbox::purge(db, now - kept, now - kept * 3).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "old mail deleted from the outbox"),
        Err(err) => tracing::error!(error = %err, "could not delete old mail"),
    }
    match app::services::booking::expire_offers(db, now).await {
        Ok(0) => {}
        Ok(runs) => tracing::info!(runs, "expired waiting-list offers passed on"),
        Err(err) => tracing::error!(error = %err, "could not expire waiting-list offers"),
    }
    if let Err(err) = app::services::tokens::delete_expired(db, now).await {
        tracing::error!(error = %err, "could not delete expired link tokens");
    }
    if let Err(err) = app::services::staff::auth::purge(db, now).await {
        tracing::error!(error = %err, "could not delete ended staff sessions");
    }
    if let Err(err) = app::services::idempotency::purge(db, now).await {
        tracing::error!(error = %err, "could not delete kept API answers");
    }
    if let Err(err) = app::services::staff::sso::purge(db, now).await {
        tracing::error!(error = %err, "could not delete unfinished single sign-ons");
    }
    if let Err(err) = app::services::rate_limit::purge(db, &config.rate_limits, now).await {
        tracing::error!(error = %err, "could not delete rate limit counts");
    }
    if let Err(err) = app::services::watch::purge(db, now).await {
        tracing::error!(error = %err, "could not delete addresses that waited a year");
    }
    if let Err(err) = app::services::evaluation::reorder(db).await {
        tracing::error!(error = %err, "could not put evaluation rows in key order");
    }
    match app::services::retention::apply(db, now).await {
        Ok(runs) if runs.is_empty() => {}
        Ok(runs) => tracing::info!(
            runs = runs.len(),
            "participants of ended runs made anonymous"
        ),
        Err(err) => tracing::error!(error = %err, "could not make ended runs anonymous"),
    }
    metrics::counter!("skolebaenk_job_runs_total").increment(1);
    metrics::histogram!("skolebaenk_job_run_duration_seconds").record(started.elapsed());
    metrics::gauge!("skolebaenk_job_last_run_timestamp_seconds").set(now.timestamp() as f64);
}

/// Starts the jobs on the runtime, every `interval`; they stop when the handle is aborted, the
/// runtime ends, or the process stops (after the round in progress).
pub fn spawn(db: DatabaseConnection, config: &Config) -> tokio::task::JoinHandle<()> {
    let config = config.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(config.jobs_interval);
        loop {
            tokio::select! {
                _ = ticks.tick() => run_once(&db, &config).await,
                () = crate::lifecycle::stopped() => break,
            }
        }
    })
}
