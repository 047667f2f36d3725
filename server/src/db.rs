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
}

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

/// Connects, then applies any pending migrations.
pub async fn connect_and_migrate(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbStartError> {
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
    Migrator::up(&db, None)
        .await
        .map_err(DbStartError::Migrate)?;
    Ok(db)
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
