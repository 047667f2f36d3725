//! Courses are written, published and archived; pictures need alt text and a real image.

use super::*;

both_backends!(courses_are_written_published_and_archived, |app| {
    use entity::{CourseStatus, course, course_theme, theme};
    let cookie = sign_in(app, COORDINATOR).await;
    let randers = school_id(app, "randers").await.to_string();
    let themes: Vec<theme::Model> = theme::Entity::find().all(&app.db).await.expect("themes");
    let (t1, t2) = (
        format!("themes[t{}]", themes[0].id),
        format!("themes[t{}]", themes[1].id),
    );
    let courses_before = course::Entity::find().count(&app.db).await.expect("count");

    // Bad input is refused with a message and nothing is stored.
    for (school, title, format, code) in [
        (randers.as_str(), "  ", "kursus", "titel"),
        (randers.as_str(), "Søvn", "roman", "form"),
    ] {
        let all = [
            ("course", "0"),
            ("school", school),
            ("title", title),
            ("format", format),
            ("audience", "alle"),
            ("action", "gem"),
        ];
        let posted = app
            .post_form("/api/personale_kursus_gem", &all, Some(&cookie))
            .await;
        assert_eq!(
            posted.location,
            format!("/personale/kurser/ny?fejl={code}#fejl")
        );
    }
    // An administrator may create a course at any school, but only at one that exists.
    let admin = sign_in(app, ADMIN).await;
    let unknown = app
        .post_form(
            "/api/personale_kursus_gem",
            &[
                ("course", "0"),
                ("school", "99999"),
                ("title", "Søvn"),
                ("format", "kursus"),
                ("audience", "alle"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(unknown.location, "/personale/kurser/ny?fejl=skole#fejl");
    assert_eq!(
        course::Entity::find().count(&app.db).await.expect("count"),
        courses_before
    );

    // A new course is a draft, with the ticked themes and a slug from the title.
    let created = app
        .post_form(
            "/api/personale_kursus_gem",
            &[
                ("course", "0"),
                ("school", randers.as_str()),
                ("title", "Søvn & ro <b>i</b> hverdagen"),
                ("summary", ""),
                ("format", "workshop"),
                ("audience", "paarorende"),
                (t1.as_str(), "ja"),
                (t2.as_str(), "ja"),
                ("action", "gem"),
            ],
            Some(&cookie),
        )
        .await;
    let id = course_id_in(&created.location);
    assert_eq!(created.location, format!("/personale/kurser/{id}?gemt=1"));
    let c = course_by_id(app, id).await;
    assert_eq!(c.slug, "soevn-ro-b-i-b-hverdagen");
    assert_eq!(c.status, CourseStatus::Draft);
    assert_eq!(c.format, entity::CourseFormat::Workshop);
    assert_eq!(c.audience, entity::Audience::Relatives);
    let chosen = course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.eq(id))
        .counted(&app.db)
        .await;
    assert_eq!(chosen, 2);
    // The public does not see a draft; the editor's preview does, with markup kept as text.
    let (status, _, _) = get_page(app, &format!("/kurser/{}", c.slug), None).await;
    assert_eq!(status, 404);
    let (status, _, body) =
        get_page(app, &format!("/personale/kurser/{id}/vis"), Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Forhåndsvisning"), "{body}");
    assert!(body.contains("Søvn &amp; ro &lt;b&gt;i&lt;/b&gt; hverdagen"));

    // Publishing needs the texts; what was typed is saved anyway.
    let base = |summary: &'static str, action: &'static str| {
        let id = id.to_string();
        move || {
            vec![
                ("course".to_string(), id.clone()),
                ("school".to_string(), String::new()),
                ("title".to_string(), "Søvn og ro i hverdagen".to_string()),
                ("summary".to_string(), summary.to_string()),
                (
                    "description".to_string(),
                    "Vi taler om søvn, og om hvad der hjælper.".to_string(),
                ),
                (
                    "expectations".to_string(),
                    "Tre timer med to pauser. Du bestemmer selv, om du vil sige noget.".to_string(),
                ),
                ("format".to_string(), "workshop".to_string()),
                ("audience".to_string(), "alle".to_string()),
                ("action".to_string(), action.to_string()),
            ]
        }
    };
    let post = |fields: Vec<(String, String)>| {
        let cookie = cookie.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post_form("/api/personale_kursus_gem", &refs, Some(&cookie))
                .await
                .location
        }
    };
    assert_eq!(
        post(base("", "offentliggoer")()).await,
        format!("/personale/kurser/{id}?gemt=1&fejl=mangler-tekst#fejl")
    );
    let c = course_by_id(app, id).await;
    assert_eq!(
        (c.status, c.title.as_str()),
        (CourseStatus::Draft, "Søvn og ro i hverdagen")
    );
    // Saving without ticks clears the themes.
    let chosen = course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.eq(id))
        .counted(&app.db)
        .await;
    assert_eq!(chosen, 0);
    // Co-produced from the start: not published until its developers include a peer and a
    // professional (or relative) teacher; what was typed is saved.
    let developer = |kind: entity::TeacherKind| async move {
        teacher::Entity::find()
            .filter(teacher::Column::Kind.eq(kind))
            .filter(teacher::Column::Name.ne("Lone Bech"))
            .found(&app.db, "teacher")
            .await
    };
    let add = |teacher_id: i32| {
        let cookie = cookie.clone();
        async move {
            app.post_form(
                "/api/personale_kursus_udvikler",
                &[
                    ("course_id", &id.to_string()),
                    ("teacher_id", &teacher_id.to_string()),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        post(base("Sov bedre.", "offentliggoer")()).await,
        format!("/personale/kurser/{id}?gemt=1&fejl=mangler-peer#fejl")
    );
    let (_, _, body) = get_page(
        app,
        &format!("/personale/kurser/{id}?gemt=1&fejl=mangler-peer"),
        Some(&cookie),
    )
    .await;
    assert!(body.contains("skal der være en peer-underviser"), "{body}");
    add(developer(entity::TeacherKind::Peer).await.id).await;
    assert_eq!(
        post(base("Sov bedre.", "offentliggoer")()).await,
        format!("/personale/kurser/{id}?gemt=1&fejl=mangler-fagperson#fejl")
    );
    assert_eq!(course_by_id(app, id).await.status, CourseStatus::Draft);
    add(developer(entity::TeacherKind::Professional).await.id).await;
    assert_eq!(
        post(base("Sov bedre.", "offentliggoer")()).await,
        format!("/personale/kurser/{id}?offentliggjort=1")
    );
    // While published, the last peer cannot be taken off.
    let peer = developer(entity::TeacherKind::Peer).await;
    let kept = app
        .post_form(
            "/api/personale_kursus_udvikler",
            &[
                ("course_id", &id.to_string()),
                ("teacher_id", &peer.id.to_string()),
                ("remove", "ja"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        kept.location,
        format!("/personale/kurser/{id}?fejl=behold-udviklere#fejl")
    );
    assert!(
        entity::course_teacher::Entity::find_by_id((id, peer.id))
            .one(&app.db)
            .await
            .expect("query")
            .is_some()
    );
    let (status, _, body) = get_page(app, &format!("/kurser/{}", c.slug), None).await;
    assert_eq!(status, 200);
    assert!(body.contains("Sov bedre."));
    // Archived, it leaves the catalogue.
    assert_eq!(
        post(base("Sov bedre.", "arkiver")()).await,
        format!("/personale/kurser/{id}?arkiveret=1")
    );
    assert_eq!(course_by_id(app, id).await.status, CourseStatus::Archived);
    let (status, _, _) = get_page(app, &format!("/kurser/{}", c.slug), None).await;
    assert_eq!(status, 404);

    // A course with classes still to come is not archived.
    let (busy, _) = course_at(app, "randers").await;
    let b = course_by_id(app, busy).await;
    let fields = [
        ("course", busy.to_string()),
        ("title", b.title.clone()),
        ("summary", b.summary.clone()),
        ("description", b.description.clone()),
        ("expectations", b.expectations.clone()),
        (
            "format",
            app::rules::vocabulary::Format::from(b.format)
                .slug()
                .to_string(),
        ),
        (
            "audience",
            app::rules::vocabulary::Audience::from(b.audience)
                .slug()
                .to_string(),
        ),
        ("action", "arkiver".to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app
        .post_form("/api/personale_kursus_gem", &refs, Some(&cookie))
        .await;
    assert_eq!(
        refused.location,
        format!("/personale/kurser/{busy}?gemt=1&fejl=kommende-hold#fejl")
    );
    assert_eq!(
        course_by_id(app, busy).await.status,
        CourseStatus::Published
    );

    // Developers: added once, shown on the course page, removed again (the course is archived
    // now, so the team rule does not hold it).
    let before = entity::course_teacher::Entity::find()
        .filter(entity::course_teacher::Column::CourseId.eq(id))
        .counted(&app.db)
        .await;
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
    for _ in 0..2 {
        let added = app
            .post_form(
                "/api/personale_kursus_udvikler",
                &[
                    ("course_id", &id.to_string()),
                    ("teacher_id", &lone.id.to_string()),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(added.location, format!("/personale/kurser/{id}#udviklere"));
    }
    let developers = entity::course_teacher::Entity::find()
        .filter(entity::course_teacher::Column::CourseId.eq(id))
        .counted(&app.db)
        .await;
    assert_eq!(developers, before + 1);
    let (_, _, body) = get_page(app, &format!("/personale/kurser/{id}/vis"), Some(&cookie)).await;
    assert!(body.contains("Lone Bech"));
    app.post_form(
        "/api/personale_kursus_udvikler",
        &[
            ("course_id", &id.to_string()),
            ("teacher_id", &lone.id.to_string()),
            ("remove", "ja"),
        ],
        Some(&cookie),
    )
    .await;
    let developers = entity::course_teacher::Entity::find()
        .filter(entity::course_teacher::Column::CourseId.eq(id))
        .counted(&app.db)
        .await;
    assert_eq!(developers, before);
});

both_backends!(pictures_need_alt_text_and_a_real_image, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    let (course, _) = course_at(app, "randers").await;
    let id = course.to_string();
    let course_fields = |alt: &'static str| {
        let id = id.clone();
        move || {
            vec![
                ("target", "kursus".to_string()),
                ("id", id.clone()),
                ("alt", alt.to_string()),
            ]
        }
    };
    let send = |fields: Vec<(&'static str, String)>,
                file: Option<(&'static str, Vec<u8>)>,
                who: Option<String>| async move {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        upload(app, who.as_deref(), &refs, file).await
    };
    let page = format!("/personale/kurser/{course}");

    // Refused: no alt text, not a picture (SVG can carry script), too large, no file.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let mut big = png_bytes();
    big.resize(app::services::images::MAX_BYTES + 1, 0);
    for (fields, file, code) in [
        (course_fields("")(), Some(("a.png", png_bytes())), "alt"),
        (
            course_fields("Et billede")(),
            Some(("a.svg", svg)),
            "billede-type",
        ),
        (
            course_fields("Et billede")(),
            Some(("a.png", big)),
            "billede-stor",
        ),
        (course_fields("Et billede")(), None, "billede-mangler"),
    ] {
        let (status, location) = send(fields, file, Some(cookie.clone())).await;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("{page}?fejl={code}#billede").as_str())
        );
    }
    assert_eq!(images(app).await, 0);
    assert_eq!(course_by_id(app, course).await.image_id, None);

    // Stored with its alt text but without where it was taken, served as what it is, and
    // shown on the public page.
    let alt = "To mennesker drikker kaffe ved et bord";
    let (status, location) = send(
        course_fields(alt)(),
        Some(("kaffe.png", png_with_location())),
        Some(cookie.clone()),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{page}?billede=gemt#billede").as_str())
    );
    let c = course_by_id(app, course).await;
    let image = c.image_id.expect("image");
    assert_eq!(c.image_alt, alt);
    let served = app
        .client
        .get(format!("{}/billeder/{image}", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    // Encoded again: a PNG of the same 16×9 pixels, without the place.
    let bytes = served.bytes().await.expect("bytes").to_vec();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR");
    assert_eq!(
        (&bytes[16..20], &bytes[20..24]),
        (&[0, 0, 0, 16][..], &[0, 0, 0, 9][..])
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("Vestergade"));
    let (_, _, body) = get_page(app, &format!("/kurser/{}", c.slug), None).await;
    assert!(
        body.contains(&format!("src=\"/billeder/{image}\"")),
        "{body}"
    );
    assert!(body.contains(&format!("alt=\"{alt}\"")));
    // A new picture replaces the old one; removing leaves none.
    send(
        course_fields(alt)(),
        Some(("kaffe.png", png_bytes())),
        Some(cookie.clone()),
    )
    .await;
    assert_eq!(images(app).await, 1);
    assert_ne!(course_by_id(app, course).await.image_id, Some(image));
    let (status, _, _) = get_page(app, &format!("/billeder/{image}"), None).await;
    assert_eq!(status, 404);
    let mut remove = course_fields("")();
    remove.push(("fjern", "ja".to_string()));
    let (_, location) = send(remove, None, Some(cookie.clone())).await;
    assert_eq!(location, format!("{page}?billede=fjernet#billede"));
    assert_eq!(images(app).await, 0);
    assert_eq!(course_by_id(app, course).await.image_id, None);

    // Who may: nobody signed out, not a foreign site, not management.
    let (status, location) = send(course_fields(alt)(), Some(("a.png", png_bytes())), None).await;
    assert_eq!((status, location.as_str()), (303, "/personale/log-ind"));
    let management = sign_in(app, MANAGEMENT).await;
    let (status, _) = send(
        course_fields(alt)(),
        Some(("a.png", png_bytes())),
        Some(management),
    )
    .await;
    assert_eq!(status, 403);
    let cross = app
        .client
        .post(format!("{}/personale/billede", app.base))
        .header("cookie", cookie.as_str())
        .header("sec-fetch-site", "cross-site")
        .multipart(
            reqwest::multipart::Form::new()
                .text("target", "kursus")
                .text("id", course.to_string())
                .text("alt", alt)
                .part(
                    "billede",
                    reqwest::multipart::Part::bytes(png_bytes()).file_name("a.png"),
                ),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(cross.status().as_u16(), 403);
    assert_eq!(images(app).await, 0);
});

both_backends!(hard_texts_are_saved_with_a_gentle_warning, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    let randers = school_id(app, "randers").await.to_string();
    let hard = "Undervisningsforløbet tilrettelægges i overensstemmelse med gældende \
                retningslinjer for recoveryorienteret rehabilitering.";
    let created = app
        .post_form(
            "/api/personale_kursus_gem",
            &[
                ("course", "0"),
                ("school", randers.as_str()),
                ("title", "Klar tale"),
                ("summary", "Du er velkommen. Kurset er gratis."),
                ("description", hard),
                ("format", "kursus"),
                ("audience", "alle"),
                ("action", "gem"),
            ],
            Some(&cookie),
        )
        .await;
    // Saved, never refused for being hard to read.
    let id = course_id_in(&created.location);
    assert_eq!(created.location, format!("/personale/kurser/{id}?gemt=1"));
    assert_eq!(course_by_id(app, id).await.description, hard);
    let (status, _, body) = get_page(app, &format!("/personale/kurser/{id}"), Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Let at læse (LIX 20)."), "{body}");
    assert!(body.contains("Svær at læse (LIX 80)."));
    assert!(body.contains("readability-hard"));
    assert!(body.contains("Du kan stadig gemme teksten."));
    // An empty text says what the help will do.
    assert!(body.contains("Når du skriver, ser du her, hvor let teksten er at læse."));
});
