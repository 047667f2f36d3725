//! The webhook worker: claims due webhook deliveries from the outbox, signs and posts them, and
//! records the result.
//!
//! Each request carries `Skolebaenk-Event`, `Skolebaenk-Delivery` (the same on every retry, so a
//! receiver can drop repeats) and `Skolebaenk-Signature: t=<unix seconds>,v1=<hex>`, the
//! HMAC-SHA256 with the webhook's secret over `"<t>.<body>"`. Any 2xx answer is success;
//! anything else (an error status, a redirect, a timeout, no connection) is tried again by the
//! backoff. After `disable_after` failed attempts in a row the webhook is switched off and the
//! school's koordinatorer get an e-mail; its deliveries wait until it is switched on again, or
//! fail after a day. Delivery is at least once: a crash between the answer and the record sends
//! the delivery again when its lease ends.
//!
//! Unless the installation allows inside addresses, a delivery only ever connects to a public
//! internet address: names are resolved by [`PublicOnly`], which drops every other address, and
//! an address written as a number is checked before the request. So a name that pointed to the
//! internet when the webhook was made but to the inside later (DNS rebinding) gets nothing.

use app::services::outbox::{self, Backoff, Channel};
use app::services::webhooks::{self, signature};
use chrono::Utc;
use entity::{outbox_message, webhook};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use crate::config::WebhookConfig;

/// Deliveries claimed at a time.
const BATCH: u64 = 20;
/// How long a worker may hold a delivery before another takes it over.
const LEASE_SECS: i64 = 120;
/// How long a switched-off webhook's deliveries wait before they are looked at again.
const PAUSED_SECS: i64 = 3600;

/// Resolves names to their public internet addresses only (see `app::rules::network`); a name
/// with no public address fails to resolve.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(public_addresses(name.as_str().to_string()))
    }
}

async fn public_addresses(
    host: String,
) -> Result<reqwest::dns::Addrs, Box<dyn std::error::Error + Send + Sync>> {
    let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
    let public: Vec<std::net::SocketAddr> = found
        .filter(|a| app::rules::network::is_public(a.ip()))
        .collect();
    if public.is_empty() {
        return Err("no public address".into());
    }
    Ok(Box::new(public.into_iter()))
}

/// A worker and what it needs.
#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    /// Inside addresses allowed (development and tests).
    pub allow_private: bool,
    pub backoff: Backoff,
    pub disable_after: u32,
    pub poll: std::time::Duration,
    /// How long a claimed delivery is held before another worker may take it over.
    pub lease: chrono::Duration,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub delivered: u32,
    pub retried: u32,
    pub failed: u32,
}

enum Sent {
    Ok,
    Failed(String),
}

impl Worker {
    pub fn new(db: DatabaseConnection, config: &WebhookConfig, poll: std::time::Duration) -> Self {
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Skolebaenk-Webhooks/1");
        if !config.allow_private {
            builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
        }
        let client = builder.build().unwrap_or_default();
        Worker {
            db,
            client,
            allow_private: config.allow_private,
            backoff: config.backoff.clone(),
            disable_after: config.disable_after,
            poll,
            lease: chrono::Duration::seconds(LEASE_SECS),
        }
    }

