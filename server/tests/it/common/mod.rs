//! `spawn_app()`: starts the real app in-process on port 0 with a fresh database, SQLite or
//! PostgreSQL. PostgreSQL comes from `SKOLEBAENK_TEST_PG_URL` (a private cluster that
//! `make test` starts); each test gets its own database, dropped afterwards.

pub mod contract;
pub mod mail;
pub mod oidc;
pub mod rush;
pub mod staff;

use std::path::PathBuf;

use rand::Rng;
use sea_orm::{ConnectionTrait, Database};
use server::config::Config;
use tokio::sync::oneshot;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: sea_orm::DatabaseConnection,
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    /// The mail worker, when the test sends mail through an SMTP sink.
    worker: Option<tokio::task::JoinHandle<()>>,
    pub config: Config,
    sqlite_file: Option<PathBuf>,
    pg_name: Option<String>,
}

fn random_name(prefix: &str) -> String {
    let n: u64 = rand::rng().random();
    format!("{prefix}_{n:016x}")
}

/// The admin URL of the test PostgreSQL cluster. Without it, PostgreSQL tests fail loudly
/// rather than pass without running.
pub fn pg_admin_url() -> String {
    std::env::var("SKOLEBAENK_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("SKOLEBAENK_TEST_PG_URL is not set: run the tests with `make test`, which starts a private PostgreSQL cluster")
    })
}

/// Replaces the database name at the end of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
    format!("{base}/{name}")
}

/// A fresh, empty database URL for `backend`.
pub async fn fresh_database(backend: Backend) -> (String, Option<PathBuf>, Option<String>) {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{}.db", random_name("skolebaenk_test")));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                Some(path),
                None,
            )
        }
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to test PostgreSQL");
            let name = random_name("skolebaenk_test");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            (with_database(&admin_url, &name), None, Some(name))
        }
    }
}

/// Starts the app with demo data loaded.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, true).await
}

/// Starts the app; `demo_data` chooses whether the empty database gets the demo data.
pub async fn spawn_app_with(backend: Backend, demo_data: bool) -> TestApp {
    spawn_app_configured(backend, demo_data, |_| {}).await
}

/// Starts the app with the test configuration changed by `tweak` (rate limits, pool size).
pub async fn spawn_app_configured(
    backend: Backend,
    demo_data: bool,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    let (database_url, sqlite_file, pg_name) = fresh_database(backend).await;
    let mut config = Config::from_lookup(|_| None).expect("default configuration");
    config.database_url = database_url.clone();
    config.addr = "127.0.0.1:0".parse().expect("address");
    config.site_root = PathBuf::from("target/site-not-built");
    config.demo_data = demo_data;
    config.migrate = server::config::Migrate::Auto;
    config.max_db_connections = 5;
    config.public_url = "http://127.0.0.1".into();
    // Test receivers listen on loopback.
    config.webhooks.allow_private = true;
    tweak(&mut config);
    let mut app = start(config).await;
    app.sqlite_file = sqlite_file;
    app.pg_name = pg_name;
    app
}

/// Starts a server on `config`'s database, which the caller owns.
async fn start(config: Config) -> TestApp {
    let database_url = config.database_url.clone();
    let state = server::startup::prepare(&config).await.expect("app starts");
    let db = state.db.clone();
    // Mail goes out only in tests that point it at an SMTP sink.
    let worker = match &config.mail.backend {
        server::config::MailBackend::Smtp(_) => {
            let mailer =
                server::mail::transport::Mailer::from_config(&config.mail).expect("mailer");
            Some(server::startup::worker(&config, state.db.clone(), mailer).spawn())
        }
        server::config::MailBackend::File { .. } => None,
    };
    let listener = server::startup::bind(&config).await.expect("bind port 0");
    let addr = listener.local_addr().expect("local address");
    let (tx, rx) = oneshot::channel::<()>();
    let app = server::startup::router(state);
    let server = tokio::spawn(async move {
        let _ = server::startup::serve(listener, app, async {
            let _ = rx.await;
        })
        .await;
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("http client");
    TestApp {
        base: format!("http://{addr}"),
        client,
        db,
        database_url,
        shutdown: Some(tx),
        server: Some(server),
        worker,
        config,
        sqlite_file: None,
        pg_name: None,
    }
}

impl TestApp {
    /// A second server instance on this one's database, with its own mail worker (when mail
    /// goes to a sink), as another machine behind the same load balancer would run. Stopping
    /// it leaves the database to the first.
    pub async fn second_instance(&self) -> TestApp {
        start(self.config.clone()).await
    }

    /// GET a path; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        self.get_with_cookie(path, None).await
    }

    /// GET a path with an optional `Cookie` header.
    pub async fn get_with_cookie(&self, path: &str, cookie: Option<&str>) -> (u16, String) {
        let mut request = self.client.get(format!("{}{}", self.base, path));
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Stops the server and removes the database.
    pub async fn stop(mut self) {
        if let Some(worker) = self.worker.take() {
            worker.abort();
            let _ = worker.await;
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        let _ = self.db.clone().close().await;
        if let Some(path) = self.sqlite_file.take() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some(name) = self.pg_name.take() {
            drop_database(&name).await;
        }
    }
}

/// Drops a test PostgreSQL database made by [`fresh_database`], whoever is still connected.
pub async fn drop_database(name: &str) {
    if let Ok(admin) = Database::connect(&pg_admin_url()).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
}

/// Declares a test once on SQLite and once on PostgreSQL, as the tests `name::sqlite` and
/// `name::postgres`:
/// - `both_backends!(name, |app| { … });` runs the body with `app`, a `&TestApp` started with
///   demo data, and stops it afterwards;
/// - `both_backends!(name);` calls `async fn name(backend: Backend)`, which starts what it needs
///   (a module may share a function's name); `both_backends!(name, threads = 8);` gives it more
///   worker threads than the default four.
macro_rules! both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let owned = $crate::common::spawn_app($crate::common::Backend::Sqlite).await;
                {
                    let $app: &$crate::common::TestApp = &owned;
                    $body
                }
                owned.stop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let owned = $crate::common::spawn_app($crate::common::Backend::Postgres).await;
                {
                    let $app: &$crate::common::TestApp = &owned;
                    $body
                }
                owned.stop().await;
            }
        }
    };
    ($name:ident) => {
        both_backends!($name, threads = 4);
    };
    ($name:ident, threads = $threads:literal) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = $threads)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = $threads)]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await;
            }
        }
    };
}

