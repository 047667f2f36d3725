//! The page cache, from outside: public pages come from it until a write changes something (on
//! this instance or, on PostgreSQL, another one) or its time runs out; a request with any
//! personal cookie is rendered; every answer has its own nonce; and a cached page is the page a
//! new render gives.

use crate::binary::{free_port, server, sign_up, terminate, wait_healthy};
use crate::common::{Backend, Found, RunSpec, make_run, spawn_app_configured};
use entity::course;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::time::Duration;

/// GET `url` with an optional cookie: status, the Content-Security-Policy and the body.
async fn fetch(client: &reqwest::Client, url: &str, cookie: Option<&str>) -> (u16, String, String) {
    let mut request = client.get(url);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let policy = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, policy, response.text().await.expect("body"))
}

/// The course's title changed behind the server's back (not through its write helper), as only
/// a test can: what the page shows then tells whether it was rendered anew.
async fn retitle(db: &sea_orm::DatabaseConnection, slug: &str, title: &str) {
    let mut c = course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .found(db, "course")
        .await
        .into_active_model();
    c.title = Set(title.into());
    c.update(db).await.expect("retitle");
}

/// A server process on `url` whose pages are kept `secs` seconds; its first round of jobs and
/// the demo's mail are done before it is handed over, so nothing of its own changes the data.
async fn cached_server(url: &str, secs: u32) -> (std::process::Child, String) {
    let port = free_port();
    let child = server()
        .env("SKOLEBAENK_DATABASE_URL", url)
        .env("SKOLEBAENK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKOLEBAENK_PAGE_CACHE_SECS", secs.to_string())
        .env("SKOLEBAENK_JOBS_INTERVAL_SECS", "3600")
        .env("SKOLEBAENK_RATE_LIMITS", "1000,100,1000,100")
        .env("SKOLEBAENK_LOG", "warn")
        .spawn()
        .expect("start");
    wait_healthy(port).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    (child, format!("http://127.0.0.1:{port}"))
}

async fn course_of(db: &sea_orm::DatabaseConnection, run: &crate::common::TestRun) -> String {
    course::Entity::find()
        .filter(course::Column::Title.eq(run.course_title.clone()))
        .found(db, "course")
        .await
        .slug
}

