//! The one way to write: every change to the database goes through [`write`], which runs a
//! transaction so that writers never trip over each other.
//!
//! - On SQLite a transaction is begun `IMMEDIATE`, so it holds the database's write lock from
//!   its first statement and no read inside it can go stale before its write. Writers of this
//!   process queue for that lock in a fair in-process queue (rather than each holding a pooled
//!   connection while SQLite makes it wait), so a rush of sign-ups never runs the pool dry; a
//!   busy database (another process, such as the command line) is waited for by SQLite's busy
//!   timeout and then retried here, never reported to a person.
//! - On PostgreSQL transactions run side by side; a writer that decides from a count (seats)
//!   first takes the row lock of what it counts (`services::booking`'s `lock_run`), so writers
//!   of the same run queue behind each other and every later statement sees what the previous
//!   holder committed (READ COMMITTED).
//!
//! After a commit, the page cache's answers are out of date (on PostgreSQL every instance's:
//! the transaction sends `NOTIFY skolebaenk_changed`), and the outbox's workers are woken if the
//! transaction queued anything.

use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use super::{page_cache, worker_signal};

/// How many times a transaction is retried when SQLite reports a busy database after its busy
/// timeout.
const BUSY_RETRIES: u32 = 8;

/// An error a write may end in. Those that say the database was busy are retried.
pub trait WriteError: From<DbErr> {
    fn is_busy(&self) -> bool;
}

impl WriteError for DbErr {
    fn is_busy(&self) -> bool {
        let text = self.to_string();
        text.contains("database is locked")
            || text.contains("database table is locked")
            || text.contains("SQLITE_BUSY")
    }
}

tokio::task_local! {
    /// Set while a task runs a write's body: a write inside a write would wait for itself on
    /// SQLite, so it is refused instead.
    static IN_WRITE: ();
}

/// SQLite has one writer at a time; the writers of this process queue here, in order.
fn sqlite_write_gate() -> &'static tokio::sync::Mutex<()> {
    static GATE: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    GATE.get_or_init(|| tokio::sync::Mutex::new(()))
}

/// The transaction a write's body works in. It goes wherever a connection or a
/// `&DatabaseTransaction` does (`.exec(&txn)`, `lock_run(&txn, …)`); the helper commits it once
/// the body is done with it.
pub struct Tx(Arc<DatabaseTransaction>);

impl Deref for Tx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.0
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        self.0.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.0.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.0.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.0.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.0.query_all_raw(stmt).await
    }
}

/// Runs `body` in a write transaction and commits it when `body` answers `Ok`; an `Err` rolls
/// everything back. On SQLite one transaction at a time per process, retried when the database
/// is busy (so `body` may run more than once and must not have effects outside the database).
///
/// ```ignore
/// write(db, |txn| async move { thing.insert(&txn).await?; Ok(()) }).await
/// ```
pub async fn write<T, E, F, Fut>(db: &DatabaseConnection, body: F) -> Result<T, E>
where
    E: WriteError,
    F: FnMut(Tx) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    write_as(db, body, true).await
}

/// [`write`], for a change no public page shows: the outbox's own bookkeeping, rate limit
/// counts, sign-in attempts, kept API answers, a webhook's record. The page cache keeps its
/// answers (a worker claiming mail twice a second would otherwise empty it twice a second).
pub async fn write_unseen<T, E, F, Fut>(db: &DatabaseConnection, body: F) -> Result<T, E>
where
    E: WriteError,
    F: FnMut(Tx) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    write_as(db, body, false).await
}

/// [`write_unseen`] of one statement that returns rows (an upsert with `RETURNING`). On
/// PostgreSQL a single statement is a transaction of its own, so it goes alone: one round trip
/// instead of three (begin, statement, commit). On SQLite it queues for the write lock like
/// every write.
pub async fn write_one_unseen(
    db: &DatabaseConnection,
    statement: Statement,
) -> Result<Vec<QueryResult>, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        return db.query_all_raw(statement).await;
    }
    let statement = &statement;
    write_unseen(db, |txn| async move {
        txn.query_all_raw(statement.clone()).await
    })
    .await
}