/// Queries in tests, where a database error is a failure: `select.found(&app.db, "what")`
/// (the one row, or a panic naming what was missing), `select.rows(&app.db)` (every row) and
/// `select.counted(&app.db)`.
pub trait Found<E: sea_orm::EntityTrait> {
    async fn found(self, db: &sea_orm::DatabaseConnection, what: &str) -> E::Model;
    async fn rows(self, db: &sea_orm::DatabaseConnection) -> Vec<E::Model>;
    async fn counted(self, db: &sea_orm::DatabaseConnection) -> u64;
}

impl<E: sea_orm::EntityTrait> Found<E> for sea_orm::Select<E>
where
    E::Model: Sync,
{
    async fn found(self, db: &sea_orm::DatabaseConnection, what: &str) -> E::Model {
        self.one(db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no {what}"))
    }

    async fn rows(self, db: &sea_orm::DatabaseConnection) -> Vec<E::Model> {
        self.all(db).await.expect("query")
    }

    async fn counted(self, db: &sea_orm::DatabaseConnection) -> u64 {
        use sea_orm::PaginatorTrait;
        self.count(db).await.expect("count")
    }
}

/// The id of the evaluation question with `code` (a default question's code).
pub async fn question(app: &TestApp, code: &str) -> i32 {
    use entity::evaluation_question::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let with_code = Entity::find().filter(Column::Code.eq(code));
    with_code.found(&app.db, "question").await.id
}

/// A response header as text, or empty.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Sends the app's mail to an SMTP sink at `sink`, retrying after a second, and taking over
/// a message whose worker vanished after three seconds.
pub fn send_mail_to(sink: std::net::SocketAddr) -> impl FnOnce(&mut Config) {
    move |config: &mut Config| {
        config.mail.backend = server::config::MailBackend::Smtp(server::config::SmtpConfig {
            host: sink.ip().to_string(),
            port: sink.port(),
            tls: server::config::SmtpTls::None,
            credentials: None,
            timeout: std::time::Duration::from_secs(5),
        });
        config.mail.backoff.steps = vec![chrono::Duration::seconds(1)];
        config.mail.lease = std::time::Duration::from_secs(3);
        config.mail.poll = std::time::Duration::from_millis(100);
    }
}

/// A run made for a test: its id and its sessions' ids.
pub struct TestRun {
    pub id: i32,
    pub sessions: Vec<i32>,
    pub course_title: String,
}

/// Options for [`make_run`].
#[derive(Clone, Copy)]
pub struct RunSpec {
    pub capacity: i32,
    pub waitlist: bool,
    pub offer_mode: bool,
    /// Hours from now to the first session.
    pub starts_in_hours: i64,
    pub sessions: u32,
    pub cancel_deadline_hours: i32,
}

impl Default for RunSpec {
    fn default() -> Self {
        RunSpec {
            capacity: 3,
            waitlist: true,
            offer_mode: false,
            starts_in_hours: 24 * 10,
            sessions: 1,
            cancel_deadline_hours: 24,
        }
    }
}

/// Adds a published run of the first demo course, open for sign-up now.
pub async fn make_run(db: &sea_orm::DatabaseConnection, spec: RunSpec) -> TestRun {
    use chrono::{Duration, Utc};
    use entity::{RunStatus, WaitlistMode, course, run, session};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

    let course = course::Entity::find()
        .filter(course::Column::Format.eq(entity::CourseFormat::Course))
        .order_by_asc(course::Column::Id)
        .one(db)
        .await
        .expect("query")
        .expect("a demo course");
    let now = Utc::now();
    // Sessions start on the minute, as real ones do.
    let on_the_minute = now
        - Duration::seconds(now.timestamp() % 60)
        - Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
    let created = run::ActiveModel {
        course_id: Set(course.id),
        school_id: Set(course.school_id),
        location_id: Set(None),
        capacity: Set(Some(spec.capacity)),
        waitlist_enabled: Set(spec.waitlist),
        signup_opens_at: Set(Some(now - Duration::days(1))),
        signup_closes_at: Set(None),
        waitlist_mode: Set(if spec.offer_mode {
            WaitlistMode::Offer
        } else {
            WaitlistMode::Automatic
        }),
        offer_hours: Set(24),
        cancel_deadline_hours: Set(spec.cancel_deadline_hours),
        booking_rev: Set(0),
        status: Set(RunStatus::Published),
        note: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert run");
    let mut sessions = Vec::new();
    for week in 0..spec.sessions {
        let starts = on_the_minute
            + Duration::hours(spec.starts_in_hours)
            + Duration::weeks(i64::from(week));
        let s = session::ActiveModel {
            run_id: Set(created.id),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::hours(3)),
            location_id: Set(None),
            online_url: Set(None),
            cancelled: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert session");
        sessions.push(s.id);
    }
    TestRun {
        id: created.id,
        sessions,
        course_title: course.title,
    }
}

/// A response's `Location` header, or "".
pub fn location_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The answer to a form post: status, `Location`, and the cookies set (name=value).
pub struct Posted {
    pub status: u16,
    pub location: String,
    pub cookies: Vec<String>,
}

impl Posted {
    /// The value of a cookie the response set.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")).map(str::to_string))
    }
}

impl TestApp {
    /// The status of a form post with `body` as it is, whatever its bytes.
    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> u16 {
        self.client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("referer", format!("{}/", self.base))
            .body(body)
            .send()
            .await
            .expect("post")
            .status()
            .as_u16()
    }
}

impl TestApp {
    /// Posts a form as a browser without JavaScript does, with an optional `Cookie` header.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Posted {
        self.post_form_with(path, fields, cookie, &[]).await
    }

    /// [`TestApp::post_form`] with more headers (`X-Forwarded-For` behind a proxy).
    pub async fn post_form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Posted {
        let mut request = self
            .client
            .post(format!("{}{}", self.base, path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}/", self.base))
            .form(fields);
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("post");
        let location = location_of(&response);
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .collect();
        Posted {
            status: response.status().as_u16(),
            location,
            cookies,
        }
    }
}

impl TestApp {
    /// The booking a sign-up through the form made (or found): the answer is "Tak" whatever
    /// happened, so the booking is looked up by its address.
    pub async fn booked(&self, posted: &Posted, run_id: i32, email: &str) -> i32 {
        use entity::{BookingStatus, booking};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        assert_eq!(posted.status, 302, "redirect after sign-up");
        assert_eq!(
            posted.location,
            format!("/hold/{run_id}/tilmelding/modtaget"),
            "the thank-you page"
        );
        booking::Entity::find()
            .filter(booking::Column::RunId.eq(run_id))
            .filter(booking::Column::EmailKey.eq(app::rules::signup::email_key(email)))
            .filter(booking::Column::Status.is_in([
                BookingStatus::Confirmed,
                BookingStatus::Offered,
                BookingStatus::Waitlisted,
            ]))
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("a booking for {email}"))
            .id
    }

    /// Signs up through the form endpoint, in `lang` (`da` or `en`), and returns the booking id.
    pub async fn sign_up_in(&self, lang: &str, run_id: i32, name: &str, email: &str) -> i32 {
        let run = run_id.to_string();
        let key = app::services::tokens::new_token();
        let cookie = format!("sprog={lang}");
        let posted = self
            .post_form(
                "/api/tilmeld",
                &[
                    ("run", run.as_str()),
                    ("name", name),
                    ("email", email),
                    ("consent", "ja"),
                    ("key", key.as_str()),
                ],
                Some(&cookie),
            )
            .await;
        self.booked(&posted, run_id, email).await
    }

    /// Signs up in Danish and returns the booking id.
    pub async fn sign_up(&self, run_id: i32, name: &str, email: &str) -> i32 {
        self.sign_up_in("da", run_id, name, email).await
    }
}