async fn public_pages_are_kept_until_something_changes(backend: Backend) {
    // The schema, the demo and the run first, before any page is kept; this in-process app
    // owns the database and serves nothing the test asks.
    let setup = spawn_app_configured(backend, true, |_| {}).await;
    let db = setup.db.clone();
    let url = setup.database_url.clone();
    let run = make_run(
        &db,
        RunSpec {
            capacity: 5,
            ..RunSpec::default()
        },
    )
    .await;
    let slug = course_of(&db, &run).await;
    let (child, base) = cached_server(&url, 3).await;
    let page = format!("{base}/kurser/{slug}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // A kept page allows its scripts by hash: no nonce is shared between answers.
    let (status, policy, first) = fetch(&client, &page, None).await;
    assert_eq!(status, 200);
    assert!(first.contains("5 ledige pladser"), "the new run's seats");
    assert!(
        !policy.contains("'nonce-") && policy.contains("'sha256-"),
        "{policy}"
    );
    assert!(!first.contains(" nonce="), "no nonce in a kept page");
    assert!(
        first.matches("<script").count() >= 2,
        "the scripts are there"
    );
    let (_, again_policy, again) = fetch(&client, &page, None).await;
    assert_eq!((&policy, &first), (&again_policy, &again), "the same bytes");
    // An answer from the cache passes no other layer, so it must carry the protective headers
    // it was kept with, and no request id of the request that rendered it.
    let hit = client
        .get(&page)
        .header("x-request-id", "fra-klienten")
        .send()
        .await
        .expect("a kept page");
    let header = |name: &str| {
        hit.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    assert_eq!(header("content-security-policy"), Some(policy.clone()));
    assert_eq!(header("x-request-id"), None, "no other request's id");
    // They pass no access log, so /metrics counts them on their own.
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    let hits: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("skolebaenk_page_cache_hits_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("a hit counter in {metrics}"));
    assert!(hits >= 2.0, "two answers from the cache so far: {hits}");
    // Rendered for a person, the page has its nonce and the same content otherwise.
    let (_, own_policy, own) = fetch(&client, &page, Some("sb_kvittering=x")).await;
    let nonce = own_policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a rendered page has a nonce");
    assert_eq!(own.replace(&format!(" nonce=\"{nonce}\""), ""), first);

    // Changed behind the server's back: the page is kept ...
    retitle(&db, &slug, "Ny titel bag om ryggen").await;
    // Longer than the mail worker's poll: its bookkeeping writes do not empty the cache.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (_, _, kept) = fetch(&client, &page, None).await;
    assert!(
        !kept.contains("Ny titel bag om ryggen"),
        "answered from the cache"
    );
    // ... but never for someone with a cookie of their own, and per language.
    let (_, _, personal) = fetch(&client, &page, Some("sb_kvittering=x")).await;
    assert!(
        personal.contains("Ny titel bag om ryggen"),
        "rendered for a person"
    );
    let (_, _, english) = fetch(&client, &page, Some("sprog=en")).await;
    assert!(
        english.contains("Ny titel bag om ryggen"),
        "each language apart"
    );
    // A page that is one person's is never kept: each visitor gets a key of their own.
    let form = format!("{base}/hold/{}/tilmelding", run.id);
    let key = |page: &str| {
        page.split("name=\"key\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
    };
    let a = key(&fetch(&client, &form, None).await.2);
    let b = key(&fetch(&client, &form, None).await.2);
    assert!(a.is_some(), "the form has its one-time key");
    assert_ne!(a, b);

    // Time ends a kept page.
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let (_, _, later) = fetch(&client, &page, None).await;
    assert!(
        later.contains("Ny titel bag om ryggen"),
        "rendered again after its time"
    );

    // A booking through the server changes the seat count at once.
    let answer = sign_up(&client, &base, run.id, "Deltager", "cache@example.dk").await;
    assert_eq!(answer.status().as_u16(), 302);
    let (_, _, after) = fetch(&client, &page, None).await;
    assert!(
        after.contains("4 ledige pladser"),
        "no stale seat count after a booking"
    );

    let (status, log) = tokio::task::spawn_blocking(move || terminate(child))
        .await
        .expect("join");
    assert!(status.success(), "{log}");
    setup.stop().await;
}

both_backends!(public_pages_are_kept_until_something_changes);

/// With two instances on PostgreSQL, a change made by one puts the other's kept page out of
/// date: the write's `NOTIFY` reaches it, long before the page's ten minutes would run out.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_on_one_instance_refreshes_the_other() {
    let first = spawn_app_configured(Backend::Postgres, true, |_| {}).await;
    let run = make_run(
        &first.db,
        RunSpec {
            capacity: 5,
            ..RunSpec::default()
        },
    )
    .await;
    let slug = course_of(&first.db, &run).await;
    let (child, base) = cached_server(&first.database_url, 600).await;
    let client = reqwest::Client::new();
    let page = format!("{base}/kurser/{slug}");
    let (_, _, before) = fetch(&client, &page, None).await;
    assert!(before.contains("5 ledige pladser"));
    // Kept: a change behind its back does not show.
    retitle(&first.db, &slug, "Ændret uden besked").await;
    assert!(
        !fetch(&client, &page, None)
            .await
            .2
            .contains("Ændret uden besked")
    );

    // A change through the write helper of another process (this one), which queues no mail,
    // so the server's own mail worker has nothing to write: only the notification can tell it.
    let db = first.db.clone();
    let title = "Ændret og meldt";
    app::services::transaction::write(&db, |txn| {
        let slug = slug.clone();
        async move {
            let mut c = course::Entity::find()
                .filter(course::Column::Slug.eq(slug))
                .one(&txn)
                .await?
                .ok_or_else(|| sea_orm::DbErr::Custom("no course".into()))?
                .into_active_model();
            c.title = Set(title.into());
            c.update(&txn).await?;
            Ok::<_, sea_orm::DbErr>(())
        }
    })
    .await
    .expect("retitle through the write helper");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (_, _, now) = fetch(&client, &page, None).await;
        if now.contains(title) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the other instance still shows the page from before the change"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, log) = tokio::task::spawn_blocking(move || terminate(child))
        .await
        .expect("join");
    assert!(status.success(), "{log}");
    first.stop().await;
}
