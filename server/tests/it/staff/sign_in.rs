//! Signing in: a password and an authenticator code (or a recovery code), setting the app up
//! on first sign-in, teachers with a password only, idle and absolute session ends, and the
//! throttling of failed attempts.

use super::*;
use crate::common::header;

both_backends!(password_then_code, |app| {
    // Anonymous visitors are sent to sign in, and come back to the page they asked for.
    let (status, location, _) = get_page(app, "/personale/log", None).await;
    assert_eq!(status, 302);
    assert_eq!(location, "/personale/log-ind?til=%2Fpersonale%2Flog");

    // A wrong password: the same answer as an unknown e-mail, and no session.
    let wrong = password_step(app, COORDINATOR.0, "forkert adgangskode").await;
    assert_eq!(wrong.location, "/personale/log-ind?fejl=forkert");
    assert!(wrong.cookie(COOKIE).is_none());
    let unknown = password_step(app, "ingen@example.org", "forkert adgangskode").await;
    assert_eq!(unknown.location, wrong.location);

    // The right password opens only the code step.
    let first = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    assert_eq!(first.location, "/personale/log-ind/kode");
    let half = format!("{COOKIE}={}", first.cookie(COOKIE).expect("cookie"));
    let (status, location, _) = get_page(app, "/personale", Some(&half)).await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/personale/log-ind/kode")
    );

    // A wrong code is refused; the right one gives a new session token.
    let bad = app
        .post_form("/api/personale_kode", &[("code", "000000")], Some(&half))
        .await;
    assert_eq!(bad.location, "/personale/log-ind/kode?fejl=forkert");
    let code = code_for(server::demo::DEMO_TOTP_SECRET, 0);
    let done = app
        .post_form(
            "/api/personale_kode",
            &[("code", code.as_str())],
            Some(&half),
        )
        .await;
    assert_eq!(done.location, "/personale");
    let full = format!("{COOKIE}={}", done.cookie(COOKIE).expect("new cookie"));
    assert_ne!(
        full, half,
        "the session token changes after the second factor"
    );
    let (status, _, body) = get_page(app, "/personale", Some(&full)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Hej Mette Holm"), "{body}");
    // The token from before the code opens nothing now.
    let (status, location, _) = get_page(app, "/personale", Some(&half)).await;
    assert_eq!((status, location.as_str()), (302, "/personale/log-ind"));

    // The same code does not work twice.
    let again = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    let half = format!("{COOKIE}={}", again.cookie(COOKIE).expect("cookie"));
    let reused = app
        .post_form(
            "/api/personale_kode",
            &[("code", code.as_str())],
            Some(&half),
        )
        .await;
    assert_eq!(reused.location, "/personale/log-ind/kode?fejl=forkert");

    // A recovery code works once instead of the app.
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(COORDINATOR.0))
        .found(&app.db, "account")
        .await;
    let codes = auth::new_recovery_codes(&app.db, account.id)
        .await
        .expect("codes");
    assert_eq!(codes.len(), 10);
    let used = app
        .post_form(
            "/api/personale_kode",
            &[("code", &codes[3].to_uppercase())],
            Some(&half),
        )
        .await;
    assert_eq!(used.location, "/personale/konto?koder-tilbage=9");
    let again = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    let half = format!("{COOKIE}={}", again.cookie(COOKIE).expect("cookie"));
    let reused = app
        .post_form(
            "/api/personale_kode",
            &[("code", codes[3].as_str())],
            Some(&half),
        )
        .await;
    assert_eq!(reused.location, "/personale/log-ind/kode?fejl=forkert");
});

both_backends!(coordinators_must_set_up_the_app, |app| {
    let randers = school_id(app, "randers").await;
    let who = make_staff(
        app,
        "ny.koordinator@example.org",
        &[(Some(randers), Role::Coordinator)],
    )
    .await;
    let first = password_step(app, &who.0, &who.1).await;
    assert_eq!(first.location, "/personale/totp");
    let setup = format!("{COOKIE}={}", first.cookie(COOKIE).expect("cookie"));
    // Nothing else opens until the app is set up.
    let (status, location, _) = get_page(app, "/personale", Some(&setup)).await;
    assert_eq!((status, location.as_str()), (302, "/personale/totp"));
    let (status, _, body) = get_page(app, "/personale/totp", Some(&setup)).await;
    assert_eq!(status, 200);
    assert!(body.contains("<svg"), "QR code shown");
    let secret = body
        .split("name=\"secret\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("secret in the form")
        .to_string();
    // Opening the page stored nothing.
    let stored = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(who.0.as_str()))
        .found(&app.db, "account")
        .await;
    assert!(stored.totp_secret.is_none() && !stored.totp_enabled);

    let wrong = app
        .post_form(
            "/api/personale_totp",
            &[("secret", secret.as_str()), ("code", "123456")],
            Some(&setup),
        )
        .await;
    assert_eq!(wrong.location, "/personale/totp?fejl=forkert");
    let code = code_for(&secret, 0);
    let on = app
        .post_form(
            "/api/personale_totp",
            &[("secret", secret.as_str()), ("code", code.as_str())],
            Some(&setup),
        )
        .await;
    assert_eq!(on.location, "/personale/konto/koder");
    let full = format!(
        "{COOKIE}={}; sb_personale_koder={}",
        on.cookie(COOKIE).expect("full session"),
        on.cookie("sb_personale_koder").expect("codes cookie")
    );
    let (status, _, body) = get_page(app, "/personale/konto/koder", Some(&full)).await;
    assert_eq!(status, 200);
    assert_eq!(body.matches("<li><code>").count(), 10, "ten recovery codes");
    let (_, _, body) = get_page(app, "/personale", Some(&full)).await;
    assert!(body.contains("Hej Test Person"));
});