    /// Claims and handles one batch of due deliveries.
    pub async fn run_once(&self) -> Round {
        let mut round = Round::default();
        let now = Utc::now();
        let rows = match outbox::claim(&self.db, Channel::Webhook, now, self.lease, BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "could not claim webhook deliveries");
                return round;
            }
        };
        for row in rows {
            if let Err(e) = self.handle(&row, &mut round).await {
                // The lease runs out and the delivery is tried again.
                tracing::error!(id = row.id, error = %e, "could not record a webhook delivery");
            }
        }
        for (outcome, n) in [
            ("delivered", round.delivered),
            ("retry", round.retried),
            ("failed", round.failed),
        ] {
            if n > 0 {
                metrics::counter!("skolebaenk_webhook_deliveries_total", "outcome" => outcome)
                    .increment(u64::from(n));
            }
        }
        round
    }

    async fn handle(&self, row: &outbox_message::Model, round: &mut Round) -> Result<(), DbErr> {
        let hook = match row.recipient.parse::<i32>() {
            Ok(id) => webhook::Entity::find_by_id(id).one(&self.db).await?,
            Err(_) => None,
        };
        let Some(hook) = hook else {
            return outbox::mark_skipped(&self.db, row.into(), "the webhook was deleted").await;
        };
        let now = Utc::now();
        if !hook.active {
            return match self.backoff.next_attempt(1, row.created_at, now) {
                Some(_) => {
                    outbox::mark_retry(
                        &self.db,
                        row.into(),
                        "the webhook is switched off",
                        now + chrono::Duration::seconds(PAUSED_SECS),
                    )
                    .await
                }
                None => {
                    outbox::mark_failed(&self.db, row.into(), "the webhook was switched off").await
                }
            };
        }
        match self.post(&hook, row).await {
            Sent::Ok => {
                round.delivered += 1;
                // The webhook's record first: once the delivery reads "sent", the webhook's
                // failures are already forgotten (a crash between the two sends it again).
                webhooks::record_success(&self.db, hook.id, now).await?;
                outbox::mark_sent(&self.db, &[row.into()], now).await
            }
            Sent::Failed(error) => {
                tracing::warn!(id = row.id, webhook = hook.id, attempts = row.attempts, error = %error, "webhook delivery failed");
                match self.backoff.next_attempt(row.attempts, row.created_at, now) {
                    Some(at) => {
                        round.retried += 1;
                        outbox::mark_retry(&self.db, row.into(), &error, at).await?;
                    }
                    None => {
                        round.failed += 1;
                        outbox::mark_failed(&self.db, row.into(), &format!("gave up: {error}"))
                            .await?;
                    }
                }
                if webhooks::record_failure(&self.db, &hook, self.disable_after, now).await? {
                    tracing::warn!(
                        webhook = hook.id,
                        "webhook switched off after repeated failures"
                    );
                    metrics::counter!("skolebaenk_webhooks_switched_off_total").increment(1);
                    app::services::worker_signal::nudge_if_queued();
                }
                Ok(())
            }
        }
    }

    async fn post(&self, hook: &webhook::Model, row: &outbox_message::Model) -> Sent {
        let inside = webhooks::host_of(&hook.url)
            .and_then(|h| h.parse::<std::net::IpAddr>().ok())
            .is_some_and(|ip| !app::rules::network::is_public(ip));
        if inside && !self.allow_private {
            return Sent::Failed("not a public address".into());
        }
        let timestamp = Utc::now().timestamp();
        let event = webhooks::event_of(&row.payload);
        let delivery = row
            .message_id
            .trim_start_matches('<')
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string();
        let request = self
            .client
            .post(&hook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Skolebaenk-Event", event)
            .header("Skolebaenk-Delivery", delivery)
            .header(
                "Skolebaenk-Signature",
                signature(&hook.secret, timestamp, &row.payload),
            )
            .body(row.payload.clone());
        match request.send().await {
            Ok(r) if r.status().is_success() => Sent::Ok,
            Ok(r) => Sent::Failed(format!("HTTP {}", r.status().as_u16())),
            Err(e) if e.is_timeout() => Sent::Failed("no answer in time".into()),
            // Also a name with no public address: the text does not say which.
            Err(e) if e.is_connect() => Sent::Failed("could not connect".into()),
            Err(_) => Sent::Failed("the request failed".into()),
        }
    }

    /// Runs until the task is aborted or the process stops (after the round in progress): a
    /// round at least every `poll`.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            while !crate::lifecycle::stopping() {
                let round = self.run_once().await;
                if u64::from(round.delivered + round.retried + round.failed) >= BATCH {
                    continue;
                }
                tokio::select! {
                    () = tokio::time::sleep(self.poll) => {}
                    () = crate::lifecycle::stopped() => {}
                }
            }
        })
    }
}
