//! Schools and their places, kept in the workspace: administrators create and close schools,
//! a school's coordinators change its details and places; a renamed school's old links lead
//! on with 301; a closed school leaves the catalogue; a retired place is no longer offered,
//! a used one cannot be deleted; a run left without a sign-up window gets the school's; an
//! administrator appoints ledelse per school and cannot take away their own administrator role.

use super::*;
use entity::{location, run, school, session};

/// The form of a new school, with `name` and `slug`.
fn school_form(name: &str, slug: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.into()),
        ("slug", slug.into()),
        ("short_name", "RS Skive".into()),
        ("street", "Adelgade 1".into()),
        ("postal_code", "7800".into()),
        ("city", "Skive".into()),
        ("email", "skive@recoveryskole.example".into()),
        ("phone", "+45 96 00 00 00".into()),
        ("opening_hours", "Tirsdag og torsdag kl. 10–14".into()),
        ("intro", "Vi er en lille skole ved fjorden.".into()),
        ("colour", "#1b5e20".into()),
        ("reminder_lead_hours", "24".into()),
        ("default_seats", "10".into()),
        ("signup_opens_days", "30".into()),
        ("signup_closes_hours", "2".into()),
        ("retention_months", "4".into()),
    ]
}

async fn post(
    app: &TestApp,
    path: &str,
    fields: &[(&'static str, String)],
    cookie: &str,
) -> common::Posted {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &refs, Some(cookie)).await
}

/// The id in `/personale/skoler/<id>?…` (or `…/steder/<id>?…`).
fn last_id_in(location: &str) -> i32 {
    location
        .split('?')
        .next()
        .and_then(|path| path.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an id in {location:?}"))
}

/// A school's form as its page fills it in.
async fn form_of(app: &TestApp, id: i32) -> Vec<(&'static str, String)> {
    let s = school::Entity::find_by_id(id)
        .found(&app.db, "school")
        .await;
    let form = app::services::staff::schools::form_of(&s);
    let serde_json::Value::Object(fields) = serde_json::to_value(form).expect("json") else {
        panic!("an object");
    };
    fields
        .into_iter()
        .map(|(k, v)| {
            let key: &'static str = Box::leak(k.into_boxed_str());
            (key, v.as_str().unwrap_or_default().to_string())
        })
        .collect()
}

both_backends!(administrators_create_rename_and_close_schools, |app| {
    let admin = sign_in(app, ADMIN).await;
    let coordinator = sign_in(app, COORDINATOR).await;
    let teacher = sign_in(app, TEACHER).await;
    let randers = school_id(app, "randers").await;
    let aarhus = school_id(app, "aarhus").await;

    // Who reaches what.
    assert_eq!(
        get_page(app, "/personale/skoler", Some(&teacher)).await.0,
        403
    );
    assert_eq!(
        get_page(app, "/personale/skoler/ny", Some(&coordinator))
            .await
            .0,
        403
    );
    let (status, _, own) = get_page(app, "/personale/skoler", Some(&coordinator)).await;
    assert_eq!(status, 200);
    assert!(own.contains("Recovery-skolen Randers") && !own.contains("Recovery-skolen Aarhus"));
    assert!(own.contains(r#"href="/personale/skoler""#), "in the menu");
    let (status, _, page) = get_page(
        app,
        &format!("/personale/skoler/{randers}"),
        Some(&coordinator),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Steder") && !page.contains("Luk skolen"),
        "no closing for coordinators"
    );
    assert_eq!(
        get_page(
            app,
            &format!("/personale/skoler/{aarhus}"),
            Some(&coordinator)
        )
        .await
        .0,
        403
    );
    let mut other = school_form("Aarhus igen", "aarhus-igen");
    other.push(("id", aarhus.to_string()));
    assert_eq!(
        post(app, "/api/personale_skole_gem", &other, &coordinator)
            .await
            .status,
        403
    );
    assert_eq!(
        post(
            app,
            "/api/personale_skole_gem",
            &school_form("Ny", "ny-skole"),
            &coordinator
        )
        .await
        .status,
        403,
        "only administrators create schools"
    );
    let close =
        |id: i32, value: &'static str| vec![("id", id.to_string()), ("close", value.into())];
    assert_eq!(
        post(
            app,
            "/api/personale_skole_luk",
            &close(randers, "ja"),
            &coordinator
        )
        .await
        .status,
        403
    );

    // Refused in Danish, with what was typed kept.
    let mut bad = school_form("Recovery-skolen Skive", "");
    bad.retain(|(k, _)| *k != "postal_code" && *k != "email");
    bad.push(("postal_code", "78".into()));
    let refused = post(app, "/api/personale_skole_gem", &bad, &admin).await;
    assert_eq!(
        refused.location,
        "/personale/skoler/ny?fejl=postnummer.e-mail#fejl"
    );
    let kept = refused.cookies.join("; ");
    let (_, _, page) = get_page(
        app,
        "/personale/skoler/ny?fejl=postnummer.e-mail",
        Some(&format!("{admin}; {kept}")),
    )
    .await;
    assert!(page.contains("Skriv et postnummer med fire cifre."));
    assert!(page.contains("Skriv en e-mailadresse"));
    assert!(
        page.contains(r#"value="Tirsdag og torsdag kl. 10–14""#),
        "typed kept"
    );

    // Created: on the public list, with its own page, contact and retention period.
    let created = post(
        app,
        "/api/personale_skole_gem",
        &school_form("Recovery-skolen Skive", ""),
        &admin,
    )
    .await;
    let skive = last_id_in(&created.location);
    assert_eq!(
        created.location,
        format!("/personale/skoler/{skive}?gemt=1")
    );
    let s = school::Entity::find_by_id(skive)
        .found(&app.db, "skive")
        .await;
    assert_eq!(s.slug, "recovery-skolen-skive");
    assert_eq!(
        (s.short_name.as_str(), s.default_seats, s.retention_months),
        ("RS Skive", 10, 4)
    );
    assert_eq!(
        (s.signup_opens_days, s.signup_closes_hours),
        (Some(30), Some(2))
    );
    let (status, page) = app.get("/skoler/recovery-skolen-skive").await;
    assert_eq!(status, 200);
    assert!(page.contains("Vi er en lille skole ved fjorden.") && page.contains("Adelgade 1"));
    let (_, privacy) = app.get("/privatliv").await;
    assert!(privacy.contains("Recovery-skolen Skive"));

    // Renamed: old links (page, calendar, catalogue filter, API) lead on with 301.
    let mut renamed = school_form("Recovery-skolen Skive og Salling", "skive");
    renamed.push(("id", skive.to_string()));
    let saved = post(app, "/api/personale_skole_gem", &renamed, &admin).await;
    assert_eq!(saved.location, format!("/personale/skoler/{skive}?gemt=1"));
    for (old, new) in [
        ("/skoler/recovery-skolen-skive", "/skoler/skive"),
        (
            "/skoler/recovery-skolen-skive/kalender.ics",
            "/skoler/skive/kalender.ics",
        ),
        (
            "/?skole=recovery-skolen-skive&tema=soevn",
            "/?skole=skive&tema=soevn",
        ),
        (
            "/api/v1/schools/recovery-skolen-skive",
            "/api/v1/schools/skive",
        ),
        (
            "/indlejr/skoler/recovery-skolen-skive.js",
            "/indlejr/skoler/skive.js",
        ),
    ] {
        let response = app
            .client
            .get(format!("{}{old}", app.base))
            .send()
            .await
            .expect("get");
        assert_eq!(response.status().as_u16(), 301, "{old}");
        assert_eq!(common::header(&response, "location"), new, "{old}");
    }
    assert_eq!(app.get("/skoler/skive").await.0, 200);
    // Another school cannot take the old slug, or the current one.
    for taken in ["recovery-skolen-skive", "skive"] {
        let refused = post(
            app,
            "/api/personale_skole_gem",
            &school_form("Endnu en skole", taken),
            &admin,
        )
        .await;
        assert_eq!(
            refused.location, "/personale/skoler/ny?fejl=adresse-brugt#fejl",
            "{taken}"
        );
    }

    // Closing: refused while runs are coming, done when none are; the catalogue forgets it.
    let refused = post(
        app,
        "/api/personale_skole_luk",
        &close(randers, "ja"),
        &admin,
    )
    .await;
    assert_eq!(
        refused.location,
        format!("/personale/skoler/{randers}?fejl=kommende-hold#fejl")
    );
    assert!(
        !school::Entity::find_by_id(randers)
            .found(&app.db, "randers")
            .await
            .closed
    );
    let closed = post(app, "/api/personale_skole_luk", &close(skive, "ja"), &admin).await;
    assert_eq!(
        closed.location,
        format!("/personale/skoler/{skive}?lukket=1")
    );
    assert_eq!(app.get("/skoler/skive").await.0, 404);
    let (_, list) = app.get("/skoler").await;
    assert!(!list.contains("Skive"));
    let (_, front) = app.get("/").await;
    assert!(
        !front.contains(r#"value="skive""#),
        "not a choice in the filter"
    );
    let staff_list = get_page(app, "/personale/skoler", Some(&admin)).await.2;
    assert!(staff_list.contains("Skive og Salling") && staff_list.contains("Lukket"));
    let reopened = post(app, "/api/personale_skole_luk", &close(skive, ""), &admin).await;
    assert_eq!(
        reopened.location,
        format!("/personale/skoler/{skive}?aabnet=1")
    );
    assert_eq!(app.get("/skoler/skive").await.0, 200);

    // A coordinator changes their own school.
    let mut own = form_of(app, randers).await;
    own.retain(|(k, _)| *k != "opening_hours");
    own.push(("opening_hours", "Mandag–fredag kl. 9–15".into()));
    let saved = post(app, "/api/personale_skole_gem", &own, &coordinator).await;
    assert_eq!(
        saved.location,
        format!("/personale/skoler/{randers}?gemt=1")
    );
    let (_, page) = app.get("/skoler/randers").await;
    assert!(page.contains("Mandag–fredag kl. 9–15"));

    let logged: Vec<String> = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.starts_with("school."))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        logged,
        [
            "school.created",
            "school.renamed",
            "school.closed",
            "school.reopened",
            "school.changed"
        ],
        "every change is logged"
    );
});

/// The form of a new place at `school`.
fn place_form(school: i32, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("school", school.to_string()),
        ("name", name.into()),
        ("street", "Torvet 3".into()),
        ("postal_code", "8900".into()),
        ("city", "Randers C".into()),
        ("room", "Mødelokale 2".into()),
        (
            "map_url",
            "https://www.openstreetmap.org/#map=19/56.46/10.03".into(),
        ),
        ("directions", "Indgangen ved springvandet.".into()),
        ("step_free", "delvist".into()),
        ("access_note", "Elevator til 2. sal".into()),
        ("hearing_loop", "ja".into()),
        ("quiet_room", "ja".into()),
    ]
}

both_backends!(coordinators_keep_their_school_places, |app| {
    let coordinator = sign_in(app, COORDINATOR).await;
    let randers = school_id(app, "randers").await;
    let aarhus = school_id(app, "aarhus").await;

    // Not at another school.
    assert_eq!(
        post(
            app,
            "/api/personale_sted_gem",
            &place_form(aarhus, "Biblioteket"),
            &coordinator
        )
        .await
        .status,
        403
    );
    assert_eq!(
        get_page(
            app,
            &format!("/personale/skoler/{aarhus}/steder/ny"),
            Some(&coordinator)
        )
        .await
        .0,
        403
    );

    // Refused: no answer about steps.
    let mut bad = place_form(randers, "Biblioteket");
    bad.retain(|(k, _)| *k != "step_free");
    let refused = post(app, "/api/personale_sted_gem", &bad, &coordinator).await;
    assert_eq!(
        refused.location,
        format!("/personale/skoler/{randers}/steder/ny?fejl=trinfri#fejl")
    );

    // Created: the school's page shows the step-free facts and facilities.
    let created = post(
        app,
        "/api/personale_sted_gem",
        &place_form(randers, "Biblioteket"),
        &coordinator,
    )
    .await;
    let library = last_id_in(&created.location);
    assert_eq!(
        created.location,
        format!("/personale/skoler/{randers}/steder/{library}?gemt=1")
    );
    let (_, page) = app.get("/skoler/randers").await;
    for text in [
        "Biblioteket",
        "Delvist trinfri adgang. Elevator til 2. sal",
        "teleslynge og et stille rum",
        "Se stedet på et kort",
    ] {
        assert!(page.contains(text), "{text}");
    }

    // A run of Randers is planned there; the place is used by its sessions.
    let (course, _) = course_at(app, "randers").await;
    let run_id = create_run(app, &coordinator, course, randers, "12").await;
    let r = run::Entity::find_by_id(run_id).found(&app.db, "run").await;
    assert_eq!(r.capacity, Some(12));
    let id = library.to_string();
    let with_place = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", run_id.to_string().as_str()),
                ("capacity", "12"),
                ("location", id.as_str()),
                ("cancel_deadline_hours", "24"),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(
        with_place.location,
        format!("/personale/hold/{run_id}?gemt=1")
    );
    add_session(app, &coordinator, run_id, 20).await;
    let (_, _, page) = get_page(
        app,
        &format!("/personale/skoler/{randers}/steder/{library}"),
        Some(&coordinator),
    )
    .await;
    assert!(page.contains("Stedet bruges af 1 kommende undervisningsgange."));
    assert!(
        !page.contains("Slet stedet"),
        "a used place is not offered for deletion"
    );

    // A used place cannot be deleted; it can be retired, and then new runs cannot choose it.
    let refused = post(
        app,
        "/api/personale_sted_slet",
        &[("id", id.clone())],
        &coordinator,
    )
    .await;
    assert_eq!(
        refused.location,
        format!("/personale/skoler/{randers}/steder/{library}?fejl=i-brug#fejl")
    );
    let retired = post(
        app,
        "/api/personale_sted_pensioner",
        &[("id", id.clone()), ("retire", "ja".into())],
        &coordinator,
    )
    .await;
    assert_eq!(
        retired.location,
        format!("/personale/skoler/{randers}/steder/{library}?pensioneret=1")
    );
    let (_, _, editor) = get_page(
        app,
        &format!("/personale/hold/{run_id}"),
        Some(&coordinator),
    )
    .await;
    assert!(
        editor.contains("Biblioteket"),
        "the run keeps the place it has"
    );
    let other_run = create_run(app, &coordinator, course, randers, "12").await;
    let (_, _, editor) = get_page(
        app,
        &format!("/personale/hold/{other_run}"),
        Some(&coordinator),
    )
    .await;
    assert!(
        !editor.contains("Biblioteket"),
        "a retired place is not offered"
    );
    let refused = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", other_run.to_string().as_str()),
                ("capacity", "12"),
                ("location", id.as_str()),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(
        refused.location,
        format!("/personale/hold/{other_run}?fejl=sted#fejl")
    );
    // Nor a place of another school.
    let aarhus_place = location::Entity::find()
        .filter(location::Column::SchoolId.eq(aarhus))
        .found(&app.db, "a place in Aarhus")
        .await;
    let refused = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", other_run.to_string().as_str()),
                ("capacity", "12"),
                ("location", aarhus_place.id.to_string().as_str()),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(
        refused.location,
        format!("/personale/hold/{other_run}?fejl=sted#fejl")
    );
    let (_, page) = app.get("/skoler/randers").await;
    assert!(
        !page.contains("Elevator til 2. sal"),
        "gone from the school's list of places"
    );

    // A place never used is deleted.
    let online = vec![
        ("school", randers.to_string()),
        ("name", "Online via Zoom".into()),
        ("online", "ja".into()),
        ("platform", "Zoom".into()),
        ("street", "Skal ikke gemmes 1".into()),
    ];
    let created = post(app, "/api/personale_sted_gem", &online, &coordinator).await;
    let zoom = last_id_in(&created.location);
    let z = location::Entity::find_by_id(zoom)
        .found(&app.db, "online")
        .await;
    assert!(z.is_online && z.street.is_none());
    assert_eq!(z.platform.as_deref(), Some("Zoom"));
    let deleted = post(
        app,
        "/api/personale_sted_slet",
        &[("id", zoom.to_string())],
        &coordinator,
    )
    .await;
    assert_eq!(
        deleted.location,
        format!("/personale/skoler/{randers}?sted-slettet=1#steder")
    );
    assert!(
        location::Entity::find_by_id(zoom)
            .one(&app.db)
            .await
            .expect("read")
            .is_none()
    );
    let logged: Vec<String> = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.starts_with("place."))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        logged,
        [
            "place.created",
            "place.retired",
            "place.created",
            "place.deleted"
        ]
    );
});

both_backends!(a_run_without_its_own_window_gets_the_schools, |app| {
    let admin = sign_in(app, ADMIN).await;
    let randers = school_id(app, "randers").await;
    school::Entity::update_many()
        .col_expr(school::Column::SignupOpensDays, Expr::value(14))
        .col_expr(school::Column::SignupClosesHours, Expr::value(3))
        .col_expr(school::Column::DefaultSeats, Expr::value(9))
        .filter(school::Column::Id.eq(randers))
        .exec(&app.db)
        .await
        .expect("set the defaults");
    let (course, _) = course_at(app, "randers").await;
    let (_, _, page) = get_page(
        app,
        &format!("/personale/hold/ny?kursus={course}"),
        Some(&admin),
    )
    .await;
    assert!(
        page.contains(r#"inputmode="numeric" value="9""#),
        "a new run starts with the school's seats"
    );
    let (run_id, sessions) = published_run(app, &admin, "9").await;
    let first = session::Entity::find_by_id(sessions[0])
        .found(&app.db, "first")
        .await;
    let r = run::Entity::find_by_id(run_id).found(&app.db, "run").await;
    assert_eq!(
        r.signup_opens_at,
        Some(first.starts_at - Duration::days(14))
    );
    assert_eq!(
        r.signup_closes_at,
        Some(first.starts_at - Duration::hours(3))
    );
});

both_backends!(
    administrators_appoint_per_school_and_keep_themselves,
    |app| {
        use entity::{StaffRoleKind, staff_account, staff_role};
        let admin = sign_in(app, ADMIN).await;
        let aarhus = school_id(app, "aarhus").await;
        // Ledelse for one school, from the same staff page.
        let invited = post(
            app,
            "/api/personale_inviter",
            &[
                ("name", "Lis Ledelse".into()),
                ("email", "lis.ledelse@example.org".into()),
                ("school", aarhus.to_string()),
                ("role", "management".into()),
            ],
            &admin,
        )
        .await;
        assert_eq!(invited.location, "/personale/personale?inviteret=1");
        let lis = staff_account::Entity::find()
            .filter(staff_account::Column::Email.eq("lis.ledelse@example.org"))
            .found(&app.db, "lis")
            .await;
        let roles: Vec<(Option<i32>, StaffRoleKind)> = staff_role::Entity::find()
            .filter(staff_role::Column::AccountId.eq(lis.id))
            .rows(&app.db)
            .await
            .into_iter()
            .map(|r| (r.school_id, r.role))
            .collect();
        assert_eq!(roles, [(Some(aarhus), StaffRoleKind::Management)]);

        // The administrator cannot take away their own administrator role (so one always stays).
        let me = staff_account::Entity::find()
            .filter(staff_account::Column::Email.eq(ADMIN.0))
            .found(&app.db, "admin")
            .await;
        let own = staff_role::Entity::find()
            .filter(staff_role::Column::AccountId.eq(me.id))
            .filter(staff_role::Column::Role.eq(StaffRoleKind::Admin))
            .found(&app.db, "the admin role")
            .await;
        let refused = post(
            app,
            "/api/personale_fjern_rolle",
            &[("role_id", own.id.to_string())],
            &admin,
        )
        .await;
        assert_eq!(refused.location, "/personale/personale?fejl=selv");
        assert!(
            staff_role::Entity::find_by_id(own.id)
                .one(&app.db)
                .await
                .expect("read")
                .is_some(),
            "still an administrator"
        );
    }
);
