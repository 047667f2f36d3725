//! The `server` binary as an operator meets it: it starts, answers, and stops cleanly on SIGTERM;
//! it refuses a taken port with a clear message instead of a panic; `seed` refuses a database
//! that already has data; and killed with SIGKILL in the middle of sending mail, it loses none
//! once it is started again.

use crate::common::Found;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) fn temp_db() -> (String, std::path::PathBuf) {
    let n: u64 = rand::random();
    let path = std::env::temp_dir().join(format!("skolebaenk_bin_{n:016x}.db"));
    (format!("sqlite://{}?mode=rwc", path.display()), path)
}

pub(crate) fn remove_db(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

pub(crate) fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    let n: u64 = rand::random();
    cmd.env("SKOLEBAENK_SITE_ROOT", "target/site-not-built")
        .env("SKOLEBAENK_DEMO_DATA", "true")
        .env("SKOLEBAENK_MIGRATE", "auto")
        .env(
            "SKOLEBAENK_MAIL_DIR",
            std::env::temp_dir().join(format!("skolebaenk_bin_mail_{n:016x}")),
        )
        .env("SKOLEBAENK_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The id of the first run of a demo course, read from the database at `url`.
pub(crate) async fn demo_run(url: &str, slug: &str) -> i32 {
    use entity::{course, run};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let db = sea_orm::Database::connect(url).await.expect("database");
    let course = course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .found(&db, "demo course")
        .await;
    let run = run::Entity::find()
        .filter(run::Column::CourseId.eq(course.id))
        .found(&db, "demo run")
        .await;
    let _ = db.close().await;
    run.id
}

/// Signs someone up through the form endpoint, as a browser without JavaScript does.
pub(crate) async fn sign_up(
    client: &reqwest::Client,
    base: &str,
    run: i32,
    name: &str,
    email: &str,
) -> reqwest::Response {
    client
        .post(format!("{base}/api/tilmeld"))
        .header("accept", "text/html")
        .form(&[
            ("run", run.to_string()),
            ("name", name.to_string()),
            ("email", email.to_string()),
            ("consent", "ja".to_string()),
        ])
        .send()
        .await
        .expect("sign up")
}

/// Sign-ups one after another on a run, until stopped: the background writer of the backup
/// drills. An address is recorded once its answer came back, so every recorded one is committed.
pub(crate) struct Writer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    committed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts a [`Writer`] signing up `{prefix}0@example.dk`, `{prefix}1@example.dk`, … on `run`.
pub(crate) fn keep_signing_up(
    client: reqwest::Client,
    base: String,
    run: i32,
    prefix: &'static str,
) -> Writer {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let committed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let task = {
        let (stop, committed) = (stop.clone(), committed.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let email = format!("{}{i}@example.dk", prefix.to_lowercase());
                let r = sign_up(&client, &base, run, &format!("{prefix} {i}"), &email).await;
                assert!(crate::common::location_of(&r).ends_with("/modtaget"));
                committed.lock().expect("lock").push(email);
                i += 1;
            }
        })
    };
    Writer {
        stop,
        committed,
        task,
    }
}

impl Writer {
    /// The addresses committed so far.
    pub(crate) fn committed(&self) -> Vec<String> {
        self.committed.lock().expect("lock").clone()
    }

    /// Stops after the sign-up under way and returns every address committed.
    pub(crate) async fn stop(self) -> Vec<String> {
        let Writer {
            stop,
            committed,
            task,
        } = self;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        task.await.expect("writer");
        committed.lock().expect("lock").clone()
    }
}

/// Sends SIGTERM to the server and waits for it: how it ended, and all it logged.
pub(crate) fn terminate(child: std::process::Child) -> (std::process::ExitStatus, String) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    let log = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status, log)
}

