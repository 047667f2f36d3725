//! Protective headers and connection limits: a Content-Security-Policy with a fresh nonce per
//! page, HSTS over https, a client that trickles its headers or its body in is cut off, and the
//! public forms' decoder is fuzzed with any body.

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
    use base64::Engine;
    use sha2::Digest;
    let app = common::spawn_app(Backend::Sqlite).await;
    // A page rendered for each request allows its scripts by a fresh nonce.
    let (policy, page) = policy_and_page(&app, "/mine-tilmeldinger").await;
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
    // The bundle's preload hints have the loader's CORS mode, not the nonce (leptos#4843).
    assert!(
        !page.contains(&format!("crossorigin=\"{nonce}\"")),
        "{page}"
    );
    assert_eq!(
        page.matches("crossorigin=\"anonymous\"").count(),
        2,
        "{page}"
    );
    // Every page gets a fresh one.
    let (again, _) = policy_and_page(&app, "/mine-tilmeldinger").await;
    assert_ne!(again, policy);

    // A page kept for everyone (the page cache) allows exactly its own scripts, by hash.
    let (policy, page) = policy_and_page(&app, "/").await;
    assert!(
        !policy.contains("'nonce-") && !page.contains(" nonce="),
        "{policy}"
    );
    let scripts: Vec<&str> = app::services::page_cache::inline_scripts(&page).collect();
    assert!(scripts.len() >= 2, "the loader and the data");
    let listed = policy.matches("'sha256-").count();
    assert_eq!(
        listed,
        scripts.len(),
        "one hash per inline script: {policy}"
    );
    for script in scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
        assert!(
            policy.contains(&format!("'sha256-{hash}'")),
            "{script:.60} in {policy}"
        );
    }
    for part in [
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
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

/// Sends the start of a request that never finishes and waits, up to `limit` and 5 s more, for
/// the server to close the connection: what it answered, or `None` when it kept it open.
async fn cut_off_after(app: &TestApp, start: &[u8], limit: StdDuration) -> Option<String> {
    let address = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    slow.write_all(start).await.expect("write");
    let mut buffer = Vec::new();
    tokio::time::timeout(
        limit + StdDuration::from_secs(5),
        slow.read_to_end(&mut buffer),
    )
    .await
    .ok()
    .map(|_| String::from_utf8_lossy(&buffer).to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = common::spawn_app(Backend::Sqlite).await;
    // The rest of the headers never come: the server closes the connection after its limit.
    let closed = cut_off_after(
        &app,
        b"GET / HTTP/1.1\r\nHost: x\r\n",
        server::startup::HEADER_READ_TIMEOUT,
    )
    .await;
    assert!(closed.is_some(), "the connection was closed by the server");
    // Others are served meanwhile and after.
    assert_eq!(app.get("/").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_finishes_is_cut_off() {
    let app = common::spawn_app(Backend::Sqlite).await;
    // The other 491 bytes never come: after its limit the server refuses the request (the
    // form reads a broken body) and closes the connection.
    let answer = cut_off_after(
        &app,
        b"POST /api/tilmeld HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nrun_id=1&",
        server::startup::BODY_TIMEOUT,
    )
    .await;
    assert!(answer.is_some(), "the connection was closed by the server");
    let answer = answer.unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert_eq!(app.get("/").await.0, 200);
    app.stop().await;
}

/// A body for the form decoder: random bytes, or pairs made of the forms' own keys and
/// pieces that trip decoders (brackets, stray `%`, `&` and `=`, long and non-UTF-8 values).
fn form_bodies() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let key = prop_oneof![
        Just("run_id".to_string()),
        Just("name".to_string()),
        Just("email".to_string()),
        Just("consent".to_string()),
        Just("token".to_string()),
        Just("svar".to_string()),
        Just("perspective".to_string()),
        Just("q[q1]".to_string()),
        Just("q[]".to_string()),
        Just("q[q1][x]".to_string()),
        Just("q".to_string()),
        "[a-z\\[\\]%=&]{0,12}",
    ];
    let value = prop_oneof![
        "\\PC{0,40}",
        Just("%".to_string()),
        Just("%zz".to_string()),
        Just("%ff%fe".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        "[a-z]{300,600}",
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec((key, value), 0..8).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes()
        }),
    ]
}

/// Fuzzes the form decoder of the public forms over HTTP: whatever the body, the answer is a
/// page or a redirect with a message, never a server error, and nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_forms_take_any_body() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, TestRunner};
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = common::spawn_app(Backend::Sqlite).await;
    let stored = || async {
        (
            entity::booking::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            entity::evaluation_response::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
        )
    };
    let before = stored().await;
    let mut runner = TestRunner::new(Config::default());
    let bodies = form_bodies();
    for round in 0..120 {
        let body = bodies.new_tree(&mut runner).expect("body").current();
        for path in [
            "/api/tilmeld",
            "/api/evaluering_svar",
            "/api/svar",
            "/api/mine_tilmeldinger_link",
            "/api/mine_tilmeldinger_handling",
        ] {
            let status = app.post_raw(path, body.clone()).await;
            assert!(
                status < 500,
                "round {round}: {path} answered {status} to {:?}",
                String::from_utf8_lossy(&body)
            );
        }
    }
    assert_eq!(stored().await, before, "nothing was stored");
    app.stop().await;
}
