//! Wakes this process's outbox workers (mail and webhooks) when a committed write has queued
//! something for them, so a confirmation leaves at once instead of at the next poll. A worker
//! in another process, or a nudge that came a moment early, finds the row on its next poll.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

static QUEUED: AtomicBool = AtomicBool::new(false);

fn signal() -> &'static Notify {
    static SIGNAL: OnceLock<Notify> = OnceLock::new();
    SIGNAL.get_or_init(Notify::new)
}

/// Notes that a row was queued in a transaction not yet committed.
pub fn mark_queued() {
    QUEUED.store(true, Ordering::Release);
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
