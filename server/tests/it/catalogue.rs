//! The public catalogue over HTTP, against SQLite and PostgreSQL: pages, filters, 404s, the
//! language switch, health check, and bad input.

use crate::common::header;
use entity::{course, run, school, session};
use sea_orm::{EntityTrait, PaginatorTrait};

/// Count of `needle` in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

both_backends!(health_check_reports_database, |app| {
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#""database":"ok""#), "{body}");
});

both_backends!(front_page_lists_upcoming_runs_in_danish, |app| {
    let (status, body) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="da""#), "html lang");
    assert!(body.contains("Find et kursus"));
    for title in [
        "Recovery og håb",
        "Søvn og hvile",
        "Recovery-café",
        "Madlavning på et budget",
    ] {
        assert!(body.contains(title), "missing {title}");
    }
    assert!(
        body.contains("Venteliste"),
        "a full run shows its waiting list"
    );
    assert!(body.contains("Drop-in – ingen tilmelding"));
    assert!(body.contains("ledige pladser"));
    // 20 upcoming demo runs and the class under way; past runs are not listed.
    assert!(body.contains("21 hold fundet"), "count heading");
    assert_eq!(count(&body, "class=\"run-card\""), 21);
});

both_backends!(filters_narrow_the_list, |app| {
    let (_, viborg) = app.get("/?skole=viborg").await;
    assert!(viborg.contains("Recovery-café"));
    assert!(
        !viborg.contains("Madlavning på et budget"),
        "a Randers course"
    );

    let (_, drop_in) = app.get("/?format=drop-in").await;
    assert!(drop_in.contains("1 hold fundet"), "only the café");
    assert!(drop_in.contains("Recovery-café"));

    let (_, online) = app.get("/?sted=online").await;
    assert!(online.contains("1 hold fundet"));
    assert!(online.contains("Stress og balance i hverdagen"));

    let (_, search) = app.get("/?q=BUDGET").await;
    assert!(search.contains("1 hold fundet"));
    assert!(search.contains("Madlavning på et budget"));

    // Netværk og ensomhed has one run, and it is full: "ledige pladser" hides it.
    let (_, all) = app.get("/").await;
    assert!(all.contains("Netværk og ensomhed"));
    let (_, free) = app.get("/?ledige=ja").await;
    assert!(!free.contains("Netværk og ensomhed"));
    assert!(free.contains("Recovery-café"), "drop-in always has room");

    let (_, relatives) = app.get("/?for=paarorende").await;
    assert!(
        relatives.contains("2 hold fundet"),
        "two runs of At være pårørende"
    );

    let (_, theme) = app.get("/?tema=soevn").await;
    assert!(theme.contains("Søvn og hvile"));
    assert!(!theme.contains("Madlavning"));

    // The form remembers the filter.
    assert!(
        viborg.contains(r#"<option value="viborg" selected"#),
        "selected school"
    );
    let (_, evening) = app.get("/?tid=aften&dag=tir").await;
    assert!(
        evening.contains(r#"id="f-tid-aften" type="checkbox" name="tid" value="aften" checked"#)
    );
});

both_backends!(nonsense_filters_are_ignored, |app| {
    let (_, all) = app.get("/").await;
    let (status, body) = app
        .get("/?skole=%3Cscript%3E&format=rumraket&maaned=2027-13&fra=igaar&dag=blursday&tid=midnat&ledige=kanske&ukendt=1")
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("21 hold fundet"), "nothing was filtered");
    assert_eq!(
        count(&all, "class=\"run-card\""),
        count(&body, "class=\"run-card\"")
    );
    // The nonsense is not echoed as markup: no script more than the page's own.
    assert_eq!(count(&all, "<script"), count(&body, "<script"));
});

both_backends!(very_long_query_is_rejected_cleanly, |app| {
    let long = "x".repeat(5000);
    let (status, body) = app.get(&format!("/?q={long}")).await;
    assert_eq!(status, 414);
    assert!(body.contains("Adressen er for lang"));
    assert!(body.contains(r#"lang="da""#));
});

both_backends!(course_page_shows_team_runs_and_place, |app| {
    let (status, body) = app.get("/kurser/recovery-og-haab").await;
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Recovery og håb</h1>"));
    assert!(body.contains("Hvad kan du forvente?"));
    assert!(body.contains("Udviklet og undervist af"));
    assert!(body.contains("Lone Bech") && body.contains("Peer-underviser"));
    assert!(body.contains("Anders Nørgaard") && body.contains("Fagprofessionel underviser"));
    assert!(body.contains("Trinfri adgang"));
    assert!(body.contains("Venteliste"), "the Randers run is full");
    assert!(body.contains("ledige pladser"), "the Aarhus run has seats");
    assert_eq!(
        count(&body, "class=\"run-details\""),
        3,
        "two upcoming runs and the one under way; the past one is hidden"
    );
    assert!(body.contains("<title>Recovery og håb – Skolebænk</title>"));

    let (_, kitchen) = app.get("/kurser/madlavning-paa-et-budget").await;
    assert!(kitchen.contains("Ikke trinfri adgang"));
    assert!(kitchen.contains("Trappe med 14 trin"));

    let (_, writing) = app.get("/kurser/skrivevaerksted").await;
    assert!(
        writing.contains("<del>"),
        "a cancelled session is struck through"
    );
    assert!(
        writing.contains("6 undervisningsgange"),
        "seven planned, one cancelled"
    );
});

both_backends!(unknown_addresses_get_the_helpful_404, |app| {
    for path in [
        "/kurser/findes-ikke",
        "/skoler/atlantis",
        "/noget/helt/andet",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("Siden findes ikke"), "{path}");
        assert!(body.contains(r#"href="/""#), "{path} links home");
    }
});

both_backends!(school_pages, |app| {
    let (status, body) = app.get("/skoler/randers").await;
    assert_eq!(status, 200);
    assert!(body.contains("Recovery-skolen Randers"));
    assert!(body.contains("Vestergade 20"));
    assert!(body.contains("Kulturhusets køkken"));
    assert!(body.contains("Madlavning på et budget"));
    assert!(!body.contains("Recovery-café"), "a Viborg course");

    let (status, list) = app.get("/skoler").await;
    assert_eq!(status, 200);
    for name in [
        "Recovery-skolen Randers",
        "Recovery-skolen Aarhus",
        "Recovery-skolen Viborg",
    ] {
        assert!(list.contains(name));
    }
});

both_backends!(footer_pages_exist, |app| {
    for (path, heading) in [
        ("/privatliv", "Privatlivspolitik"),
        ("/tilgaengelighed", "Tilgængelighedserklæring"),
        ("/kontakt", "Kontakt"),
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(&format!("<h1>{heading}</h1>")), "{path}");
    }
    let (_, home) = app.get("/").await;
    for link in ["/privatliv", "/tilgaengelighed", "/kontakt"] {
        assert!(
            home.contains(&format!(r#"href="{link}""#)),
            "footer links {link}"
        );
    }
});

both_backends!(language_switch_sets_cookie_and_returns, |app| {
    let response = app
        .client
        .post(format!("{}/sprog", app.base))
        .form(&[("sprog", "en"), ("tilbage", "/kurser/soevn-og-hvile?x=1")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/kurser/soevn-og-hvile?x=1")
    );
    let cookie = header(&response, "set-cookie");
    assert!(cookie.starts_with("sprog=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"));

    let (_, english) = app.get_with_cookie("/", Some("sprog=en")).await;
    assert!(english.contains(r#"<html lang="en""#));
    assert!(english.contains("Find a course"));
    assert!(english.contains("Waiting list"));
    assert!(english.contains(">Dansk<"), "offers the way back");

    // An outside address is never followed.
    let response = app
        .client
        .post(format!("{}/sprog", app.base))
        .form(&[("sprog", "da"), ("tilbage", "https://evil.example/")])
        .send()
        .await
        .expect("post");
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/")
    );

    // Changing language over GET is not possible.
    let (status, _) = app.get("/sprog?sprog=en").await;
    assert_ne!(status, 303);
});

both_backends!(demo_data_is_never_loaded_twice, |app| {
    let before = course::Entity::find().count(&app.db).await.expect("count");
    assert!(before >= 15);
    let loaded = server::demo::seed_if_empty(&app.db, server::demo::today_in_copenhagen())
        .await
        .expect("seed call");
    assert!(!loaded, "the database has data");
    assert_eq!(
        course::Entity::find().count(&app.db).await.expect("count"),
        before
    );
    assert_eq!(
        school::Entity::find().count(&app.db).await.expect("count"),
        3
    );
    // Migrations are idempotent on an up-to-date database.
    server::db::connect_and_migrate(&app.database_url, 1)
        .await
        .expect("migrate again");
    assert!(run::Entity::find().count(&app.db).await.expect("count") > 15);
    assert!(session::Entity::find().count(&app.db).await.expect("count") > 40);
});

both_backends!(server_function_answers_json, |app| {
    let response = app
        .client
        .post(format!("{}/api/catalogue_runs", app.base))
        .header("content-type", "application/json")
        .body(r#"{"filter":{"q":null,"school":"aarhus","theme":null,"format":null,"audience":null,"month":null,"from":null,"to":null,"weekdays":[],"times":[],"mode":null,"free_seats":false}}"#)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Søvn og hvile"));
    assert!(!body.contains("Recovery-café"));
});
