//! The server as a region's IT department runs it: `--help` and `--version` without any
//! configuration, usage errors with exit code 2, the schema changed only by `server migrate`,
//! secrets from files, JSON logs with one access line per request and no tokens or e-mail
//! addresses, and Prometheus metrics that follow the outbox.

use crate::binary::{
    demo_run, free_port, keep_signing_up, remove_db, server, sign_up, temp_db, terminate,
    wait_healthy,
};
use std::time::{Duration, Instant};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_and_version_need_no_configuration() {
    // An environment that could not start a server changes nothing for --help and --version.
    let broken = |cmd: &mut std::process::Command| {
        cmd.env("SKOLEBAENK_ADDR", "nowhere")
            .env("SKOLEBAENK_LOG_FORMAT", "xml")
            .env(
                "SKOLEBAENK_DATABASE_URL",
                "postgres://nobody@127.0.0.1:1/none",
            );
    };
    let mut help = server();
    broken(help.arg("--help"));
    let out = help.output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    for setting in server::config::SETTINGS {
        assert!(
            printed.contains(setting.env),
            "--help lists {}",
            setting.env
        );
    }
    assert!(printed.contains("default: 127.0.0.1:3000"), "{printed}");
    for command in [
        "serve",
        "migrate",
        "link",
        "outbox",
        "create-admin",
        "api-key",
    ] {
        assert!(printed.contains(command), "--help lists {command}");
    }

    let mut version = server();
    broken(version.arg("--version"));
    let out = version.output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("server {}", env!("CARGO_PKG_VERSION"))
    );

    // Each command has its own help.
    let out = server().args(["link", "--help"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Usage: server link <EMAIL>"));

    // Usage errors exit 2 and say what was wrong.
    for args in [
        &["frobnicate"][..],
        &["link"][..],
        &["api-key", "randers", "everything"][..],
    ] {
        let out = server().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).contains("error:"), "{args:?}");
    }
}

/// The README's settings table is the one `server settings` prints from the same definitions.
#[test]
fn the_readme_lists_every_setting_as_the_program_does() {
    let out = server().arg("settings").output().expect("run");
    assert!(out.status.success());
    let table = text(&out.stdout);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README");
    assert!(
        readme.contains(&table),
        "README.md's settings table differs from `server settings`:\n{table}"
    );
}

#[test]
fn only_migrate_changes_the_schema() {
    let (url, path) = temp_db();
    let run = |args: &[&str], migrate: &str| {
        server()
            .args(args)
            .env("SKOLEBAENK_DATABASE_URL", &url)
            .env("SKOLEBAENK_MIGRATE", migrate)
            .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{}", free_port()))
            .output()
            .expect("run")
    };
    // A new, empty database: serve refuses and says what to do; so do the other commands.
    for args in [
        &["serve"][..],
        &["outbox"][..],
        &["link", "a@example.dk"][..],
    ] {
        let out = run(args, "never");
        assert!(!out.status.success(), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("not up to date") && err.contains("server migrate"),
            "{args:?}: {err}"
        );
    }
    assert!(run(&["migrate"], "never").status.success());
    let out = run(&["outbox"], "never");
    assert!(out.status.success(), "{}", text(&out.stderr));

    // One migration short of this program: refused, naming it, and nothing changes.
    let last = {
        use migration::MigratorTrait;
        migration::Migrator::migrations()
            .last()
            .expect("migrations")
            .name()
            .to_string()
    };
    let forget = |sql: String| {
        let url = url.clone();
        async move {
            use sea_orm::ConnectionTrait;
            let db = sea_orm::Database::connect(&url).await.expect("connect");
            db.execute_unprepared(&sql).await.expect("change");
            db.close().await.expect("close");
        }
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(forget(format!(
        "DELETE FROM seaql_migrations WHERE version = '{last}'"
    )));
    let out = run(&["serve"], "never");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&format!("the first is {last}")), "{err}");
    let out = run(&["jobs"], "never");
    assert!(!out.status.success(), "jobs refuse too");
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(&url).await.expect("connect");
        let applied = db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                format!("SELECT COUNT(*) AS n FROM seaql_migrations WHERE version = '{last}'"),
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(applied, 0, "refusing changed nothing");
        db.close().await.expect("close");
    });
    // (The table it creates is already there, so migrating again would fail; put the record
    // back as `migrate` would have left it.)
    rt.block_on(forget(format!(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('{last}', 0)"
    )));
    assert!(run(&["outbox"], "never").status.success());

    // A database migrated by a newer version is refused too.
    rt.block_on(forget(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_future', 0)"
            .into(),
    ));
    let out = run(&["serve"], "never");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("newer than this program"));
    remove_db(&path);
}

