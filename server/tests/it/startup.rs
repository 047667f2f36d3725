//! Start-up: clear errors for an unreachable database and a port in use, and an empty database
//! that stays empty when demo data is off.

use crate::common;

use std::path::PathBuf;

use server::config::Config;

fn config(database_url: &str, addr: &str) -> Config {
    let mut c = Config::from_lookup(|_| None).expect("defaults");
    c.database_url = database_url.to_string();
    c.addr = addr.parse().expect("address");
    c.site_root = PathBuf::from("target/site-not-built");
    c.demo_data = false;
    c.migrate = server::config::Migrate::Auto;
    c.max_db_connections = 1;
    c.public_url = "http://127.0.0.1".into();
    c
}

#[tokio::test]
async fn unreachable_database_is_a_clear_error() {
    // Nothing listens on port 1.
    let err = server::startup::prepare(&config("postgres://postgres@127.0.0.1:1/x", "127.0.0.1:0"))
        .await
        .expect_err("cannot connect");
    let message = err.to_string();
    assert!(
        message.contains("could not connect to the database"),
        "{message}"
    );
    assert!(message.contains("SKOLEBAENK_DATABASE_URL"), "{message}");
}

#[tokio::test]
async fn port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let err = server::startup::bind(&config("sqlite::memory:", &addr))
        .await
        .expect_err("port is taken");
    let message = err.to_string();
    assert!(message.contains("could not listen on"), "{message}");
    assert!(message.contains("SKOLEBAENK_ADDR"), "{message}");
}

#[tokio::test]
async fn migrations_apply_to_empty_databases_without_demo_data() {
    for backend in [common::Backend::Sqlite, common::Backend::Postgres] {
        let app = common::spawn_app_with(backend, false).await;
        let (status, body) = app.get("/").await;
        assert_eq!(status, 200, "{backend:?}");
        assert!(
            body.contains("0 hold fundet"),
            "{backend:?}: empty catalogue"
        );
        app.stop().await;
    }
}

/// Without `SKOLEBAENK_DEMO_DATA`, an empty database stays empty: no schools, and no staff
/// accounts with the demo's public passwords. On both databases.
#[tokio::test]
async fn the_default_start_loads_no_demo() {
    use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
    for backend in [common::Backend::Sqlite, common::Backend::Postgres] {
        let (url, sqlite_file, pg_name) = common::fresh_database(backend).await;
        let only_url = url.clone();
        let mut c = Config::from_lookup(move |name| {
            (name == "SKOLEBAENK_DATABASE_URL").then(|| only_url.clone())
        })
        .expect("defaults");
        c.site_root = PathBuf::from("target/site-not-built");
        c.max_db_connections = 1;
        assert!(!c.demo_data);
        // By default the schema is left alone: a new database must be migrated first.
        let refused = server::startup::prepare(&c)
            .await
            .expect_err("an unmigrated database is refused");
        assert!(
            refused.to_string().contains("Run `server migrate`"),
            "{backend:?}: {refused}"
        );
        c.migrate = server::config::Migrate::Auto;
        let state = server::startup::prepare(&c).await.expect("starts");
        let schools = entity::school::Entity::find()
            .count(&state.db)
            .await
            .expect("count");
        let staff = entity::staff_account::Entity::find()
            .count(&state.db)
            .await
            .expect("count");
        assert_eq!((schools, staff), (0, 0), "{backend:?}");
        let _ = state.db.clone().close().await;
        if let Some(path) = sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some(name) = pg_name
            && let Ok(admin) = sea_orm::Database::connect(&common::pg_admin_url()).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// Two instances starting at the same moment on one new PostgreSQL database, both told to
/// migrate and load the demo: the second waits for the first instead of failing halfway.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_take_turns_at_the_schema() {
    use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
    let (url, _, pg_name) = common::fresh_database(common::Backend::Postgres).await;
    let mut c = config(&url, "127.0.0.1:0");
    c.demo_data = true;
    c.max_db_connections = 2;
    let (a, b) = tokio::join!(server::startup::prepare(&c), server::startup::prepare(&c));
    let (a, b) = (a.expect("the first starts"), b.expect("the second starts"));
    let schools = entity::school::Entity::find()
        .count(&a.db)
        .await
        .expect("count");
    assert!(schools > 0, "the demo was loaded");
    let again = entity::school::Entity::find()
        .count(&b.db)
        .await
        .expect("count");
    assert_eq!(schools, again);
    let _ = a.db.clone().close().await;
    let _ = b.db.clone().close().await;
    if let Some(name) = pg_name
        && let Ok(admin) = sea_orm::Database::connect(&common::pg_admin_url()).await
    {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
}
