//! Protective headers and connection limits: a Content-Security-Policy with a fresh nonce per
//! page, HSTS over https, and a client that trickles its headers in is cut off.

use crate::common::{self, Backend, TestApp, header};
use std::time::Duration as StdDuration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn policy_and_page(app: &TestApp, path: &str) -> (String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("get");
    let policy = header(&response, "content-security-policy");
    (policy, response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_allow_only_their_own_scripts() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let (policy, page) = policy_and_page(&app, "/").await;
    for part in [
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    // The page's inline scripts carry it; no inline script is without it.
    let inline = page.matches("<script").count();
    assert!(inline > 0);
    assert_eq!(page.matches(&format!("nonce=\"{nonce}\"")).count(), inline);
    // Every page gets a fresh one.
    let (again, _) = policy_and_page(&app, "/").await;
    assert_ne!(again, policy);
    // No HSTS over plain http.
    let response = app.client.get(&app.base).send().await.expect("get");
    assert_eq!(header(&response, "strict-transport-security"), "");
    app.stop().await;

    let https = common::spawn_app_configured(Backend::Sqlite, true, |c| {
        c.public_url = "https://skole.example".into();
    })
    .await;
    let response = https.client.get(&https.base).send().await.expect("get");
    assert_eq!(
        header(&response, "strict-transport-security"),
        "max-age=31536000"
    );
    https.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let address = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // The rest of the headers never come: the server closes the connection after its limit.
    let mut buffer = Vec::new();
    let closed = tokio::time::timeout(
        server::startup::HEADER_READ_TIMEOUT + StdDuration::from_secs(5),
        slow.read_to_end(&mut buffer),
    )
    .await;
    assert!(closed.is_ok(), "the connection was closed by the server");
    // Others are served meanwhile and after.
    assert_eq!(app.get("/").await.0, 200);
    app.stop().await;
}
