//! Wakes the outbox workers when a committed write has queued something for them, so a
//! confirmation leaves at once instead of at the next poll.
//!
//! This process's workers are nudged after the commit. On PostgreSQL the transaction that
//! queues also sends `NOTIFY skolebaenk_outbox`, which PostgreSQL delivers when it commits (and
//! never if it rolls back), so the workers of every other instance listening on the database
//! wake too (`server::wake`). A nudge that came a moment early, or one that was lost with a
//! connection, is made good by the next poll.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use tokio::sync::Notify;

static QUEUED: AtomicBool = AtomicBool::new(false);

fn signal() -> &'static Notify {
    static SIGNAL: OnceLock<Notify> = OnceLock::new();
    SIGNAL.get_or_init(Notify::new)
}

/// The channel the outbox's notifications go to on PostgreSQL.
pub const CHANNEL: &str = "skolebaenk_outbox";

/// Notes that a row was queued in the transaction `db`, not yet committed: this process's
/// workers are nudged after the commit, and on PostgreSQL every instance's with it.
pub async fn queued(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    QUEUED.store(true, Ordering::Release);
    if db.get_database_backend() == DbBackend::Postgres {
        // Sent at commit; several in one transaction arrive as one.
        db.execute_unprepared(&format!("NOTIFY {CHANNEL}")).await?;
    }
    Ok(())
}

/// Tells this process's workers that a row may be waiting.
pub fn nudge() {
    signal().notify_one();
}

/// Nudges the workers if a row was queued since the last nudge. Called after a write commits.
pub fn nudge_if_queued() {
    if QUEUED.swap(false, Ordering::AcqRel) {
        nudge();
    }
}

/// Resolves when [`nudge`] is called (or was called since the last wait).
pub async fn nudged() {
    signal().notified().await;
}
