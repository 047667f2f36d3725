//! Teachers edit their own profile (text and picture), and only their own.

use super::*;

both_backends!(teachers_edit_their_own_profile, |app| {
    use entity::audit_log;
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
    let randers = school_id(app, "randers").await;
    let colleague = teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(randers))
        .filter(teacher::Column::Id.ne(lone.id))
        .found(&app.db, "a colleague")
        .await;
    let own = sign_in(app, TEACHER).await;
    let (status, _, body) = get_page(app, "/personale/profil", Some(&own)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Lone Bech") && body.contains("din profil"));
    assert!(
        !body.contains(&colleague.name),
        "a teacher lists only their own profile"
    );

    // Text: saved, trimmed, too long refused without losing what was stored.
    let save = |teacher: i32, bio: String| {
        let own = own.clone();
        async move {
            app.post_form(
                "/api/personale_profil_gem",
                &[
                    ("teacher_id", teacher.to_string().as_str()),
                    ("title", " Peer-underviser "),
                    ("bio", bio.as_str()),
                ],
                Some(&own),
            )
            .await
        }
    };
    let saved = save(lone.id, "  Jeg fortæller om håb.  ".into()).await;
    assert_eq!(
        saved.location,
        format!("/personale/profil/{}?gemt=1#besked", lone.id)
    );
    let too_long = save(lone.id, "x".repeat(app::dto::staff::profile::BIO_MAX + 1)).await;
    assert_eq!(
        too_long.location,
        format!("/personale/profil/{}?fejl=tekst-lang#besked", lone.id)
    );
    let t = teacher::Entity::find_by_id(lone.id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("t");
    assert_eq!(
        (t.title.as_deref(), t.bio.as_str()),
        (Some("Peer-underviser"), "Jeg fortæller om håb.")
    );
    // Someone else's profile: no.
    assert_eq!(save(colleague.id, "Forsøg".into()).await.status, 403);
    let (status, _) = upload(
        app,
        Some(&own),
        &[("target", "underviser"), ("id", &colleague.id.to_string())],
        Some(("a.png", png_bytes())),
    )
    .await;
    assert_eq!(status, 403);

    // Photo: stored, shown on the course page beside the name.
    let (status, location) = upload(
        app,
        Some(&own),
        &[("target", "underviser"), ("id", &lone.id.to_string())],
        Some(("mig.png", png_bytes())),
    )
    .await;
    assert_eq!(
        (status, location),
        (
            303,
            format!("/personale/profil/{}?billede=gemt#billede", lone.id)
        )
    );
    let photo = teacher::Entity::find_by_id(lone.id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("t")
        .image_id
        .expect("photo");
    let course = entity::course_teacher::Entity::find()
        .filter(entity::course_teacher::Column::TeacherId.eq(lone.id))
        .one(&app.db)
        .await
        .expect("q")
        .expect("a course Lone developed");
    let slug = course_by_id(app, course.course_id).await.slug;
    let (_, _, body) = get_page(app, &format!("/kurser/{slug}"), None).await;
    assert!(body.contains(&format!("src=\"/billeder/{photo}\"")));

    // A coordinator may edit the school's profiles; that goes in the audit log, one's own does not.
    let logged = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("teacher.profile"))
            .counted(&app.db)
            .await
    };
    assert_eq!(logged().await, 0);
    let coordinator = sign_in(app, COORDINATOR).await;
    let edited = app
        .post_form(
            "/api/personale_profil_gem",
            &[
                ("teacher_id", colleague.id.to_string().as_str()),
                ("title", ""),
                ("bio", "Ny tekst"),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(
        edited.location,
        format!("/personale/profil/{}?gemt=1#besked", colleague.id)
    );
    assert_eq!(logged().await, 1);
});