#[tokio::test]
async fn starts_serves_and_stops_on_sigterm() {
    let (url, path) = temp_db();
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("start the binary");
    let client = reqwest::Client::new();
    let start = Instant::now();
    let mut healthy = false;
    while start.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            && r.status().is_success()
        {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(healthy, "the server answered /healthz");
    let page = client
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .expect("front page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("hold fundet"), "demo data on first start");

    let (exit, log) = terminate(child);
    assert!(exit.success(), "clean exit: {log}");
    assert!(log.contains("shutdown signal received"), "{log}");
    assert!(
        log.contains("Skolebænk is running at http://127.0.0.1:"),
        "prints its URL: {log}"
    );
    remove_db(&path);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let (url, path) = temp_db();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let output = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", &addr)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!("could not listen on {addr}")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    remove_db(&path);
}

#[test]
fn seed_loads_an_empty_database_once() {
    let (url, path) = temp_db();
    let first = server()
        .arg("seed")
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("seed");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("Demo data loaded"));
    let second = server()
        .arg("seed")
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("seed");
    assert!(!second.status.success(), "refuses a database with data");
    assert!(String::from_utf8_lossy(&second.stderr).contains("already has data"));
    remove_db(&path);
}

#[test]
fn bad_configuration_is_named() {
    let output = server()
        .env("SKOLEBAENK_ADDR", "not an address")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SKOLEBAENK_ADDR"));
}

#[test]
fn link_prints_a_working_link_and_refuses_nonsense() {
    let (url, path) = temp_db();
    let out = server()
        .args(["link", "Ole@Example.DK"])
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_PUBLIC_URL", "https://skolebaenk.example/")
        .output()
        .expect("run link");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    let token = printed
        .trim()
        .strip_prefix("https://skolebaenk.example/mine-tilmeldinger/")
        .unwrap_or_else(|| panic!("a link, got {printed:?}"));
    assert!(app::services::tokens::looks_like_token(token));

    let out = server()
        .args(["link", "not-an-address"])
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("run link");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an e-mail address"));

    let out = server()
        .arg("outbox")
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("run outbox");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 message(s)"));
    remove_db(&path);
}

#[test]
fn retention_lists_what_would_go_then_does_it() {
    let (url, path) = temp_db();
    let run = |args: &[&str]| {
        let out = server()
            .args(args)
            .env("SKOLEBAENK_DATABASE_URL", &url)
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(run(&["seed"]).0);
    let (ok, listed, err) = run(&["retention", "--dry-run"]);
    assert!(ok, "{err}");
    let last = listed.lines().last().unwrap_or_default().to_string();
    assert!(last.ends_with("runs would be made anonymous."), "{listed}");
    let count = last.split(' ').next().unwrap_or_default().to_string();
    assert_eq!(
        listed.lines().count(),
        count.parse::<usize>().expect("n") + 1
    );
    // A dry run changes nothing.
    assert_eq!(run(&["retention", "--dry-run"]).1, listed);
    let (ok, done, _) = run(&["retention"]);
    assert!(ok);
    assert!(
        done.ends_with(&format!("{count} runs made anonymous.\n")),
        "{done}"
    );
    assert!(
        run(&["retention", "--dry-run"])
            .1
            .contains("0 runs would be made anonymous.")
    );
    let out = server()
        .args(["retention", "--straks"])
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage: server retention [OPTIONS]"), "{err}");
    remove_db(&path);
}

/// Waits until the server on `port` answers `/healthz`.
pub(crate) async fn wait_healthy(port: u16) {
    let client = reqwest::Client::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server on port {port} did not start");
}

fn mail_server(url: &str, port: u16, sink: std::net::SocketAddr) -> std::process::Child {
    server()
        .env("SKOLEBAENK_DATABASE_URL", url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_MAIL_BACKEND", "smtp")
        .env("SKOLEBAENK_SMTP_HOST", sink.ip().to_string())
        .env("SKOLEBAENK_SMTP_PORT", sink.port().to_string())
        .env("SKOLEBAENK_SMTP_TLS", "none")
        .env("SKOLEBAENK_MAIL_RETRY", "1")
        .env("SKOLEBAENK_MAIL_LEASE_SECS", "2")
        .env("SKOLEBAENK_MAIL_POLL_MS", "100")
        .env("SKOLEBAENK_RATE_LIMITS", "1000,100,1000,100")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the binary")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_sending_loses_no_mail() {
    use entity::outbox_message;
    use sea_orm::EntityTrait;

    // A slow mail server, so the kill lands while messages are on their way.
    let sink = smtp_sink::Sink::start().await.expect("sink");
    sink.set_default(smtp_sink::Reply::AcceptAfter(Duration::from_millis(150)));
    let (url, path) = temp_db();
    let port = free_port();
    let mut first = mail_server(&url, port, sink.addr());
    wait_healthy(port).await;

    // Thirty people join the waiting list of the demo's full class; each is told so by mail.
    let db = sea_orm::Database::connect(&url).await.expect("database");
    let full = demo_run(&url, "at-leve-med-stemmer").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{port}");
    for i in 0..30 {
        let response = sign_up(
            &client,
            &base,
            full,
            &format!("Person {i}"),
            &format!("person{i}@example.dk"),
        )
        .await;
        assert_eq!(response.status().as_u16(), 302);
    }

    // Kill the server once a few messages have gone out.
    sink.wait_for(5, Duration::from_secs(30)).await;
    first.kill().expect("SIGKILL");
    let _ = first.wait();
    let before_restart = sink.received().len();

    // Started again, it finishes the job, including what was in flight.
    let second_port = free_port();
    let mut second = mail_server(&url, second_port, sink.addr());
    wait_healthy(second_port).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let rows = loop {
        let rows = outbox_message::Entity::find()
            .all(&db)
            .await
            .expect("outbox");
        if rows.iter().all(|r| r.status == "sent") || Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    second.kill().expect("stop");
    let _ = second.wait();
    let received: std::collections::HashSet<String> = sink
        .received()
        .iter()
        .filter_map(|r| {
            let text = String::from_utf8_lossy(&r.data);
            text.lines()
                .find_map(|l| l.strip_prefix("Message-ID: "))
                .map(str::to_string)
        })
        .collect();
    let unsent: Vec<_> = rows.iter().filter(|r| r.status != "sent").collect();
    assert!(unsent.is_empty(), "every message sent: {unsent:?}");
    let missing: Vec<_> = rows
        .iter()
        .filter(|r| !received.contains(&r.message_id))
        .map(|r| r.id)
        .collect();
    assert!(
        missing.is_empty(),
        "every message arrived: missing {missing:?}"
    );
    assert!(
        rows.len() >= 30,
        "the thirty messages and the demo's reminders"
    );
    assert!(before_restart < rows.len(), "the kill came mid-way");
    println!(
        "sigkill: {} messages, {} arrived before the kill, {} deliveries in all ({} repeated with the same Message-ID)",
        rows.len(),
        before_restart,
        sink.received().len(),
        sink.received().len() - received.len()
    );
    let _ = db.close().await;
    remove_db(&path);
}

/// A plain `serve` on an empty database (no `SKOLEBAENK_DEMO_DATA`) gets no demo: its staff
/// passwords are public. It starts empty and says how to make the first administrator.
#[tokio::test]
async fn a_plain_start_on_an_empty_database_stays_empty() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let (url, path) = temp_db();
    let port = free_port();
    let child = server()
        .env_remove("SKOLEBAENK_DEMO_DATA")
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("start the binary");
    wait_healthy(port).await;
    let (_, log) = terminate(child);
    assert!(
        log.contains("no staff account yet") && log.contains("server create-admin EMAIL NAME"),
        "{log}"
    );
    assert!(!log.contains("loaded demo data"), "{log}");
    let db = sea_orm::Database::connect(&url).await.expect("connect");
    assert_eq!(
        entity::staff_account::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        entity::school::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        0
    );
    db.close().await.expect("close");
    remove_db(&path);
}
