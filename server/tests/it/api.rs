//! The public API, `/api/v1`, against a real app on SQLite and PostgreSQL: every answer is
//! checked against the OpenAPI document the app generates; keys are refused when missing,
//! wrong, revoked, expired, read-only for a write, or of another school; sign-up keeps the web
//! form's rules, limits and retry safety; the calendar feed and the API agree.

use crate::common;
use crate::common::Found;
use crate::common::header;

use crate::common::contract::{check, document, get_checked};
use crate::common::staff::{COORDINATOR, TEACHER, school_id, sign_in};
use crate::common::{Backend, RunSpec, TestApp, make_run};
use app::services::api_keys::{self, Scope};
use chrono::{Duration, Utc};
use entity::{BookingStatus, booking};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// POSTs JSON to the API's sign-up; returns status, headers and body, checked against the
/// document.
async fn sign_up(
    app: &TestApp,
    doc: &Value,
    run_id: i32,
    body: &Value,
    key: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = app
        .client
        .post(format!("{}/api/v1/runs/{run_id}/bookings", app.base))
        .json(body);
    if let Some(k) = key {
        request = request.header("idempotency-key", k);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = response.text().await.expect("body");
    check(
        doc,
        "POST",
        "/api/v1/runs/{id}/bookings",
        status,
        &ct,
        &text,
    );
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn person(name: &str, email: &str) -> Value {
    json!({ "name": name, "email": email, "consent": true })
}

async fn bookings_on(app: &TestApp, run_id: i32) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::RunId.eq(run_id))
        .rows(&app.db)
        .await
}

/// The booking an address has on a run: the API's answer does not say (it is the same for a
/// new and a known address).
async fn booking_of(app: &TestApp, run_id: i32, email: &str) -> booking::Model {
    bookings_on(app, run_id)
        .await
        .into_iter()
        .find(|b| b.email == email)
        .unwrap_or_else(|| panic!("a booking for {email}"))
}