/// A write; `seen`: whether public pages could show its change.
async fn write_as<T, E, F, Fut>(db: &DatabaseConnection, mut body: F, seen: bool) -> Result<T, E>
where
    E: WriteError,
    F: FnMut(Tx) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    if IN_WRITE.try_with(|()| ()).is_ok() {
        return Err(DbErr::Custom("a write was started inside another write".into()).into());
    }
    IN_WRITE.scope((), write_gated(db, &mut body, seen)).await
}

async fn write_gated<T, E, F, Fut>(
    db: &DatabaseConnection,
    body: &mut F,
    seen: bool,
) -> Result<T, E>
where
    E: WriteError,
    F: FnMut(Tx) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let _gate = match db.get_database_backend() {
        DbBackend::Sqlite => Some(sqlite_write_gate().lock().await),
        _ => None,
    };
    let mut tries = 0;
    loop {
        let attempt = async {
            let txn = db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            if seen && txn.get_database_backend() == DbBackend::Postgres {
                // Other instances' page caches hear of the change when it commits. A
                // notification waits for the commit wherever it is sent in the transaction;
                // sent first, it is not among the statements made while the body holds locks.
                txn.execute_unprepared(&format!("NOTIFY {}", page_cache::CHANNEL))
                    .await?;
            }
            let txn = Arc::new(txn);
            let value = body(Tx(Arc::clone(&txn))).await?;
            // The body has ended, and with it its handle on the transaction.
            let txn = Arc::into_inner(txn)
                .ok_or_else(|| DbErr::Custom("a write's transaction outlived its body".into()))?;
            txn.commit().await?;
            Ok::<T, E>(value)
        };
        match attempt.await {
            Ok(value) => {
                if seen {
                    // Pages rendered before this commit are out of date.
                    page_cache::changed();
                }
                // What this transaction queued is committed now; wake the workers.
                worker_signal::nudge_if_queued();
                return Ok(value);
            }
            Err(e) if e.is_busy() && tries < BUSY_RETRIES => {
                tries += 1;
                tracing::warn!(tries, "database busy; retrying the write");
                tokio::time::sleep(Duration::from_millis(20 * u64::from(tries))).await;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, Statement};

    use super::write;

    async fn db() -> DatabaseConnection {
        let db = Database::connect("sqlite::memory:").await.expect("sqlite");
        db.execute_unprepared("CREATE TABLE t (n INTEGER NOT NULL)")
            .await
            .expect("table");
        db
    }

    async fn rows(db: &DatabaseConnection) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM t",
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }

    #[tokio::test]
    async fn a_write_commits_on_ok_and_rolls_back_on_err() {
        let db = db().await;
        write::<_, DbErr, _, _>(&db, |txn| async move {
            txn.execute_unprepared("INSERT INTO t (n) VALUES (1)")
                .await?;
            Ok(())
        })
        .await
        .expect("committed");
        let refused: Result<(), DbErr> = write(&db, |txn| async move {
            txn.execute_unprepared("INSERT INTO t (n) VALUES (2)")
                .await?;
            Err(DbErr::Custom("changed my mind".into()))
        })
        .await;
        assert!(refused.is_err());
        assert_eq!(rows(&db).await, 1, "the refused write left nothing behind");
    }

    #[tokio::test]
    async fn a_write_inside_a_write_is_refused_rather_than_waiting_for_itself() {
        let db = db().await;
        let inner_db = db.clone();
        let outcome: Result<(), DbErr> = write(&db, |_txn| {
            let inner_db = inner_db.clone();
            async move { write::<_, DbErr, _, _>(&inner_db, |_| async { Ok(()) }).await }
        })
        .await;
        assert!(
            outcome.is_err_and(|e| e.to_string().contains("inside another write")),
            "refused"
        );
    }
}
