//! Stopping in order. On SIGTERM (or Ctrl-C) the server marks itself as stopping: readiness
//! fails, the background workers finish the round they are in (a mail being sent is sent and
//! recorded) and stop, and after `SKOLEBAENK_DRAIN_SECS` the listener closes and the requests in
//! flight finish. One process is one server, so the signal is process-wide.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

static STOPPING: AtomicBool = AtomicBool::new(false);
static STOPPED: Notify = Notify::const_new();

/// Tells the background workers to stop after their current round.
pub fn begin_stopping() {
    STOPPING.store(true, Ordering::SeqCst);
    STOPPED.notify_waiters();
}

/// Whether the process is stopping.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// Completes once the process is stopping.
pub async fn stopped() {
    loop {
        let notified = STOPPED.notified();
        if stopping() {
            return;
        }
        notified.await;
    }
}
