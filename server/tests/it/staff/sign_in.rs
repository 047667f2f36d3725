//! Signing in: a password and an authenticator code (or a recovery code), setting the app up
//! on first sign-in, teachers with a password only, idle and absolute session ends, and the
//! throttling of failed attempts.

use super::*;
use crate::common::{Posted, header};
use app::rules::throttle;

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
    // Per account and address: after five failures even the right password waits.
    for _ in 0..throttle::PAIR_LIMIT {
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
    for i in 0..throttle::ADDRESS_LIMIT {
        password_step(app, &format!("gaet{i}@example.org"), "forkert").await;
    }
    let paused = password_step(app, MANAGEMENT.0, MANAGEMENT.1).await;
    assert_eq!(paused.location, "/personale/log-ind?fejl=pause");
    // Wrong codes count too.
    let window = Utc::now() - Duration::minutes(throttle::WINDOW_MINUTES + 1);
    entity::sign_in_failure::Entity::update_many()
        .col_expr(entity::sign_in_failure::Column::At, Expr::value(window))
        .exec(&app.db)
        .await
        .expect("age failures");
    let first = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    let half = format!("{COOKIE}={}", first.cookie(COOKIE).expect("cookie"));
    for _ in 0..throttle::CODE_LIMIT {
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

/// A sign-in from `address`, as the proxy in front reports it.
async fn password_from(app: &TestApp, address: &str, email: &str, password: &str) -> Posted {
    app.post_form_with(
        "/api/personale_log_ind",
        &[("email", email), ("password", password)],
        None,
        &[("x-forwarded-for", address)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_elsewhere_do_not_lock_the_owner_out() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_configured(backend, true, |c| c.proxy_hops = 1).await;
        for _ in 0..throttle::PAIR_LIMIT {
            let p = password_from(&app, "198.51.100.7", TEACHER.0, "forkert").await;
            assert_eq!(p.location, "/personale/log-ind?fejl=forkert");
        }
        let paused = password_from(&app, "198.51.100.7", TEACHER.0, TEACHER.1).await;
        assert_eq!(
            paused.location, "/personale/log-ind?fejl=pause",
            "{backend:?}"
        );
        // The owner, from their own address, signs in.
        let owner = password_from(&app, "203.0.113.9", TEACHER.0, TEACHER.1).await;
        assert_eq!(owner.location, "/personale", "{backend:?}");
        // An IPv6 visitor is counted by its /64: another address in it is the same place.
        for i in 0..throttle::PAIR_LIMIT {
            let address = format!("2001:db8:5:6::{i}");
            password_from(&app, &address, MANAGEMENT.0, "forkert").await;
        }
        let same_net =
            password_from(&app, "2001:db8:5:6:ffff::1", MANAGEMENT.0, MANAGEMENT.1).await;
        assert_eq!(
            same_net.location, "/personale/log-ind?fejl=pause",
            "{backend:?}"
        );
        app.stop().await;
    }
}

both_backends!(the_right_password_does_not_buy_more_code_guesses, |app| {
    // Someone with the password guesses codes: signing in again must not start the count
    // over. 50 rounds of the password and four wrong codes end in a pause.
    let mut paused_in_round = None;
    for round in 0..50 {
        let first = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
        let Some(token) = first.cookie(COOKIE) else {
            paused_in_round = Some(round);
            break;
        };
        let half = format!("{COOKIE}={token}");
        let mut paused = false;
        for _ in 0..4 {
            let p = app
                .post_form("/api/personale_kode", &[("code", "000000")], Some(&half))
                .await;
            if p.location == "/personale/log-ind/kode?fejl=pause" {
                paused = true;
                break;
            }
            assert_eq!(p.location, "/personale/log-ind/kode?fejl=forkert");
        }
        if paused {
            paused_in_round = Some(round);
            break;
        }
    }
    let round = paused_in_round.expect("a pause within 50 rounds");
    assert!(round <= 1, "paused in round {round}");
    // While paused, even the right code waits.
    let first = password_step(app, COORDINATOR.0, COORDINATOR.1).await;
    let half = format!("{COOKIE}={}", first.cookie(COOKIE).expect("cookie"));
    let code = code_for(server::demo::DEMO_TOTP_SECRET, 0);
    let p = app
        .post_form(
            "/api/personale_kode",
            &[("code", code.as_str())],
            Some(&half),
        )
        .await;
    assert_eq!(p.location, "/personale/log-ind/kode?fejl=pause");
});

both_backends!(parallel_guesses_cannot_all_pass_the_count, |app| {
    // Twenty wrong passwords at once from one address: the count and the failure are one
    // step, so no more than the limit get an answer; the rest wait.
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let client = app.client.clone();
            let base = app.base.clone();
            tokio::spawn(async move {
                let response = client
                    .post(format!("{base}/api/personale_log_ind"))
                    .header("accept", "text/html")
                    .header("referer", format!("{base}/"))
                    .form(&[("email", TEACHER.0), ("password", &format!("gaet {i}"))])
                    .send()
                    .await
                    .expect("post");
                crate::common::location_of(&response)
            })
        })
        .collect();
    let mut answered = 0;
    for task in tasks {
        let location = task.await.expect("task");
        if location == "/personale/log-ind?fejl=forkert" {
            answered += 1;
        } else {
            assert_eq!(location, "/personale/log-ind?fejl=pause");
        }
    }
    assert!(
        answered <= throttle::PAIR_LIMIT,
        "{answered} guesses were checked"
    );
});

both_backends!(replacing_the_second_factor_asks_for_the_password, |app| {
    let cookie = sign_in(app, COORDINATOR).await;
    // New recovery codes: refused without the password, made with it.
    let without = app
        .post_form("/api/personale_nye_koder", &[], Some(&cookie))
        .await;
    assert_eq!(without.location, "/personale/konto?fejl=adgangskode#totp");
    let with = app
        .post_form(
            "/api/personale_nye_koder",
            &[("password", COORDINATOR.1)],
            Some(&cookie),
        )
        .await;
    assert_eq!(with.location, "/personale/konto/koder");

    // A new authenticator app: the page asks for the password, and the change needs it.
    let (status, _, page) = get_page(app, "/personale/totp", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("name=\"password\""),
        "the form asks for the password"
    );
    let secret = page
        .split("name=\"secret\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("secret in the form")
        .to_string();
    let code = code_for(&secret, 0);
    let fields = [("secret", secret.as_str()), ("code", code.as_str())];
    let without = app
        .post_form("/api/personale_totp", &fields, Some(&cookie))
        .await;
    assert_eq!(without.location, "/personale/totp?fejl=adgangskode");
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(COORDINATOR.0))
        .found(&app.db, "account")
        .await;
    assert_eq!(
        account.totp_secret.as_deref(),
        Some(server::demo::DEMO_TOTP_SECRET),
        "the old app still works"
    );
    let with = app
        .post_form(
            "/api/personale_totp",
            &[
                ("secret", secret.as_str()),
                ("code", code.as_str()),
                ("password", COORDINATOR.1),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(with.location, "/personale/konto/koder");
});

both_backends!(a_new_role_ends_the_old_sessions, |app| {
    // A teacher signed in with a password only becomes a coordinator, whose role needs the
    // authenticator app: the old session must not carry on without it.
    let cookie = sign_in(app, TEACHER).await;
    assert_eq!(get_page(app, "/personale", Some(&cookie)).await.0, 200);
    let school = school_id(app, "randers").await;
    app::services::staff::people::invite(
        &app.db,
        TEACHER.0,
        "Lone Bech",
        Some(school),
        Role::Coordinator,
        None,
        "test",
        Utc::now(),
    )
    .await
    .expect("new role");
    let (status, location, _) = get_page(app, "/personale", Some(&cookie)).await;
    assert_eq!((status, location.as_str()), (302, "/personale/log-ind"));
    let again = password_step(app, TEACHER.0, TEACHER.1).await;
    assert_eq!(again.location, "/personale/totp", "the app comes first now");
});
