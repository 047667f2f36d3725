//! Invitations and password resets by e-mail, through a real SMTP sink: the link works once
//! and expires.

use super::*;

/// The link in the newest mail to `to`.
async fn link_in_mail(sink: &Sink, count: usize, to: &str, path: &str) -> String {
    let received = sink.wait_for(count, StdDuration::from_secs(20)).await;
    let mail = received
        .iter()
        .rev()
        .find(|r| r.to.iter().any(|t| t == to))
        .unwrap_or_else(|| panic!("no mail to {to}"));
    let text = String::from_utf8_lossy(&mail.data).replace("=\r\n", "");
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} link in {text}"));
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'))
        .collect()
}

async fn invitation_and_reset(backend: Backend) {
    let mut sink = Sink::start().await.expect("sink");
    let app = spawn_app_configured(backend, true, send_mail_to(sink.addr())).await;
    let randers = school_id(&app, "randers").await;
    let coordinator = sign_in(&app, COORDINATOR).await;

    // A teacher is invited as one kind of teacher or not at all.
    let refused = app
        .post_form(
            "/api/personale_inviter",
            &[
                ("email", "uden.slags@example.org"),
                ("name", "Uden Slags"),
                ("school", &randers.to_string()),
                ("role", "teacher"),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(refused.location, "/personale/personale?fejl=slags#inviter");
    assert_eq!(
        staff_account::Entity::find()
            .filter(staff_account::Column::Email.eq("uden.slags@example.org"))
            .counted(&app.db)
            .await,
        0
    );

    // A coordinator invites a new teacher.
    let invited = app
        .post_form(
            "/api/personale_inviter",
            &[
                ("email", "Ny.Underviser@Example.org"),
                ("name", "Nanna Ny"),
                ("school", &randers.to_string()),
                ("role", "teacher"),
                ("teacher_kind", "fagprofessionel"),
            ],
            Some(&coordinator),
        )
        .await;
    assert_eq!(invited.location, "/personale/personale?inviteret=1");
    // They get a profile of their own at the school, ready for a team.
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq("ny.underviser@example.org"))
        .found(&app.db, "account")
        .await;
    let profile = teacher::Entity::find()
        .filter(teacher::Column::AccountId.eq(account.id))
        .found(&app.db, "a teacher profile")
        .await;
    assert_eq!(
        (profile.school_id, profile.kind, profile.name.as_str()),
        (randers, entity::TeacherKind::Professional, "Nanna Ny")
    );
    let link = link_in_mail(
        &sink,
        1,
        "ny.underviser@example.org",
        "/personale/invitation/",
    )
    .await;
    let token = link.rsplit('/').next().expect("token").to_string();
    let (status, _, body) = get_page(&app, &link, None).await;
    assert_eq!(status, 200);
    assert!(body.contains("Nanna Ny"), "{body}");

    // A typing mistake does not cost the link.
    let mismatch = app
        .post_form(
            "/api/personale_adgangskode",
            &[
                ("token", token.as_str()),
                ("reset", "false"),
                ("password", "min nye lange adgangskode"),
                ("repeat", "min nye lange adgangskod"),
            ],
            None,
        )
        .await;
    assert_eq!(mismatch.location, format!("{link}?fejl=mismatch#fejl"));
    let set = app
        .post_form(
            "/api/personale_adgangskode",
            &[
                ("token", token.as_str()),
                ("reset", "false"),
                ("password", "min nye lange adgangskode"),
                ("repeat", "min nye lange adgangskode"),
            ],
            None,
        )
        .await;
    assert_eq!(set.location, "/personale/log-ind?klar=1");
    // The link works once.
    let (status, _, body) = get_page(&app, &link, None).await;
    assert_eq!(status, 404);
    assert!(body.contains("virker ikke længere"));
    let again = app
        .post_form(
            "/api/personale_adgangskode",
            &[
                ("token", token.as_str()),
                ("reset", "false"),
                ("password", "en helt anden adgangskode"),
                ("repeat", "en helt anden adgangskode"),
            ],
            None,
        )
        .await;
    assert_eq!(again.location, link);
    let signed = password_step(
        &app,
        "ny.underviser@example.org",
        "min nye lange adgangskode",
    )
    .await;
    assert_eq!(signed.location, "/personale");
    // The invitation is in the school's audit log.
    assert_eq!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("staff.role_added"))
            .filter(audit_log::Column::SchoolId.eq(randers))
            .counted(&app.db)
            .await,
        1
    );

    // Password reset: the same answer for an unknown address, and no mail for it.
    let unknown = app
        .post_form(
            "/api/personale_glemt",
            &[("email", "ingen@example.org")],
            None,
        )
        .await;
    assert_eq!(unknown.location, "/personale/glemt?sendt=1");
    let teacher_session = sign_in(&app, TEACHER).await;
    let asked = app
        .post_form("/api/personale_glemt", &[("email", TEACHER.0)], None)
        .await;
    assert_eq!(asked.location, unknown.location);
    let link = link_in_mail(&sink, 2, TEACHER.0, "/personale/nulstil/").await;
    assert_eq!(sink.received().len(), 2, "no mail to the unknown address");
    let token = link.rsplit('/').next().expect("token").to_string();
    let reset = app
        .post_form(
            "/api/personale_adgangskode",
            &[
                ("token", token.as_str()),
                ("reset", "true"),
                ("password", "et nyt og langt kodeord"),
                ("repeat", "et nyt og langt kodeord"),
            ],
            None,
        )
        .await;
    assert_eq!(reset.location, "/personale/log-ind?nulstillet=1");
    // Every session of the account ended; the old password is gone.
    assert_eq!(
        get_page(&app, "/personale", Some(&teacher_session)).await.0,
        302
    );
    assert_eq!(
        password_step(&app, TEACHER.0, TEACHER.1).await.location,
        "/personale/log-ind?fejl=forkert"
    );
    assert_eq!(
        password_step(&app, TEACHER.0, "et nyt og langt kodeord")
            .await
            .location,
        "/personale"
    );

    // An expired link is refused.
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(TEACHER.0))
        .found(&app.db, "account")
        .await;
    let expired = auth::issue_link(
        &app.db,
        account.id,
        auth::LinkPurpose::Reset,
        Utc::now() - Duration::hours(app::rules::retention::RESET_HOURS + 1),
    )
    .await
    .expect("link");
    let (status, _, _) = get_page(&app, &format!("/personale/nulstil/{expired}"), None).await;
    assert_eq!(status, 404);
    // An invitation link does not work as a reset link.
    let invite = auth::issue_link(&app.db, account.id, auth::LinkPurpose::Invite, Utc::now())
        .await
        .expect("link");
    let (status, _, _) = get_page(&app, &format!("/personale/nulstil/{invite}"), None).await;
    assert_eq!(status, 404);

    app.stop().await;
    sink.stop();
}

both_backends!(invitation_and_reset, threads = 2);