both_backends!(teachers_sign_in_with_a_password, |app| {
    let cookie = sign_in(app, TEACHER).await;
    let (status, _, body) = get_page(app, "/personale", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Dine næste undervisningsgange"), "{body}");
    // The cookie is HttpOnly and SameSite=Lax; without https it has no __Host- prefix.
    let response = app
        .client
        .post(format!("{}/api/personale_log_ind", app.base))
        .form(&[("email", TEACHER.0), ("password", TEACHER.1)])
        .send()
        .await
        .expect("post");
    let set_cookie = header(&response, "set-cookie");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
});

both_backends!(sessions_end, |app| {
    // Idle too long.
    let cookie = sign_in(app, TEACHER).await;
    staff_session::Entity::update_many()
        .col_expr(
            staff_session::Column::LastSeenAt,
            Expr::value(Utc::now() - Duration::minutes(61)),
        )
        .exec(&app.db)
        .await
        .expect("age the session");
    let (status, location, _) = get_page(app, "/personale", Some(&cookie)).await;
    assert_eq!((status, location.as_str()), (302, "/personale/log-ind"));

    // Past the absolute lifetime, however active.
    let cookie = sign_in(app, TEACHER).await;
    staff_session::Entity::update_many()
        .col_expr(
            staff_session::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .exec(&app.db)
        .await
        .expect("expire the session");
    let (status, _, _) = get_page(app, "/personale", Some(&cookie)).await;
    assert_eq!(status, 302);

    // Sign out ends this session; sign out everywhere ends them all.
    let one = sign_in(app, TEACHER).await;
    let out = app
        .post_form("/api/personale_log_ud", &[], Some(&one))
        .await;
    assert_eq!(out.location, "/personale/log-ind?ud=1");
    assert_eq!(get_page(app, "/personale", Some(&one)).await.0, 302);
    let a = sign_in(app, TEACHER).await;
    let b = sign_in(app, TEACHER).await;
    assert_eq!(get_page(app, "/personale", Some(&b)).await.0, 200);
    let out = app
        .post_form("/api/personale_log_ud_overalt", &[], Some(&a))
        .await;
    assert_eq!(out.location, "/personale/log-ind?ud=alle");
    assert_eq!(get_page(app, "/personale", Some(&b)).await.0, 302);
    assert_eq!(staff_session::Entity::find().counted(&app.db).await, 0);
});

both_backends!(failed_attempts_are_throttled, |app| {
    // Per account: after five failures even the right password waits.
    for _ in 0..auth::ACCOUNT_LIMIT {
        let p = password_step(app, TEACHER.0, "forkert adgangskode").await;
        assert_eq!(p.location, "/personale/log-ind?fejl=forkert");
    }
    let paused = password_step(app, TEACHER.0, TEACHER.1).await;
    assert_eq!(paused.location, "/personale/log-ind?fejl=pause");
    assert!(paused.cookie(COOKIE).is_none());
    // Other accounts are not affected by one account's failures...
    let other = password_step(app, MANAGEMENT.0, MANAGEMENT.1).await;
    assert_eq!(other.location, "/personale");
    // ...until the address itself has failed too often.
    for i in 0..auth::IP_LIMIT {
        password_step(app, &format!("gaet{i}@example.org"), "forkert").await;
    }
    let paused = password_step(app, MANAGEMENT.0, MANAGEMENT.1).await;
    assert_eq!(paused.location, "/personale/log-ind?fejl=pause");
    // Wrong codes count too.
    let window = Utc::now() - Duration::minutes(auth::THROTTLE_WINDOW_MINUTES + 1);
    entity::sign_in_failure::Entity::update_many()
        .col_expr(entity::sign_in_failure::Column::At, Expr::value(window))
        .exec(&app.db)
        .await
        .expect("age failures");
    let first = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    let half = format!("{COOKIE}={}", first.cookie(COOKIE).expect("cookie"));
    for _ in 0..auth::ACCOUNT_LIMIT {
        app.post_form("/api/personale_kode", &[("code", "000000")], Some(&half))
            .await;
    }
    let code = code_for(server::demo::DEMO_TOTP_SECRET, 0);
    let paused = app
        .post_form(
            "/api/personale_kode",
            &[("code", code.as_str())],
            Some(&half),
        )
        .await;
    assert_eq!(paused.location, "/personale/log-ind/kode?fejl=pause");
});
