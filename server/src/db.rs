//! Connecting to the database and bringing its schema up to date.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// Why the database could not be used, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbStartError {
    #[error("could not create the folder for the SQLite database {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "could not connect to the database ({url}): {source}. Check SKOLEBAENK_DATABASE_URL and that the server is running"
    )]
    Connect { url: String, source: DbErr },
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(DbErr),
    #[error(
        "the database schema is not up to date: {missing} of {known} migrations are not applied (the first is {first}). Run `server migrate` (as a deploy step), or set SKOLEBAENK_MIGRATE=auto to let `serve` do it"
    )]
    Outdated {
        missing: usize,
        known: usize,
        first: String,
    },
    #[error(
        "the database schema is newer than this program: it has migrations this version does not know ({0}). Run the newer version, or restore a backup taken before it migrated"
    )]
    Newer(String),
    #[error("could not read the schema version: {0}")]
    Version(DbErr),
}

/// Where the schema stands against this program's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    Current,
    /// Migrations this program has that the database lacks, oldest first.
    Behind(Vec<String>),
    /// Migrations the database has that this program does not know.
    Ahead(Vec<String>),
}

/// How much of a SQLite database file is read through a memory map.
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

/// Hides the password in a database URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Connects, then applies any pending migrations (`server migrate`, `SKOLEBAENK_MIGRATE=auto`
/// and the tests), holding the [`schema_lock`] meanwhile.
pub async fn connect_and_migrate(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbStartError> {
    let db = connect(url, max_connections).await?;
    let lock = schema_lock(&db, url).await?;
    let migrated = migrate(&db, url).await;
    lock.release().await;
    migrated?;
    Ok(db)
}

/// Applies any pending migrations; the caller holds the [`schema_lock`].
///
/// On SQLite a migration runs outside a transaction, statement by statement. Over a pool, one
/// statement (`ADD COLUMN`) and the next (an `UPDATE` of that column) can land on different
/// connections, and the second may still read the old schema. So on SQLite the migrations run
/// over a connection of their own, where each statement sees what the one before it left.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> Result<(), DbStartError> {
    if db.get_database_backend() == DbBackend::Sqlite {
        let single = connect(url, 1).await?;
        let migrated = Migrator::up(&single, None).await;
        let _ = single.close().await;
        return migrated.map_err(DbStartError::Migrate);
    }
    Migrator::up(db, None).await.map_err(DbStartError::Migrate)
}

/// Connects and checks that the schema is exactly this program's, changing nothing: every
/// command but `migrate` starts this way unless migrating was asked for.
pub async fn connect_current(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbStartError> {
    let db = connect(url, max_connections).await?;
    check_current(&db).await?;
    Ok(db)
}

/// An error unless the schema is exactly this program's.
pub async fn check_current(db: &DatabaseConnection) -> Result<(), DbStartError> {
    match schema(db).await? {
        Schema::Current => Ok(()),
        Schema::Behind(missing) => Err(DbStartError::Outdated {
            missing: missing.len(),
            known: Migrator::migrations().len(),
            first: missing.first().cloned().unwrap_or_default(),
        }),
        Schema::Ahead(unknown) => Err(DbStartError::Newer(unknown.join(", "))),
    }
}

/// PostgreSQL's advisory lock key for changing the schema and loading demo data.
const SCHEMA_LOCK_KEY: i64 = 0x5c01_eba3_0001;

/// Held while one instance changes the schema or loads demo data, so that instances started
/// at the same moment on one PostgreSQL database wait for each other instead of failing. On
/// PostgreSQL it is an advisory lock on a connection of its own (closing the connection frees
/// it, also when the process dies); SQLite's own write lock serialises writers already.
pub struct SchemaLock {
    conn: Option<DatabaseConnection>,
}

/// Takes the [`SchemaLock`], waiting while another instance holds it.
pub async fn schema_lock(db: &DatabaseConnection, url: &str) -> Result<SchemaLock, DbStartError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(SchemaLock { conn: None });
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    let failed = |source| DbStartError::Connect {
        url: redact(url),
        source,
    };
    let conn = Database::connect(options).await.map_err(failed)?;
    conn.execute_unprepared(&format!("SELECT pg_advisory_lock({SCHEMA_LOCK_KEY})"))
        .await
        .map_err(failed)?;
    Ok(SchemaLock { conn: Some(conn) })
}