#[test]
fn a_secret_can_come_from_a_file() {
    let (url, path) = temp_db();
    let file =
        std::env::temp_dir().join(format!("skolebaenk_secret_{:016x}", rand::random::<u64>()));
    std::fs::write(&file, format!("{url}\n")).expect("write the secret");
    let out = server()
        .arg("migrate")
        .env_remove("SKOLEBAENK_DATABASE_URL")
        .env("SKOLEBAENK_DATABASE_URL_FILE", &file)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(path.exists(), "the database named in the file was used");
    let out = server()
        .arg("migrate")
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_DATABASE_URL_FILE", &file)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "both set is a configuration error"
    );
    let err = text(&out.stderr);
    assert!(err.contains("not both"), "{err}");
    assert!(!err.contains(&url), "the secret is not printed: {err}");
    std::fs::remove_file(&file).expect("remove");
    remove_db(&path);
}

#[tokio::test]
async fn json_logs_have_an_access_line_per_request_and_no_tokens() {
    let (url, path) = temp_db();
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_LOG_FORMAT", "json")
        .env("SKOLEBAENK_RATE_LIMITS", "1000,100,1000,100")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // A sign-up, then the person's private page by its token link.
    let run = demo_run(&url, "at-leve-med-stemmer").await;
    let email = "logtest.person@example.dk";
    let signup = sign_up(&client, &base, run, "Log Testesen", email).await;
    assert_eq!(signup.status().as_u16(), 302);
    assert!(crate::common::location_of(&signup).ends_with("/modtaget"));
    let db = sea_orm::Database::connect(&url).await.expect("db");
    let token = app::services::tokens::issue_manage_token(&db, email, chrono::Utc::now())
        .await
        .expect("token");
    let page = client
        .get(format!("{base}/mine-tilmeldinger/{token}"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let missing = client
        .get(format!("{base}/findes-ikke/{token}"))
        .send()
        .await
        .expect("page");
    assert_eq!(missing.status().as_u16(), 404);
    let _ = db.close().await;

    let (exit, log) = terminate(child);
    assert!(exit.success(), "{log}");
    let mut access = Vec::new();
    for line in log.lines().filter(|l| l.starts_with('{')) {
        let entry: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a log line is not JSON ({e}): {line}"));
        assert!(
            entry["level"].is_string() && entry["timestamp"].is_string(),
            "{line}"
        );
        if entry["message"] == "request" {
            access.push(entry);
        }
    }
    let stderr_lines = log.lines().filter(|l| !l.trim().is_empty()).count();
    let json_lines = log.lines().filter(|l| l.starts_with('{')).count();
    // stdout has the one "Skolebænk is running" line for people; everything else is JSON.
    assert_eq!(stderr_lines - json_lines, 1, "{log}");
    assert!(!log.contains(&token), "no token in the log");
    assert!(!log.contains(email), "no e-mail address in the log");
    let line_for = |route: &str| {
        access
            .iter()
            .find(|e| e["route"] == route)
            .unwrap_or_else(|| panic!("an access line for {route}: {access:?}"))
    };
    let mine = line_for("/mine-tilmeldinger/{token}");
    assert_eq!(mine["status"], 200);
    assert_eq!(mine["method"], "GET");
    assert!(mine["duration_ms"].is_number());
    assert_eq!(
        mine["request_id"].as_str().map(str::len),
        Some(36),
        "a request id: {mine}"
    );
    assert_eq!(line_for("/api/tilmeld")["status"], 302);
    assert_eq!(line_for("{other}")["status"], 404);
    assert_eq!(line_for("/healthz")["status"], 200);
    remove_db(&path);
}

/// Reads `/metrics` and parses it with a Prometheus text-format parser.
async fn scrape(url: &str) -> prometheus_parse::Scrape {
    let body = reqwest::get(url)
        .await
        .expect("metrics")
        .error_for_status()
        .expect("200")
        .text()
        .await
        .expect("body");
    prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_string()))).expect("parses")
}

