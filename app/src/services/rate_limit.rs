//! Rate limits on sign-ups and link requests, per client address and per e-mail, so a robot
//! cannot fill a run or flood someone's inbox.
//!
//! The counts live in the database (`rate_count`), so every server instance on one database
//! counts the same attempts and a robot gains nothing by being spread over them. A key's window
//! begins at its first attempt and lasts `window`; a later attempt in a new window starts the
//! count again. Keys are stored as SHA-256 hashes, and the timed jobs delete rows whose window
//! has passed. Counting is one statement (an upsert that returns the new counts), so two
//! instances counting the same key at once both see each other's attempt.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbBackend, DbErr, Statement, Value};

use crate::services::transaction::{write_one_unseen, write_unseen};

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    SignupPerIp,
    SignupPerEmail,
    LinkPerIp,
    LinkPerEmail,
}

/// How many attempts each key may make per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub signup_per_ip: u32,
    pub signup_per_email: u32,
    pub link_per_ip: u32,
    pub link_per_email: u32,
    pub window: Duration,
}

impl Default for Limits {
    /// Generous for a family signing up together from one home network, tight for a robot.
    fn default() -> Self {
        Limits {
            signup_per_ip: 30,
            signup_per_email: 10,
            link_per_ip: 20,
            link_per_email: 5,
            window: Duration::from_secs(3600),
        }
    }
}

impl Kind {
    /// What was throttled, as the metrics name it.
    fn what(self) -> &'static str {
        match self {
            Kind::SignupPerIp | Kind::SignupPerEmail => "signup",
            Kind::LinkPerIp | Kind::LinkPerEmail => "link",
        }
    }

    /// The kind as stored.
    fn as_str(self) -> &'static str {
        match self {
            Kind::SignupPerIp => "signup_ip",
            Kind::SignupPerEmail => "signup_email",
            Kind::LinkPerIp => "link_ip",
            Kind::LinkPerEmail => "link_email",
        }
    }

    fn from_str(s: &str) -> Option<Kind> {
        [
            Kind::SignupPerIp,
            Kind::SignupPerEmail,
            Kind::LinkPerIp,
            Kind::LinkPerEmail,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

impl Limits {
    fn max(&self, kind: Kind) -> u32 {
        match kind {
            Kind::SignupPerIp => self.signup_per_ip,
            Kind::SignupPerEmail => self.signup_per_email,
            Kind::LinkPerIp => self.link_per_ip,
            Kind::LinkPerEmail => self.link_per_email,
        }
    }
}

/// Counts attempts per key, in the database.
#[derive(Debug)]
pub struct RateLimiter {
    limits: Limits,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter { limits }
    }

    /// The length of a window in seconds: how long a refused caller may have to wait.
    pub fn window_secs(&self) -> u64 {
        self.limits.window.as_secs().max(1)
    }

    /// Records one attempt for each `(kind, key)` (empty keys are left out) and says whether
    /// every one of them is within its limit.
    pub async fn allow(
        &self,
        db: &DatabaseConnection,
        checks: &[(Kind, &str)],
        now: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let checks: Vec<(Kind, String)> = checks
            .iter()
            .filter(|(_, key)| !key.is_empty())
            .map(|(kind, key)| (*kind, key_hash(*kind, key)))
            .collect();
        if checks.is_empty() {
            return Ok(true);
        }
        let counts = count(db, &checks, now.timestamp(), self.window_secs()).await?;
        let mut allowed = true;
        for (kind, n) in counts {
            if n > i64::from(self.limits.max(kind)) {
                metrics::counter!("skolebaenk_throttled_total", "what" => kind.what()).increment(1);
                allowed = false;
            }
        }
        Ok(allowed)
    }
}

/// The stored form of a key: nobody reading the table learns an address or an e-mail.
fn key_hash(kind: Kind, key: &str) -> String {
    crate::services::tokens::hash(&format!("{}:{key}", kind.as_str()))
}

/// Adds one attempt to each key's window (starting a new window where the old one has passed)
/// and returns the counts after it, in one statement.
async fn count(
    db: &DatabaseConnection,
    checks: &[(Kind, String)],
    now: i64,
    window: u64,
) -> Result<Vec<(Kind, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let window = i64::try_from(window).unwrap_or(i64::MAX);
    let mut values: Vec<Value> = Vec::new();
    let mut rows = Vec::new();
    for (kind, hash) in checks {
        let n = values.len();
        rows.push(format!(
            "({}, {}, {}, 1)",
            placeholder(backend, n + 1),
            placeholder(backend, n + 2),
            placeholder(backend, n + 3)
        ));
        values.push(kind.as_str().into());
        values.push(hash.clone().into());
        values.push(now.into());
    }
    let fresh = format!("rate_count.window_start > excluded.window_start - {window}");
    let sql = format!(
        "INSERT INTO rate_count (kind, key_hash, window_start, count) VALUES {rows} \
         ON CONFLICT (kind, key_hash) DO UPDATE SET \
         count = CASE WHEN {fresh} THEN rate_count.count + 1 ELSE 1 END, \
         window_start = CASE WHEN {fresh} THEN rate_count.window_start \
         ELSE excluded.window_start END \
         RETURNING kind, count",
        rows = rows.join(", ")
    );
    let statement = Statement::from_sql_and_values(backend, sql, values);
    let rows = write_one_unseen(db, statement).await?;
    let mut counts = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        let count: i32 = row.try_get("", "count")?;
        if let Some(kind) = Kind::from_str(&kind) {
            counts.push((kind, i64::from(count)));
        }
    }
    Ok(counts)
}

fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".into(),
    }
}

/// Deletes the counts whose window has passed. Returns how many went.
pub async fn purge(
    db: &DatabaseConnection,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use entity::rate_count::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let window = i64::try_from(limits.window.as_secs()).unwrap_or(i64::MAX);
    let cutoff = now.timestamp().saturating_sub(window);
    write_unseen(db, |txn| async move {
        Ok(Entity::delete_many()
            .filter(Column::WindowStart.lte(cutoff))
            .exec(&txn)
            .await?
            .rows_affected)
    })
    .await
}