impl SchemaLock {
    /// Frees the lock for the next instance.
    pub async fn release(self) {
        if let Some(conn) = self.conn {
            let _ = conn
                .execute_unprepared(&format!("SELECT pg_advisory_unlock({SCHEMA_LOCK_KEY})"))
                .await;
            let _ = conn.close().await;
        }
    }
}

/// Compares the migrations recorded in the database with this program's, without creating
/// the record table (a database nobody migrated has none: every migration is missing).
pub async fn schema(db: &DatabaseConnection) -> Result<Schema, DbStartError> {
    use sea_orm::Statement;
    let applied: Vec<String> = match db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    {
        Ok(rows) => rows
            .iter()
            .map(|row| row.try_get::<String>("", "version"))
            .collect::<Result<_, _>>()
            .map_err(DbStartError::Version)?,
        Err(_) if !migration_table_exists(db).await? => Vec::new(),
        Err(e) => return Err(DbStartError::Version(e)),
    };
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let unknown: Vec<String> = applied
        .iter()
        .filter(|v| !known.contains(v))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Ok(Schema::Ahead(unknown));
    }
    let missing: Vec<String> = known.into_iter().filter(|k| !applied.contains(k)).collect();
    Ok(if missing.is_empty() {
        Schema::Current
    } else {
        Schema::Behind(missing)
    })
}

async fn migration_table_exists(db: &DatabaseConnection) -> Result<bool, DbStartError> {
    use sea_orm::Statement;
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
        _ => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'seaql_migrations' AND table_schema = current_schema()"
        }
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map_err(DbStartError::Version)?;
    let n: i64 = row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()
        .map_err(DbStartError::Version)?
        .unwrap_or(0);
    Ok(n > 0)
}

/// Connects, creating a SQLite file's folder when missing; the schema is left as it is.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbStartError> {
    if let Some(path) = sqlite_file(url)
        && let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| DbStartError::Folder {
            path: path.to_string(),
            source,
        })?;
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        // Writers queue for SQLite's single write lock; a booking transaction takes
        // milliseconds, so even a rush of sign-ups waits well within this.
        .map_sqlx_sqlite_opts(|o| {
            o.busy_timeout(Duration::from_secs(30))
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                // Deleted and overwritten text (names made anonymous) is zeroed in the file,
                // not left in free pages.
                .pragma("secure_delete", "ON")
                // Pages are read from the file mapped into memory, which every connection
                // shares, rather than copied into each connection's own small cache: a report
                // over five years reads about a quarter faster.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
        });
    // Requests may wait long for a pooled connection in a rush, but start-up should say quickly
    // that the database cannot be reached.
    let db =
        match tokio::time::timeout(Duration::from_secs(10), Database::connect(options)).await {
            Ok(connected) => connected,
            Err(_) => Err(DbErr::Custom("no answer within 10 seconds".into())),
        }
        .map_err(|source| DbStartError::Connect {
            url: redact(url),
            source,
        })?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers work while a writer holds the lock. It is a property of the file,
        // so one connection sets it for all. (sqlx turns foreign keys on for every connection.)
        db.execute_unprepared("PRAGMA journal_mode = WAL")
            .await
            .map_err(|source| DbStartError::Connect {
                url: redact(url),
                source,
            })?;
    }
    Ok(db)
}

/// Why a backup was not written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "`server backup` copies SQLite databases; for PostgreSQL use pg_dump --format=custom (see Operations in the README)"
    )]
    NotSqlite,
    #[error("{0} exists already; choose a new file name")]
    Exists(String),
    #[error("the backup could not be written: {0}")]
    Write(DbErr),
}

/// Writes a consistent copy of a SQLite database to `path` with `VACUUM INTO`: it reads one
/// snapshot while writers go on, and the copy is a complete database file.
pub async fn backup_sqlite(db: &DatabaseConnection, path: &Path) -> Result<(), BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if path.exists() {
        return Err(BackupError::Exists(path.display().to_string()));
    }
    let target = path.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await
        .map_err(BackupError::Write)?;
    Ok(())
}

/// The file path of a `sqlite://` URL, if it names a file.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:secret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            redact("sqlite://data/x.db?mode=rwc"),
            "sqlite://data/x.db?mode=rwc"
        );
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_file("sqlite://data/x.db?mode=rwc"),
            Some("data/x.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
