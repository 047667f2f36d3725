//! The mail worker: claims due outbox rows, renders them, sends them and records the result.
//!
//! Every server instance runs one. Delivery is at least once: a row is marked sent only after
//! the mail server accepted it, so a crash between the two sends it again, with the same
//! Message-ID. Temporary failures wait by the configured backoff; permanent ones fail at once
//! and are flagged for staff. Personal data stays out of the log: rows are named by id and kind.

use std::sync::Arc;

use app::services::mail::messages::{MailContext, Outcome, render};
use app::services::outbox::{self, Backoff};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use super::transport::{Mailer, SendError, build};

/// Messages claimed at a time.
const BATCH: u64 = 20;
/// Messages of a batch rendered and sent at the same time (each over its own pooled SMTP
/// connection).
const IN_PARALLEL: usize = 8;

/// A worker and what it needs.
#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub mailer: Arc<Mailer>,
    pub context: MailContext,
    pub from: String,
    pub backoff: Backoff,
    pub lease: std::time::Duration,
    pub poll: std::time::Duration,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    pub skipped: u32,
}

impl Round {
    fn total(&self) -> u32 {
        self.sent + self.retried + self.failed + self.skipped
    }
}

impl Worker {
    /// Claims and handles one batch of due messages.
    pub async fn run_once(&self) -> Round {
        let mut round = Round::default();
        let now = Utc::now();
        let lease = chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::minutes(5));
        let rows = match outbox::claim(&self.db, outbox::Channel::Mail, now, lease, BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "could not claim outbox messages");
                return round;
            }
        };
        use futures::StreamExt;
        let results: Vec<(entity::outbox_message::Model, Handled)> = futures::stream::iter(rows)
            .map(|row| async move {
                let handled = self.handle(&row).await;
                (row, handled)
            })
            .buffer_unordered(IN_PARALLEL)
            .collect()
            .await;
        // Sent messages are recorded together, in one write.
        let sent: Vec<outbox::Claim> = results
            .iter()
            .filter(|(_, h)| matches!(h, Handled::Sent))
            .map(|(r, _)| outbox::Claim::from(r))
            .collect();
        if !sent.is_empty() {
            round.sent += sent.len() as u32;
            if let Err(e) = outbox::mark_sent(&self.db, &sent, Utc::now()).await {
                // The leases run out and the messages are tried again: sent twice at worst.
                tracing::error!(error = %e, "could not record sent messages");
            }
        }
        for (row, result) in results {
            let recorded = match result {
                Handled::Sent => continue,
                Handled::Skipped(reason) => {
                    round.skipped += 1;
                    tracing::info!(id = row.id, kind = %row.kind, reason, "message skipped");
                    outbox::mark_skipped(&self.db, (&row).into(), reason).await
                }
                Handled::Failed(SendError::Permanent(e)) => {
                    round.failed += 1;
                    tracing::warn!(id = row.id, kind = %row.kind, error = %e, "message refused; not retrying");
                    outbox::mark_failed(&self.db, (&row).into(), &e).await
                }
                Handled::Failed(SendError::Temporary(e)) => {
                    let now = Utc::now();
                    match self.backoff.next_attempt(row.attempts, row.created_at, now) {
                        Some(at) => {
                            round.retried += 1;
                            tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts, error = %e, retry_in_s = (at - now).num_seconds(), "message not sent; will retry");
                            outbox::mark_retry(&self.db, (&row).into(), &e, at).await
                        }
                        None => {
                            round.failed += 1;
                            tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts, error = %e, "message not sent in time; giving up");
                            outbox::mark_failed(&self.db, (&row).into(), &format!("gave up: {e}"))
                                .await
                        }
                    }
                }
            };
            if let Err(e) = recorded {
                // The lease runs out and the message is tried again: sent twice at worst.
                tracing::error!(id = row.id, error = %e, "could not record a send result");
            }
        }
        for (outcome, n) in [
            ("sent", round.sent),
            ("retry", round.retried),
            ("failed", round.failed),
            ("skipped", round.skipped),
        ] {
            if n > 0 {
                metrics::counter!("skolebaenk_mail_total", "outcome" => outcome)
                    .increment(u64::from(n));
            }
        }
        round
    }

    async fn handle(&self, row: &entity::outbox_message::Model) -> Handled {
        let rendered = match render(&self.db, row, &self.context, Utc::now()).await {
            Ok(Outcome::Send(r)) => r,
            Ok(Outcome::Skip(reason)) => return Handled::Skipped(reason),
            Err(e) => {
                return Handled::Failed(SendError::Temporary(format!("could not render: {e}")));
            }
        };
        let message = match build(&rendered, &row.recipient, &self.from, &row.message_id) {
            Ok(m) => m,
            Err(e) => return Handled::Failed(e),
        };
        match self.mailer.send(&message, &outbox::file_stem(row)).await {
            Ok(()) => Handled::Sent,
            Err(e) => Handled::Failed(e),
        }
    }

    /// Runs until the task is aborted or the process stops: a round whenever messages are queued (the outbox nudges
    /// the worker after each commit) and at least every `poll`.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            // When the process stops, the round in progress is finished: what was sent is
            // recorded as sent.
            while !crate::lifecycle::stopping() {
                let round = self.run_once().await;
                if round.total() as u64 >= BATCH {
                    continue;
                }
                tokio::select! {
                    () = tokio::time::sleep(self.poll) => {}
                    () = app::services::worker_signal::nudged() => {}
                    () = crate::lifecycle::stopped() => {}
                }
            }
        })
    }
}

enum Handled {
    Sent,
    Skipped(&'static str),
    Failed(SendError),
}