both_backends!(catalogue_answers_keep_the_contract, |app| {
    let doc = document(app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"].as_object().is_some_and(|p| p.len() >= 12));

    let (status, schools) = get_checked(app, &doc, "/api/v1/schools", "/api/v1/schools", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(schools["total"], 3);
    assert_eq!(
        schools["items"][0]["colour"].as_str().map(str::len),
        Some(7)
    );
    get_checked(
        app,
        &doc,
        "/api/v1/schools/randers",
        "/api/v1/schools/{slug}",
        &[],
    )
    .await;
    let (status, missing) = get_checked(
        app,
        &doc,
        "/api/v1/schools/ingen",
        "/api/v1/schools/{slug}",
        &[],
    )
    .await;
    assert_eq!((status, missing["code"].as_str()), (404, Some("not_found")));
    assert!(missing["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(missing["title_en"].as_str().is_some_and(|t| !t.is_empty()));

    let (_, places) = get_checked(
        app,
        &doc,
        "/api/v1/locations?school=randers",
        "/api/v1/locations",
        &[],
    )
    .await;
    assert!(
        places["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty() && i.iter().all(|p| p["school"] == "randers"))
    );
    get_checked(app, &doc, "/api/v1/themes", "/api/v1/themes", &[]).await;

    // The same runs as the catalogue page, in pages.
    let listed = app::services::catalogue::matching_runs(&app.db, &Default::default(), Utc::now())
        .await
        .expect("catalogue");
    let (_, runs) = get_checked(app, &doc, "/api/v1/runs?per_page=100", "/api/v1/runs", &[]).await;
    assert_eq!(runs["total"].as_u64(), Some(listed.len() as u64));
    let ids: Vec<i64> = runs["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(
        ids,
        listed.iter().map(|r| i64::from(r.id)).collect::<Vec<_>>()
    );
    let (_, page2) = get_checked(
        app,
        &doc,
        "/api/v1/runs?per_page=5&page=2",
        "/api/v1/runs",
        &[],
    )
    .await;
    assert_eq!(page2["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(page2["items"][0]["id"].as_i64(), ids.get(5).copied());
    assert_eq!(
        page2["total_pages"].as_u64(),
        Some((listed.len() as u64).div_ceil(5))
    );
    let (_, randers) = get_checked(
        app,
        &doc,
        "/api/v1/runs?school=randers&format=kursus",
        "/api/v1/runs",
        &[],
    )
    .await;
    assert!(randers["items"].as_array().is_some_and(|i| {
        !i.is_empty()
            && i.iter()
                .all(|r| r["school"] == "randers" && r["format"] == "kursus")
    }));
    let first = ids[0];
    let (status, one) = get_checked(
        app,
        &doc,
        &format!("/api/v1/runs/{first}"),
        "/api/v1/runs/{id}",
        &[],
    )
    .await;
    assert_eq!(status, 200);
    let starts = one["sessions"][0]["starts_at"].as_str().expect("a time");
    assert!(
        starts.ends_with("+01:00") || starts.ends_with("+02:00"),
        "{starts}"
    );
    get_checked(app, &doc, "/api/v1/runs/999999", "/api/v1/runs/{id}", &[]).await;
    get_checked(app, &doc, "/api/v1/runs/abc", "/api/v1/runs/{id}", &[]).await;
    let (_, courses) = get_checked(app, &doc, "/api/v1/courses", "/api/v1/courses", &[]).await;
    let slug = courses["items"][0]["slug"]
        .as_str()
        .expect("a course")
        .to_string();
    get_checked(
        app,
        &doc,
        &format!("/api/v1/courses/{slug}"),
        "/api/v1/courses/{slug}",
        &[],
    )
    .await;

    // Parameters the API does not understand are named in a 400.
    for bad in [
        "format=nope",
        "per_page=0",
        "per_page=101",
        "page=x",
        "from=2026-13-01",
        "free_seats=maybe",
        "mode=car",
        "school=Ikke%20en%20slug",
    ] {
        let (status, p) = get_checked(
            app,
            &doc,
            &format!("/api/v1/runs?{bad}"),
            "/api/v1/runs",
            &[],
        )
        .await;
        assert_eq!(
            (status, p["code"].as_str()),
            (400, Some("bad_parameter")),
            "{bad}"
        );
        let name = bad.split('=').next().unwrap_or_default();
        assert!(
            p["detail"].as_str().is_some_and(|d| d.contains(name)),
            "{bad}: {p}"
        );
    }

    // Cacheable, with an ETag that answers 304.
    let response = app
        .client
        .get(format!("{}/api/v1/runs", app.base))
        .send()
        .await
        .expect("get");
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_string();
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let again = app
        .client
        .get(format!("{}/api/v1/runs", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.text().await.expect("body"), "");

    // Unknown addresses under the API answer with a problem, not a page.
    let response = app
        .client
        .get(format!("{}/api/v1/nothing", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
});

both_backends!(the_api_page_describes_every_operation_in_danish, |app| {
    let doc = document(app).await;
    let (status, page) = app.get("/api").await;
    assert_eq!(status, 200);
    let operations: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|p| p.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(page.matches("class=\"api-op\"").count(), operations);
    assert!(
        !page.contains("apidoc."),
        "a text is missing from the translations"
    );
    assert!(page.contains("Tilmelder en person til et hold"));
    assert!(page.contains("id=\"fejl-rate_limited\""));
});

both_backends!(keys_guard_a_schools_data, |app| {
    let doc = document(app).await;
    let now = Utc::now();
    let randers = school_id(app, "randers").await;
    let aarhus = school_id(app, "aarhus").await;
    let (_, read) = api_keys::create(&app.db, randers, "Datavarehus", Scope::Read, None, 1, now)
        .await
        .expect("key");
    let (_, write) = api_keys::create(&app.db, randers, "Tjek-ind", Scope::Write, None, 1, now)
        .await
        .expect("key");
    let (_, other) = api_keys::create(&app.db, aarhus, "Aarhus", Scope::Write, None, 1, now)
        .await
        .expect("key");
    let (revoked_model, revoked) =
        api_keys::create(&app.db, randers, "Gammel", Scope::Write, None, 1, now)
            .await
            .expect("key");
    api_keys::revoke(&app.db, randers, revoked_model.id, now)
        .await
        .expect("revoke");
    let (_, expired) = api_keys::create(
        &app.db,
        randers,
        "Udløbet",
        Scope::Write,
        Some(Duration::seconds(-1)),
        1,
        now,
    )
    .await
    .expect("key");

    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 5,
            ..RunSpec::default()
        },
    )
    .await;
    // The first demo course is Randers'.
    app.sign_up(t.id, "Aase", "aase@example.org").await;
    app.sign_up(t.id, "Bent", "bent@example.org").await;
    // The session has begun, so attendance can be taken.
    common::staff::held(app, t.id, Utc::now() - Duration::minutes(10)).await;
    let roster = format!("/api/v1/schools/randers/runs/{}/roster", t.id);
    let template = "/api/v1/schools/{slug}/runs/{id}/roster";
    let bearer = |k: &str| format!("Bearer {k}");

    let (status, p) = get_checked(app, &doc, &roster, template, &[]).await;
    assert_eq!((status, p["code"].as_str()), (401, Some("unauthorized")));
    let wrong = format!("{}x", &read[..read.len() - 1]);
    for (key, what) in [
        (wrong.as_str(), "wrong"),
        (revoked.as_str(), "revoked"),
        (expired.as_str(), "expired"),
        ("sbk_", "empty"),
    ] {
        let (status, _) = get_checked(
            app,
            &doc,
            &roster,
            template,
            &[("authorization", &bearer(key))],
        )
        .await;
        assert_eq!(status, 401, "{what} key");
    }
    let (status, p) = get_checked(
        app,
        &doc,
        &roster,
        template,
        &[("authorization", &bearer(&other))],
    )
    .await;
    assert_eq!((status, p["code"].as_str()), (403, Some("wrong_school")));
    let (status, list) = get_checked(
        app,
        &doc,
        &roster,
        template,
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["Aase", "Bent"]);
    // Another school's run through this school's address does not exist.
    let aarhus_run = entity::run::Entity::find()
        .filter(entity::run::Column::SchoolId.eq(aarhus))
        .one(&app.db)
        .await
        .expect("q")
        .expect("an Aarhus run");
    let (status, _) = get_checked(
        app,
        &doc,
        &format!("/api/v1/schools/randers/runs/{}/roster", aarhus_run.id),
        template,
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get_checked(
        app,
        &doc,
        &format!("/api/v1/schools/aarhus/runs/{}/roster", aarhus_run.id),
        template,
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 403);

    // Recording attendance needs a write key; a bad mark stores nothing.
    let ids: Vec<i32> = bookings_on(app, t.id).await.iter().map(|b| b.id).collect();
    let marks_url = format!(
        "{}/api/v1/schools/randers/sessions/{}/attendance",
        app.base, t.sessions[0]
    );
    let put = |key: String, body: Value| {
        let url = marks_url.clone();
        let client = app.client.clone();
        async move {
            let r = client
                .put(url)
                .header("authorization", format!("Bearer {key}"))
                .json(&body)
                .send()
                .await
                .expect("put");
            let status = r.status().as_u16();
            let ct = header(&r, "content-type");
            let text = r.text().await.expect("body");
            (status, ct, text)
        }
    };
    let marks = json!({ "marks": [{ "booking_id": ids[0], "status": "present" }, { "booking_id": ids[1], "status": "late" }] });
    let (status, ct, text) = put(read.clone(), marks.clone()).await;
    check(
        &doc,
        "PUT",
        "/api/v1/schools/{slug}/sessions/{id}/attendance",
        status,
        &ct,
        &text,
    );
    assert_eq!(status, 403);
    assert!(text.contains("read_only_key"));
    let bad = json!({ "marks": [{ "booking_id": ids[0], "status": "present" }, { "booking_id": ids[1], "status": "sick" }] });
    let (status, ct, text) = put(write.clone(), bad).await;
    check(
        &doc,
        "PUT",
        "/api/v1/schools/{slug}/sessions/{id}/attendance",
        status,
        &ct,
        &text,
    );
    assert_eq!(status, 422);
    assert_eq!(
        entity::attendance::Entity::find()
            .filter(entity::attendance::Column::SessionId.eq(t.sessions[0]))
            .counted(&app.db)
            .await,
        0
    );
    let (status, ct, text) = put(write.clone(), marks).await;
    check(
        &doc,
        "PUT",
        "/api/v1/schools/{slug}/sessions/{id}/attendance",
        status,
        &ct,
        &text,
    );
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"added\":2"), "{text}");
    let (_, att) = get_checked(
        app,
        &doc,
        &format!("/api/v1/schools/randers/runs/{}/attendance", t.id),
        "/api/v1/schools/{slug}/runs/{id}/attendance",
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(
        att["sessions"][0]["marks"].as_array().map(Vec::len),
        Some(2)
    );

    // The bookings export and the figures, with small groups hidden.
    let (status, export) = get_checked(
        app,
        &doc,
        "/api/v1/schools/randers/bookings?per_page=100",
        "/api/v1/schools/{slug}/bookings",
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        export["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|b| b["email"] == "aase@example.org")
    );
    let (status, report) = get_checked(
        app,
        &doc,
        "/api/v1/schools/randers/report",
        "/api/v1/schools/{slug}/report",
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 200);
    let mine = report["by_run"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|r| r["run_id"].as_i64() == Some(i64::from(t.id)))
        .expect("the new run is counted");
    assert_eq!(
        mine["seats"]["suppressed"], true,
        "2 seats is a small group"
    );
    assert_eq!(mine["seats"]["value"], Value::Null);
    assert_eq!(mine["seats"]["text"], "< 5");
    let (status, _) = get_checked(
        app,
        &doc,
        "/api/v1/schools/randers/report?from=2026-02-01&to=2026-01-01",
        "/api/v1/schools/{slug}/report",
        &[("authorization", &bearer(&read))],
    )
    .await;
    assert_eq!(status, 400);

    // The key's last use is kept.
    let used = entity::api_key::Entity::find()
        .filter(entity::api_key::Column::KeyHash.eq(app::services::tokens::hash(&read)))
        .one(&app.db)
        .await
        .expect("q")
        .expect("key");
    assert!(used.last_used_at.is_some());
});

both_backends!(a_koordinator_makes_sees_once_and_revokes_a_key, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    let randers = school_id(app, "randers").await.to_string();
    let made = app
        .post_form(
            "/api/integrationer_ny_noegle",
            &[
                ("school", &randers),
                ("name", "Kommunens datavarehus"),
                ("scope", "read"),
                ("valid", "90"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, 302);
    assert!(
        made.location
            .starts_with("/personale/integrationer?ny=noegle"),
        "{}",
        made.location
    );
    let key = made
        .cookie("sb_ny_noegle")
        .expect("the key travels once in a short-lived cookie");
    assert!(key.starts_with("sbk_"));
    let stored = entity::api_key::Entity::find().rows(&app.db).await;
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].key_hash, key, "only a hash is stored");
    assert!(
        stored[0]
            .expires_at
            .is_some_and(|at| at > Utc::now() + Duration::days(89))
    );

    let with_flash = format!("{cookie}; sb_ny_noegle={key}");
    let (status, page) = app
        .get_with_cookie("/personale/integrationer", Some(&with_flash))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&key), "shown on the page after creating it");
    let (_, later) = app
        .get_with_cookie("/personale/integrationer", Some(&cookie))
        .await;
    assert!(!later.contains(&key), "never shown again");
    assert!(later.contains("Kommunens datavarehus") && later.contains(&key[..12]));
    assert!(
        !later.contains("staff.keys.") && !later.contains("staff.embed."),
        "every text is translated"
    );

    let roster = "/api/v1/schools/randers/bookings";
    let status = app
        .client
        .get(format!("{}{roster}", app.base))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .expect("get")
        .status();
    assert_eq!(status.as_u16(), 200);
    let revoked = app
        .post_form(
            "/api/integrationer_tilbagekald",
            &[("school", &randers), ("key", &stored[0].id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(revoked.status, 302);
    let status = app
        .client
        .get(format!("{}{roster}", app.base))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .expect("get")
        .status();
    assert_eq!(status.as_u16(), 401, "a revoked key stops working at once");
    let logged = entity::audit_log::Entity::find().rows(&app.db).await;
    assert!(
        logged.iter().any(|e| e.action == "api_key.created")
            && logged.iter().any(|e| e.action == "api_key.revoked")
    );

    // Bad input keeps what is stored and says why.
    let nameless = app
        .post_form(
            "/api/integrationer_ny_noegle",
            &[("school", &randers), ("name", " "), ("scope", "read")],
            Some(&cookie),
        )
        .await;
    assert!(nameless.location.contains("fejl=navn"));
    assert_eq!(entity::api_key::Entity::find().counted(&app.db).await, 1);

    // A teacher is not a koordinator; another school's koordinator cannot touch Randers.
    let teacher = sign_in(app, TEACHER).await;
    let (status, _) = app
        .get_with_cookie("/personale/integrationer", Some(&teacher))
        .await;
    assert_eq!(status, 403);
    let aarhus = school_id(app, "aarhus").await.to_string();
    let refused = app
        .post_form(
            "/api/integrationer_ny_noegle",
            &[("school", &aarhus), ("name", "x"), ("scope", "write")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, 403);
});

both_backends!(signing_up_through_the_api_keeps_the_forms_rules, |app| {
    let doc = document(app).await;
    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 2,
            ..RunSpec::default()
        },
    )
    .await;

    let (status, headers, first) = sign_up(
        app,
        &doc,
        t.id,
        &person("Mette", "mette@example.org"),
        Some("k-1"),
    )
    .await;
    assert_eq!((status, first["status"].as_str()), (202, Some("received")));
    assert_eq!(
        booking_of(app, t.id, "mette@example.org").await.status,
        BookingStatus::Confirmed
    );
    assert!(headers.get("idempotent-replayed").is_none());
    // A retry with the same key gets the same answer, and no second booking.
    let (status, headers, again) = sign_up(
        app,
        &doc,
        t.id,
        &person("Mette", "mette@example.org"),
        Some("k-1"),
    )
    .await;
    assert_eq!((status, &again), (202, &first));
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(bookings_on(app, t.id).await.len(), 1);
    // The same key for another sign-up is refused; the same person with a new key is told.
    let (status, _, p) = sign_up(
        app,
        &doc,
        t.id,
        &person("Jonas", "jonas@example.org"),
        Some("k-1"),
    )
    .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("idempotency_key_reused"))
    );
    let (status, _, p) = sign_up(
        app,
        &doc,
        t.id,
        &person("Mette", "METTE@example.org"),
        Some("k-2"),
    )
    .await;
    // The same answer as for a new address: it must not tell who is signed up.
    assert_eq!((status, &p), (202, &first));
    assert_eq!(bookings_on(app, t.id).await.len(), 1);
    // She gets the same confirmation e-mail as from the form.
    let queued = entity::outbox_message::Entity::find()
        .filter(entity::outbox_message::Column::Recipient.eq("mette@example.org"))
        .rows(&app.db)
        .await;
    assert!(queued.iter().any(|m| m.kind == "booking_confirmed"));
    assert_eq!(bookings_on(app, t.id).await[0].source, "api");

    // The form's own messages, in both languages, per field.
    let (status, _, p) = sign_up(
        app,
        &doc,
        t.id,
        &json!({ "name": "Ib", "email": "ikke-en-adresse", "consent": false }),
        None,
    )
    .await;
    assert_eq!((status, p["code"].as_str()), (422, Some("invalid_fields")));
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["email", "consent"]);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("e-mail"))
    );
    assert!(
        p["errors"][0]["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("e-mail"))
    );
    let (status, _, p) = sign_up(
        app,
        &doc,
        t.id,
        &json!({ "name": "Ib", "email": "ib@example.org", "consent": true, "cpr": "010101-1234" }),
        None,
    )
    .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (400, Some("bad_body")),
        "no fields beyond the form's"
    );
    let raw = app
        .client
        .post(format!("{}/api/v1/runs/{}/bookings", app.base, t.id))
        .header("content-type", "text/plain")
        .body("navn=Ib")
        .send()
        .await
        .expect("post");
    assert_eq!(raw.status().as_u16(), 415);

    // Seats, then the queue, then nothing on a run without a queue.
    let (_, _, second) =
        sign_up(app, &doc, t.id, &person("Jonas", "jonas@example.org"), None).await;
    assert_eq!(second, first);
    assert_eq!(
        booking_of(app, t.id, "jonas@example.org").await.status,
        BookingStatus::Confirmed
    );
    let (status, _, third) =
        sign_up(app, &doc, t.id, &person("Sofie", "sofie@example.org"), None).await;
    assert_eq!((status, &third), (202, &first));
    let sofie = booking_of(app, t.id, "sofie@example.org").await;
    assert_eq!(
        (sofie.status, sofie.queue_no),
        (BookingStatus::Waitlisted, Some(1))
    );
    let closed = make_run(
        &app.db,
        RunSpec {
            capacity: 1,
            waitlist: false,
            ..RunSpec::default()
        },
    )
    .await;
    sign_up(
        app,
        &doc,
        closed.id,
        &person("Anna", "anna@example.org"),
        None,
    )
    .await;
    let (status, _, p) = sign_up(
        app,
        &doc,
        closed.id,
        &person("Bo", "bo@example.org"),
        Some("bo-1"),
    )
    .await;
    assert_eq!((status, p["code"].as_str()), (409, Some("full")));
    assert!(
        p["detail"].as_str().is_some_and(|d| !d.is_empty())
            && p["detail_en"].as_str().is_some_and(|d| !d.is_empty())
    );
    let (status, headers, _) = sign_up(
        app,
        &doc,
        closed.id,
        &person("Bo", "bo@example.org"),
        Some("bo-1"),
    )
    .await;
    assert_eq!(
        (
            status,
            headers.get("idempotent-replayed").map(|v| v.as_bytes())
        ),
        (409, Some(&b"true"[..])),
        "a refusal is kept too"
    );
    let (status, _, _) = sign_up(app, &doc, 999_999, &person("Bo", "bo@example.org"), None).await;
    assert_eq!(status, 404);
});

/// The API's sign-up counts against the same per-address limit as the form.
async fn rate_limited(backend: Backend) {
    let app = common::spawn_app_configured(backend, true, |c| {
        c.rate_limits = app::services::rate_limit::Limits {
            signup_per_ip: 3,
            ..Default::default()
        };
    })
    .await;
    let doc = document(&app).await;
    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 20,
            ..RunSpec::default()
        },
    )
    .await;
    app.sign_up(t.id, "Web", "web@example.org").await;
    for i in 0..2 {
        let (status, _, _) = sign_up(
            &app,
            &doc,
            t.id,
            &person("Api", &format!("api{i}@example.org")),
            None,
        )
        .await;
        assert_eq!(status, 202);
    }
    let (status, headers, p) =
        sign_up(&app, &doc, t.id, &person("Api", "api9@example.org"), None).await;
    assert_eq!((status, p["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(headers["retry-after"], "3600");
    assert_eq!(bookings_on(&app, t.id).await.len(), 3);
    app.stop().await;
}

both_backends!(rate_limited);

/// 40 sign-ups through the API and 40 through the form, all at once, for 10 seats: exactly 10
/// seats go, everyone else queues in a single order, and nothing fails.
async fn mixed_rush(backend: Backend) {
    let app = common::spawn_app_configured(backend, true, |c| {
        c.rate_limits = app::services::rate_limit::Limits {
            signup_per_ip: 10_000,
            signup_per_email: 100,
            ..Default::default()
        };
        c.max_db_connections = 10;
    })
    .await;
    let t = make_run(
        &app.db,
        RunSpec {
            capacity: 10,
            ..RunSpec::default()
        },
    )
    .await;
    let api = (0..40).map(|i| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/runs/{}/bookings", app.base, t.id);
        tokio::spawn(async move {
            let r = client
                .post(url)
                .header("idempotency-key", format!("rush-{i}"))
                .json(&person("Api", &format!("api{i}@example.org")))
                .send()
                .await
                .expect("post");
            r.status().as_u16()
        })
    });
    let api: Vec<_> = api.collect();
    let web: Vec<_> = (0..40)
        .map(|i| {
            let base = app.base.clone();
            let client = app.client.clone();
            let run = t.id.to_string();
            tokio::spawn(async move {
                let r = client
                    .post(format!("{base}/api/tilmeld"))
                    .header("accept", "text/html")
                    .header("referer", format!("{base}/"))
                    .form(&[
                        ("run", run.as_str()),
                        ("name", "Web"),
                        ("email", &format!("web{i}@example.org")),
                        ("consent", "ja"),
                        ("key", &app::services::tokens::new_token()),
                    ])
                    .send()
                    .await
                    .expect("post");
                (r.status().as_u16(), common::location_of(&r))
            })
        })
        .collect();
    for h in api {
        assert_eq!(h.await.expect("task"), 202);
    }
    for h in web {
        let (status, location) = h.await.expect("task");
        assert_eq!(status, 302);
        assert!(location.ends_with("/tilmelding/modtaget"), "{location}");
    }
    let all = bookings_on(&app, t.id).await;
    assert_eq!(all.len(), 80);
    let confirmed = all
        .iter()
        .filter(|b| b.status == BookingStatus::Confirmed)
        .count();
    let mut queue: Vec<i32> = all
        .iter()
        .filter(|b| b.status == BookingStatus::Waitlisted)
        .filter_map(|b| b.queue_no)
        .collect();
    queue.sort_unstable();
    queue.dedup();
    assert_eq!(confirmed, 10, "never more seats than capacity");
    assert_eq!(queue.len(), 70, "one queue, no shared places");
    println!(
        "mixed rush {backend:?}: {confirmed} confirmed, {} waitlisted",
        queue.len()
    );
    app.stop().await;
}

both_backends!(mixed_rush);

both_backends!(the_calendar_feed_and_the_api_agree, |app| {
    let (_, feed) = app.get("/skoler/randers/kalender.ics").await;
    let cal = ical::IcalParser::new(std::io::BufReader::new(feed.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid");
    let value = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let now_local = app::rules::time::to_local(Utc::now())
        .format("%Y%m%dT%H%M%S")
        .to_string();
    // Upcoming, not cancelled: session id -> local start and end.
    let mut from_feed: Vec<(i64, String, String)> = cal
        .events
        .iter()
        .filter(|e| value(e, "STATUS") != "CANCELLED" && value(e, "DTEND") > now_local)
        .filter_map(|e| {
            let uid = value(e, "UID");
            let id = uid
                .strip_prefix("skole-session-")?
                .split('@')
                .next()?
                .parse()
                .ok()?;
            Some((id, value(e, "DTSTART"), value(e, "DTEND")))
        })
        .collect();
    let (_, body) = app.get("/api/v1/runs?school=randers&per_page=100").await;
    let runs: Value = serde_json::from_str(&body).expect("json");
    let local = |s: &Value| {
        chrono::DateTime::parse_from_rfc3339(s.as_str().expect("time"))
            .expect("rfc3339")
            .naive_local()
            .format("%Y%m%dT%H%M%S")
            .to_string()
    };
    let mut from_api: Vec<(i64, String, String)> = runs["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|r| r["sessions"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["cancelled"] == false)
        .map(|s| {
            (
                s["id"].as_i64().expect("id"),
                local(&s["starts_at"]),
                local(&s["ends_at"]),
            )
        })
        .filter(|(_, _, end)| *end > now_local)
        .collect();
    from_feed.sort();
    from_api.sort();
    assert!(!from_api.is_empty());
    assert_eq!(from_feed, from_api, "the same sessions at the same times");
});