fn value(scrape: &prometheus_parse::Scrape, name: &str, label: (&str, &str)) -> Option<f64> {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name && s.labels.get(label.0) == Some(label.1))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => f64::NAN,
        })
        .reduce(|a, b| a + b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_the_outbox_when_mail_stops_and_starts() {
    let mut sink = smtp_sink::Sink::start().await.expect("sink");
    let (url, path) = temp_db();
    let port = free_port();
    let metrics_port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "SKOLEBAENK_METRICS_ADDR",
            format!("127.0.0.1:{metrics_port}"),
        )
        .env("SKOLEBAENK_PROXY_HOPS", "1")
        .env("SKOLEBAENK_MAIL_BACKEND", "smtp")
        .env("SKOLEBAENK_SMTP_HOST", "127.0.0.1")
        .env("SKOLEBAENK_SMTP_PORT", sink.addr().port().to_string())
        .env("SKOLEBAENK_SMTP_TLS", "none")
        .env("SKOLEBAENK_MAIL_RETRY", "1")
        .env("SKOLEBAENK_MAIL_POLL_MS", "100")
        .env("SKOLEBAENK_RATE_LIMITS", "1000,100,1000,100")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let separate = format!("http://127.0.0.1:{metrics_port}/metrics");
    let pending = |s: &prometheus_parse::Scrape| {
        value(s, "skolebaenk_outbox_pending", ("queue", "mail")).expect("the gauge is there")
    };
    let wait_for = |want: &'static str, check: fn(f64) -> bool| {
        let separate = separate.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let s = scrape(&separate).await;
                let p = value(&s, "skolebaenk_outbox_pending", ("queue", "mail")).unwrap_or(-1.0);
                if check(p) {
                    return s;
                }
                assert!(Instant::now() < deadline, "outbox never {want}: {p}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    // The demo's own mail goes out first.
    let calm = wait_for("empty", |p| p == 0.0).await;
    assert_eq!(
        value(
            &calm,
            "skolebaenk_outbox_oldest_pending_seconds",
            ("queue", "mail")
        ),
        Some(0.0)
    );
    assert!(value(&calm, "skolebaenk_db_pool_connections", ("state", "max")).unwrap_or(0.0) > 0.0);

    // The mail server stops; three sign-ups wait in the outbox, and the gauges say so.
    sink.stop();
    let run = demo_run(&url, "at-leve-med-stemmer").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for i in 0..3 {
        let r = sign_up(
            &client,
            &base,
            run,
            &format!("Metrik {i}"),
            &format!("metrik{i}@example.dk"),
        )
        .await;
        assert_eq!(r.status().as_u16(), 302);
        assert!(crate::common::location_of(&r).ends_with("/modtaget"));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stuck = wait_for("backed up", |p| p >= 3.0).await;
    assert!(
        value(
            &stuck,
            "skolebaenk_outbox_oldest_pending_seconds",
            ("queue", "mail")
        )
        .unwrap_or(0.0)
            > 0.0
    );
    assert!(value(&stuck, "skolebaenk_mail_total", ("outcome", "retry")).unwrap_or(0.0) >= 1.0);
    assert!(
        value(
            &stuck,
            "skolebaenk_http_requests_total",
            ("route", "/api/tilmeld")
        )
        .unwrap_or(0.0)
            >= 3.0
    );

    // The mail server is back: the outbox empties and the gauges follow.
    sink.restart().await.expect("restart the sink");
    let drained = wait_for("drained", |p| p == 0.0).await;
    assert_eq!(pending(&drained), 0.0);
    assert!(value(&drained, "skolebaenk_mail_total", ("outcome", "sent")).unwrap_or(0.0) >= 3.0);

    // On the site's own address /metrics is for this machine only: a client behind the
    // trusted proxy is someone else.
    let local = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("local");
    assert_eq!(local.status().as_u16(), 200);
    let outside = client
        .get(format!("{base}/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("outside");
    assert_eq!(outside.status().as_u16(), 404);
    let (exit, log) = terminate(child);
    assert!(exit.success(), "{log}");
    remove_db(&path);
}

/// `server backup` while sign-ups keep coming: the copy opens as a whole database and holds
/// every booking committed before the backup began.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_has_every_committed_booking() {
    use sea_orm::EntityTrait;
    let (url, path) = temp_db();
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_RATE_LIMITS", "100000,100,100000,100")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let run = demo_run(&url, "at-leve-med-stemmer").await;

    // Sign-ups one after another until told to stop; each one answered is committed.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let writer = keep_signing_up(client, format!("http://127.0.0.1:{port}"), run, "Backup");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before = writer.committed();
    let copy = std::env::temp_dir().join(format!(
        "skolebaenk_backup_{:016x}.db",
        rand::random::<u64>()
    ));
    let out = server()
        .args(["backup", &copy.display().to_string()])
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("backup");
    assert!(out.status.success(), "{}", text(&out.stderr));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = writer.stop().await.len();
    let (exit, log) = terminate(child);
    assert!(exit.success(), "{log}");
    assert!(
        before.len() >= 3 && after > before.len(),
        "writes before and during: {} then {after}",
        before.len()
    );

    // A second backup to the same file is refused rather than overwriting it.
    let again = server()
        .args(["backup", &copy.display().to_string()])
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .output()
        .expect("backup");
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("exists already"));

    // Restored, the copy is a sound database with every booking committed before it began.
    let restored = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", copy.display()))
        .await
        .expect("open the copy");
    {
        use sea_orm::ConnectionTrait;
        let check = restored
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .expect("check")
            .expect("row")
            .try_get_by_index::<String>(0)
            .expect("text");
        assert_eq!(check, "ok");
    }
    let emails: std::collections::HashSet<String> = entity::booking::Entity::find()
        .all(&restored)
        .await
        .expect("bookings")
        .into_iter()
        .map(|b| b.email)
        .collect();
    let lost: Vec<&String> = before.iter().filter(|e| !emails.contains(*e)).collect();
    assert!(
        lost.is_empty(),
        "committed before the backup but missing: {lost:?}"
    );
    let _ = restored.close().await;
    let _ = std::fs::remove_file(&copy);
    remove_db(&path);
}

/// SIGTERM while mail is going out: readiness fails at once while liveness holds, the mail
/// being sent is sent and recorded (nothing left claimed, nothing accepted by the mail server
/// but unrecorded), and the process exits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_fails_readiness_and_finishes_the_mail_in_flight() {
    use sea_orm::EntityTrait;
    let sink = smtp_sink::Sink::start().await.expect("sink");
    sink.set_default(smtp_sink::Reply::AcceptAfter(Duration::from_millis(300)));
    let (url, path) = temp_db();
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_DRAIN_SECS", "2")
        .env("SKOLEBAENK_MAIL_BACKEND", "smtp")
        .env("SKOLEBAENK_SMTP_HOST", "127.0.0.1")
        .env("SKOLEBAENK_SMTP_PORT", sink.addr().port().to_string())
        .env("SKOLEBAENK_SMTP_TLS", "none")
        .env("SKOLEBAENK_MAIL_POLL_MS", "100")
        .env("SKOLEBAENK_RATE_LIMITS", "1000,100,1000,100")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let run = demo_run(&url, "at-leve-med-stemmer").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for i in 0..10 {
        let r = sign_up(
            &client,
            &base,
            run,
            &format!("Stop {i}"),
            &format!("stop{i}@example.dk"),
        )
        .await;
        assert_eq!(r.status().as_u16(), 302);
    }
    sink.wait_for(3, Duration::from_secs(30)).await;
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("SIGTERM");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ready = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(ready.status().as_u16(), 503, "not ready once stopping");
    assert!(ready.text().await.expect("body").contains("stopping"));
    let alive = client
        .get(format!("{base}/livez"))
        .send()
        .await
        .expect("livez");
    assert_eq!(alive.status().as_u16(), 200, "still alive while draining");
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(started.elapsed() < Duration::from_secs(35));

    let db = sea_orm::Database::connect(&url).await.expect("db");
    let rows = entity::outbox_message::Entity::find()
        .all(&db)
        .await
        .expect("rows");
    let claimed: Vec<i32> = rows
        .iter()
        .filter(|r| r.status == "sending")
        .map(|r| r.id)
        .collect();
    assert!(claimed.is_empty(), "left half-sent: {claimed:?}");
    let sent: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| r.status == "sent")
        .map(|r| r.message_id.as_str())
        .collect();
    let accepted: Vec<String> = sink
        .received()
        .iter()
        .filter_map(|m| {
            String::from_utf8_lossy(&m.data)
                .lines()
                .find_map(|l| l.strip_prefix("Message-ID: "))
                .map(str::to_string)
        })
        .collect();
    assert!(!accepted.is_empty());
    let unrecorded: Vec<&String> = accepted
        .iter()
        .filter(|id| !sent.contains(id.as_str()))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "accepted but not recorded as sent: {unrecorded:?}"
    );
    let _ = db.close().await;
    remove_db(&path);
}

