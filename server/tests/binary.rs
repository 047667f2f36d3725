//! The `server` binary as an operator meets it: it starts, answers, and stops cleanly on SIGTERM;
//! it refuses a taken port with a clear message instead of a panic; `seed` refuses a database
//! that already has data.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn temp_db() -> (String, std::path::PathBuf) {
    let n: u64 = rand::random();
    let path = std::env::temp_dir().join(format!("skolebaenk_bin_{n:016x}.db"));
    (format!("sqlite://{}?mode=rwc", path.display()), path)
}

fn remove_db(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env("SKOLEBAENK_SITE_ROOT", "target/site-not-built")
        .env("SKOLEBAENK_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
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

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    let log = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "clean exit: {log}");
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
    assert!(app::booking::token::looks_like_token(token));

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