/// The PostgreSQL tools, from the newest PostgreSQL the machine has (as `scripts/pg.sh` finds
/// them).
fn pg_tool(name: &str) -> std::path::PathBuf {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    found.sort_by_key(|p| {
        p.components()
            .nth(4)
            .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
    });
    found.pop().unwrap_or_else(|| panic!("{name} not found"))
}

/// The PostgreSQL drill the README gives: `pg_dump --format=custom` while sign-ups keep coming,
/// restored with `pg_restore --clean --if-exists` into a new database, holds every booking
/// committed before the dump began, with seats and places as they were, and a server starts on
/// it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_dump_taken_during_writes_restores_every_committed_booking() {
    use crate::common::{Backend, RunSpec, fresh_database, make_run, spawn_app_configured};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn_app_configured(Backend::Postgres, true, crate::common::rush::rush_config).await;
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 5,
            ..RunSpec::default()
        },
    )
    .await;

    let writer = keep_signing_up(app.client.clone(), app.base.clone(), run.id, "Dump");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before = writer.committed();
    let dump = std::env::temp_dir().join(format!(
        "skolebaenk_dump_{:016x}.dump",
        rand::random::<u64>()
    ));
    let out = std::process::Command::new(pg_tool("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .args(["--dbname", &app.database_url])
        .output()
        .expect("pg_dump");
    assert!(out.status.success(), "{}", text(&out.stderr));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = writer.stop().await.len();
    assert!(
        before.len() >= 3 && after > before.len(),
        "writes before and during: {} then {after}",
        before.len()
    );

    let (restored_url, _, name) = fresh_database(Backend::Postgres).await;
    let name = name.expect("a PostgreSQL database");
    let out = std::process::Command::new(pg_tool("pg_restore"))
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--dbname",
            &restored_url,
        ])
        .arg(&dump)
        .output()
        .expect("pg_restore");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let restored = sea_orm::Database::connect(&restored_url)
        .await
        .expect("open the restored database");
    let bookings = entity::booking::Entity::find()
        .filter(entity::booking::Column::RunId.eq(run.id))
        .all(&restored)
        .await
        .expect("bookings");
    let emails: std::collections::HashSet<&str> =
        bookings.iter().map(|b| b.email.as_str()).collect();
    let lost: Vec<&String> = before
        .iter()
        .filter(|e| !emails.contains(e.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "committed before the dump but missing: {lost:?}"
    );
    // One consistent moment: exactly the seats, and the places in line from 1 without a gap.
    let seated = bookings
        .iter()
        .filter(|b| b.status == entity::BookingStatus::Confirmed)
        .count();
    assert_eq!(seated, 5.min(bookings.len()));
    let mut places: Vec<i32> = bookings.iter().filter_map(|b| b.queue_no).collect();
    places.sort_unstable();
    assert_eq!(places, (1..=places.len() as i32).collect::<Vec<_>>());
    let _ = restored.close().await;

    // A server starts on the restored database and serves the run's page.
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", &restored_url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    let page = reqwest::get(format!(
        "http://127.0.0.1:{port}/hold/{}/tilmelding",
        run.id
    ))
    .await
    .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let (exit, log) = terminate(child);
    assert!(exit.success(), "{log}");
    let _ = std::fs::remove_file(&dump);
    crate::common::drop_database(&name).await;
    app.stop().await;
}
