//! The staff workspace over HTTP, as a browser without JavaScript uses it: signing in with a
//! password and an authenticator code (or a recovery code), setting the app up, invitations
//! and password resets by e-mail (through a real SMTP sink), idle and absolute session ends,
//! throttling of failed attempts, the cross-site request guard, and the authorisation matrix.

#[macro_use]
mod common;

use std::time::Duration as StdDuration;

use app::rules::access::Role;
use app::services::staff::auth;
use chrono::{Duration, Utc};
use common::staff::*;
use common::{Backend, TestApp, send_mail_to, spawn_app_configured};
use entity::{audit_log, staff_account, staff_session, teacher};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use smtp_sink::Sink;

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
        .one(&app.db)
        .await
        .expect("query")
        .expect("account");
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
        .one(&app.db)
        .await
        .expect("query")
        .expect("account");
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
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
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
    assert_eq!(
        staff_session::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
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
            .count(&app.db)
            .await
            .expect("count"),
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
        .one(&app.db)
        .await
        .expect("query")
        .expect("account");
    let profile = teacher::Entity::find()
        .filter(teacher::Column::AccountId.eq(account.id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a teacher profile");
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
            .count(&app.db)
            .await
            .expect("count"),
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
        .one(&app.db)
        .await
        .expect("query")
        .expect("account");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_and_reset_sqlite() {
    invitation_and_reset(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_and_reset_postgres() {
    invitation_and_reset(Backend::Postgres).await;
}

both_backends!(cross_site_requests_are_refused, |app| {
    let post = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut request = app
            .client
            .post(format!("{}/api/personale_log_ind", app.base))
            .header("accept", "text/html")
            .form(&[("email", TEACHER.0), ("password", TEACHER.1)]);
        if let Some(o) = origin {
            request = request.header("origin", o);
        }
        if let Some(s) = site {
            request = request.header("sec-fetch-site", s);
        }
        request.send()
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            post(Some("https://evil.example"), None)
                .await
                .expect("post")
        ),
        403
    );
    assert_eq!(
        status(post(None, Some("cross-site")).await.expect("post")),
        403
    );
    assert_eq!(
        status(post(None, Some("same-site")).await.expect("post")),
        403
    );
    assert_eq!(
        status(
            post(Some("https://evil.example"), Some("same-origin"))
                .await
                .expect("post")
        ),
        302,
        "the browser's own Sec-Fetch-Site decides"
    );
    let own = app.base.clone();
    let own: &'static str = Box::leak(own.into_boxed_str());
    assert_eq!(status(post(Some(own), None).await.expect("post")), 302);

    // A public form too: a foreign page cannot sign anyone up.
    let before = entity::booking::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    let refused = app
        .client
        .post(format!("{}/api/tilmeld", app.base))
        .header("origin", "https://evil.example")
        .form(&[
            ("run", "1"),
            ("name", "X"),
            ("email", "x@example.org"),
            ("consent", "ja"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(
        entity::booking::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        before
    );
});

/// Who a matrix row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    Teacher,
    Coordinator,
    OtherCoordinator,
    OtherTeacher,
    Management,
    Admin,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Teacher,
    Who::Coordinator,
    Who::OtherCoordinator,
    Who::OtherTeacher,
    Who::Management,
    Who::Admin,
];

/// Who may do a thing, for the matrix.
type May<'a> = &'a dyn Fn(Who) -> bool;
/// A server function call: endpoint, form fields, who may.
type Call<'a> = (&'a str, Vec<(String, String)>, May<'a>);
/// Each signed-in person's `Cookie` header (none for `Anonymous`).
type Cookies = std::collections::HashMap<Who, Option<String>>;

fn fields_of(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What `who` should meet where `may` decides: anonymous people are sent to sign in.
fn expected(who: Who, may: May) -> Outcome {
    if who == Who::Anonymous {
        Outcome::SignIn
    } else if may(who) {
        Outcome::Allowed
    } else {
        Outcome::Forbidden
    }
}

/// Opens every page as everyone.
async fn check_pages(app: &TestApp, cookies: &Cookies, pages: &[(String, May<'_>)]) {
    for (path, may) in pages {
        for who in EVERYONE {
            let (status, location, _) = get_page(app, path, cookies[&who].as_deref()).await;
            assert_eq!(
                outcome(status, &location),
                expected(who, *may),
                "GET {path} as {who:?}"
            );
        }
    }
}

/// Posts every call as everyone.
async fn check_calls(app: &TestApp, cookies: &Cookies, calls: &[Call<'_>]) {
    for (path, fields, may) in calls {
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for who in EVERYONE {
            let posted = app.post_form(path, &refs, cookies[&who].as_deref()).await;
            assert_eq!(
                outcome(posted.status, &posted.location),
                expected(who, *may),
                "POST {path} {refs:?} as {who:?}"
            );
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// Sent to sign in.
    SignIn,
    Forbidden,
}

fn outcome(status: u16, location: &str) -> Outcome {
    match status {
        403 => Outcome::Forbidden,
        302 | 303 if location.starts_with("/personale/log-ind") => Outcome::SignIn,
        200..=399 => Outcome::Allowed,
        other => panic!("unexpected status {other} ({location})"),
    }
}

both_backends!(authorisation_matrix, |app| {
    let randers = school_id(app, "randers").await;
    let aarhus = school_id(app, "aarhus").await;
    let other_coordinator = make_staff(
        app,
        "koordinator.aarhus@example.org",
        &[(Some(aarhus), Role::Coordinator)],
    )
    .await;
    // The Aarhus coordinator uses the app too: give them the demo key.
    staff_account::Entity::update_many()
        .col_expr(
            staff_account::Column::TotpSecret,
            Expr::value(server::demo::DEMO_TOTP_SECRET),
        )
        .col_expr(staff_account::Column::TotpEnabled, Expr::value(true))
        .filter(staff_account::Column::Email.eq(other_coordinator.0.as_str()))
        .exec(&app.db)
        .await
        .expect("totp");
    let other_teacher = make_staff(
        app,
        "underviser.aarhus@example.org",
        &[(Some(aarhus), Role::Teacher)],
    )
    .await;
    let aarhus_teacher = teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(aarhus))
        .one(&app.db)
        .await
        .expect("query")
        .expect("teacher");
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(other_teacher.0.as_str()))
        .one(&app.db)
        .await
        .expect("query")
        .expect("account");
    teacher::Entity::update_many()
        .col_expr(teacher::Column::AccountId, Expr::value(account.id))
        .filter(teacher::Column::Id.eq(aarhus_teacher.id))
        .exec(&app.db)
        .await
        .expect("link profile");

    let mut cookies = Cookies::new();
    for who in EVERYONE {
        let cookie = match who {
            Who::Anonymous => None,
            Who::Teacher => Some(sign_in(app, TEACHER).await),
            Who::Coordinator => Some(sign_in(app, COORDINATOR).await),
            Who::OtherCoordinator => {
                Some(sign_in(app, (&other_coordinator.0, &other_coordinator.1)).await)
            }
            Who::OtherTeacher => Some(sign_in(app, (&other_teacher.0, &other_teacher.1)).await),
            Who::Management => Some(sign_in(app, MANAGEMENT).await),
            Who::Admin => Some(sign_in(app, ADMIN).await),
        };
        cookies.insert(who, cookie);
    }
    let signed_in = |w: Who| w != Who::Anonymous;
    let manages_randers = |w: Who| matches!(w, Who::Coordinator | Who::Admin);
    let manages_any = |w: Who| matches!(w, Who::Coordinator | Who::OtherCoordinator | Who::Admin);

    // Pages: (path, who may open it).
    let pages: Vec<(String, May)> = vec![
        ("/personale".into(), &signed_in),
        ("/personale/konto".into(), &signed_in),
        ("/personale/personale".into(), &manages_any),
        ("/personale/log".into(), &manages_any),
        ("/personale/integrationer".into(), &manages_any),
        ("/personale/totp".into(), &signed_in),
    ];
    check_pages(app, &cookies, &pages).await;

    // Server functions that change something: (endpoint, fields, who may).
    let randers_text = randers.to_string();
    let invite_teacher = [
        ("email", "matrix@example.org"),
        ("name", "Matrix"),
        ("school", randers_text.as_str()),
        ("role", "teacher"),
        ("teacher_kind", "fagprofessionel"),
    ];
    let invite_admin = [
        ("email", "matrix.admin@example.org"),
        ("name", "Matrix"),
        ("school", ""),
        ("role", "admin"),
    ];
    let only_admin = |w: Who| w == Who::Admin;
    let actions: Vec<Call> = vec![
        (
            "/api/personale_inviter",
            fields_of(&invite_teacher),
            &manages_randers,
        ),
        (
            "/api/personale_inviter",
            fields_of(&invite_admin),
            &only_admin,
        ),
        ("/api/personale_liste", vec![], &manages_any),
        ("/api/personale_log", vec![], &manages_any),
        ("/api/integrationer", vec![], &manages_any),
        (
            "/api/integrationer_ny_noegle",
            fields_of(&[
                ("school", randers_text.as_str()),
                ("name", "Matrix"),
                ("scope", "read"),
            ]),
            &manages_randers,
        ),
        (
            "/api/integrationer_ny_webhook",
            fields_of(&[
                ("school", randers_text.as_str()),
                ("url", "https://matrix.example/hook"),
                ("events[e0]", "ja"),
            ]),
            &manages_randers,
        ),
        (
            "/api/integrationer_farve",
            fields_of(&[("school", randers_text.as_str()), ("colour", "#224466")]),
            &manages_randers,
        ),
    ];
    check_calls(app, &cookies, &actions).await;

    // The course editor and teacher profiles. Lone (the demo teacher) develops some Randers
    // courses and not others; whether the Aarhus teacher develops any decides their list.
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Lone");
    let developed_by = |teacher_id: i32| {
        let db = app.db.clone();
        async move {
            entity::course_teacher::Entity::find()
                .filter(entity::course_teacher::Column::TeacherId.eq(teacher_id))
                .all(&db)
                .await
                .expect("query")
                .into_iter()
                .map(|ct| ct.course_id)
                .collect::<Vec<i32>>()
        }
    };
    let lones = developed_by(lone.id).await;
    let other_develops = !developed_by(aarhus_teacher.id).await.is_empty();
    let lone_course = course_by_id(app, lones[0]).await;
    assert_eq!(lone_course.school_id, randers);
    let not_lones = entity::course::Entity::find()
        .filter(entity::course::Column::SchoolId.eq(randers))
        .filter(entity::course::Column::Id.is_not_in(lones.clone()))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a Randers course Lone does not develop");
    let randers_editor = |w: Who| matches!(w, Who::Coordinator | Who::Admin);
    let lone_or_randers = |w: Who| matches!(w, Who::Teacher | Who::Coordinator | Who::Admin);
    let course_list = |w: Who| match w {
        Who::Teacher | Who::Coordinator | Who::OtherCoordinator | Who::Admin => true,
        Who::OtherTeacher => other_develops,
        Who::Anonymous | Who::Management => false,
    };
    let has_profiles = |w: Who| !matches!(w, Who::Anonymous | Who::Management);
    let editor_pages: Vec<(String, May)> = vec![
        ("/personale/kurser".into(), &course_list),
        ("/personale/kurser/ny".into(), &manages_any),
        (
            format!("/personale/kurser/{}", lone_course.id),
            &lone_or_randers,
        ),
        (
            format!("/personale/kurser/{}/vis", lone_course.id),
            &lone_or_randers,
        ),
        (
            format!("/personale/kurser/{}", not_lones.id),
            &randers_editor,
        ),
        (
            format!("/personale/kurser/{}/vis", not_lones.id),
            &randers_editor,
        ),
        ("/personale/profil".into(), &has_profiles),
        (format!("/personale/profil/{}", lone.id), &lone_or_randers),
    ];
    check_pages(app, &cookies, &editor_pages).await;
    let own_fields = |c: &entity::course::Model| -> Vec<(String, String)> {
        vec![
            ("course".into(), c.id.to_string()),
            ("title".into(), c.title.clone()),
            ("summary".into(), c.summary.clone()),
            ("description".into(), c.description.clone()),
            ("expectations".into(), c.expectations.clone()),
            (
                "format".into(),
                app::rules::vocabulary::Format::from(c.format).slug().into(),
            ),
            (
                "audience".into(),
                app::rules::vocabulary::Audience::from(c.audience)
                    .slug()
                    .into(),
            ),
            ("action".into(), "gem".into()),
        ]
    };
    let editor_actions: Vec<Call> = vec![
        (
            "/api/personale_kursus_gem",
            own_fields(&lone_course),
            &lone_or_randers,
        ),
        (
            "/api/personale_kursus_gem",
            own_fields(&not_lones),
            &randers_editor,
        ),
        (
            "/api/personale_kursus_gem",
            fields_of(&[
                ("course", "0"),
                ("school", &randers_text),
                ("title", "Matrixkursus"),
                ("format", "kursus"),
                ("audience", "alle"),
            ]),
            &manages_randers,
        ),
        (
            "/api/personale_kursus_udvikler",
            fields_of(&[
                ("course_id", &not_lones.id.to_string()),
                ("teacher_id", &lone.id.to_string()),
            ]),
            &randers_editor,
        ),
        ("/api/personale_kurser", vec![], &course_list),
        ("/api/personale_profiler", vec![], &has_profiles),
        (
            "/api/personale_profil_gem",
            fields_of(&[("teacher_id", &lone.id.to_string()), ("bio", &lone.bio)]),
            &lone_or_randers,
        ),
    ];
    check_calls(app, &cookies, &editor_actions).await;

    // Removing a role: only those who manage the role's school, never one's own.
    let role_id = entity::staff_role::Entity::find()
        .filter(entity::staff_role::Column::SchoolId.eq(aarhus))
        .filter(entity::staff_role::Column::Role.eq(entity::StaffRoleKind::Teacher))
        .one(&app.db)
        .await
        .expect("query")
        .expect("role")
        .id
        .to_string();
    for who in [
        Who::Teacher,
        Who::Coordinator,
        Who::Management,
        Who::OtherTeacher,
    ] {
        let posted = app
            .post_form(
                "/api/personale_fjern_rolle",
                &[("role_id", role_id.as_str())],
                cookies[&who].as_deref(),
            )
            .await;
        assert_eq!(
            outcome(posted.status, &posted.location),
            Outcome::Forbidden,
            "{who:?}"
        );
    }
    let posted = app
        .post_form(
            "/api/personale_fjern_rolle",
            &[("role_id", role_id.as_str())],
            cookies[&Who::OtherCoordinator].as_deref(),
        )
        .await;
    assert_eq!(posted.location, "/personale/personale?fjernet=1");
    // The teacher lost the role: their session ended with it.
    let (status, _, _) = get_page(app, "/personale", cookies[&Who::OtherTeacher].as_deref()).await;
    assert_eq!(status, 302);
});

/// A published demo course of a school, and that school's id.
async fn course_at(app: &TestApp, slug: &str) -> (i32, i32) {
    use entity::{CourseStatus, course};
    let school = school_id(app, slug).await;
    let c = course::Entity::find()
        .filter(course::Column::SchoolId.eq(school))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::Format.ne(entity::CourseFormat::DropIn))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a published course");
    (c.id, school)
}

/// Creates a draft run through the editor and returns its id.
async fn create_run(app: &TestApp, cookie: &str, course: i32, school: i32, capacity: &str) -> i32 {
    let posted = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", "0"),
                ("course", &course.to_string()),
                ("school", &school.to_string()),
                ("capacity", capacity),
                ("waitlist", "ja"),
                ("waitlist_mode", "automatic"),
                ("cancel_deadline_hours", "24"),
            ],
            Some(cookie),
        )
        .await;
    posted
        .location
        .strip_prefix("/personale/hold/")
        .and_then(|rest| rest.strip_suffix("?gemt=1"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("run created, got {:?}", posted.location))
}

/// Adds a session `days` days ahead at 17:00–20:00 Copenhagen time.
async fn add_session(app: &TestApp, cookie: &str, run: i32, days: i64) -> String {
    let date = (app::rules::time::to_local(Utc::now()) + Duration::days(days))
        .date()
        .format("%Y-%m-%d")
        .to_string();
    app.post_form(
        "/api/personale_gang_ny",
        &[
            ("run", run.to_string().as_str()),
            ("date", date.as_str()),
            ("start", "17:00"),
            ("end", "20.00"),
        ],
        Some(cookie),
    )
    .await
    .location
}

async fn teacher_of_kind(app: &TestApp, school: i32, kind: entity::TeacherKind) -> i32 {
    teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(school))
        .filter(teacher::Column::Kind.eq(kind))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a teacher of the kind")
        .id
}

both_backends!(publishing_keeps_the_co_production_rule, |app| {
    use entity::TeacherKind::{Peer, Professional, Relative};
    use entity::{RunStatus, run};
    let cookie = sign_in(app, COORDINATOR).await;
    let (course, randers) = course_at(app, "randers").await;
    let ids = [
        (Peer, teacher_of_kind(app, randers, Peer).await),
        (
            Professional,
            teacher_of_kind(app, randers, Professional).await,
        ),
        (Relative, teacher_of_kind(app, randers, Relative).await),
    ];
    // Every team: the empty one and all seven combinations of the three kinds.
    for mask in 0u8..8 {
        let run_id = create_run(app, &cookie, course, randers, "10").await;
        assert_eq!(
            add_session(app, &cookie, run_id, 30).await,
            format!("/personale/hold/{run_id}?gang=tilfoejet#gange")
        );
        let mut kinds = Vec::new();
        for (bit, (kind, id)) in ids.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                kinds.push(*kind);
                app.post_form(
                    "/api/personale_hold_underviser",
                    &[
                        ("run_id", &run_id.to_string()),
                        ("teacher_id", &id.to_string()),
                    ],
                    Some(&cookie),
                )
                .await;
            }
        }
        let allowed =
            kinds.contains(&Peer) && (kinds.contains(&Professional) || kinds.contains(&Relative));
        let posted = app
            .post_form(
                "/api/personale_hold_offentliggoer",
                &[("run_id", &run_id.to_string())],
                Some(&cookie),
            )
            .await;
        let status = run::Entity::find_by_id(run_id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("run")
            .status;
        if allowed {
            assert_eq!(
                posted.location,
                format!("/personale/hold/{run_id}?offentliggjort=1"),
                "{kinds:?}"
            );
            assert_eq!(status, RunStatus::Published, "{kinds:?}");
        } else {
            assert_eq!(
                posted.location,
                format!("/personale/hold/{run_id}?fejl=team#fejl"),
                "{kinds:?}"
            );
            assert_eq!(status, RunStatus::Draft, "{kinds:?}");
            // The editor says what is missing, in plain words.
            let (_, _, body) = get_page(
                app,
                &format!("/personale/hold/{run_id}?fejl=team"),
                Some(&cookie),
            )
            .await;
            assert!(body.contains("kan ikke offentliggøres endnu"), "{body}");
            if !kinds.contains(&Peer) {
                assert!(body.contains("mangler en peer-underviser"));
            }
        }
        if mask == 0b011 {
            // Peer + professional, published: the last peer cannot leave the team.
            let refused = app
                .post_form(
                    "/api/personale_hold_underviser_fjern",
                    &[
                        ("run_id", &run_id.to_string()),
                        ("teacher_id", &ids[0].1.to_string()),
                    ],
                    Some(&cookie),
                )
                .await;
            assert_eq!(
                refused.location,
                format!("/personale/hold/{run_id}?fejl=team-offentlig#fejl")
            );
        }
    }
    // A run without sessions cannot be published, whatever its team.
    let bare = create_run(app, &cookie, course, randers, "10").await;
    for (_, id) in &ids {
        app.post_form(
            "/api/personale_hold_underviser",
            &[
                ("run_id", &bare.to_string()),
                ("teacher_id", &id.to_string()),
            ],
            Some(&cookie),
        )
        .await;
    }
    let posted = app
        .post_form(
            "/api/personale_hold_offentliggoer",
            &[("run_id", &bare.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        posted.location,
        format!("/personale/hold/{bare}?fejl=ingen-gange#fejl")
    );
});

/// Outbox rows of a kind for a booking.
async fn queued(app: &TestApp, booking: i32, kind: &str) -> u64 {
    use entity::outbox_message;
    outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(booking))
        .filter(outbox_message::Column::Kind.eq(kind))
        .count(&app.db)
        .await
        .expect("count")
}

/// A published run of Randers with a peer and a professional and two sessions.
async fn published_run(app: &TestApp, cookie: &str, capacity: &str) -> (i32, Vec<i32>) {
    use entity::TeacherKind::{Peer, Professional};
    use entity::session;
    let (course, randers) = course_at(app, "randers").await;
    let run_id = create_run(app, cookie, course, randers, capacity).await;
    add_session(app, cookie, run_id, 20).await;
    add_session(app, cookie, run_id, 27).await;
    for kind in [Peer, Professional] {
        let id = teacher_of_kind(app, randers, kind).await;
        app.post_form(
            "/api/personale_hold_underviser",
            &[
                ("run_id", &run_id.to_string()),
                ("teacher_id", &id.to_string()),
            ],
            Some(cookie),
        )
        .await;
    }
    let posted = app
        .post_form(
            "/api/personale_hold_offentliggoer",
            &[("run_id", &run_id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(
        posted.location,
        format!("/personale/hold/{run_id}?offentliggjort=1")
    );
    let mut sessions: Vec<session::Model> = session::Entity::find()
        .filter(session::Column::RunId.eq(run_id))
        .all(&app.db)
        .await
        .expect("sessions");
    sessions.sort_by_key(|s| s.starts_at);
    (run_id, sessions.into_iter().map(|s| s.id).collect())
}

both_backends!(moving_and_cancelling_tell_everyone, |app| {
    use entity::session;
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, sessions) = published_run(app, &cookie, "10").await;
    let booking = app.sign_up(run_id, "Karen", "karen@example.org").await;

    // Move the second session an hour later on a new date.
    let date = (app::rules::time::to_local(Utc::now()) + Duration::days(28))
        .date()
        .format("%Y-%m-%d")
        .to_string();
    let moved = app
        .post_form(
            "/api/personale_gang_flyt",
            &[
                ("session", sessions[1].to_string().as_str()),
                ("date", date.as_str()),
                ("start", "18:00"),
                ("end", "21:00"),
                ("note", "Lokalet er optaget"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        moved.location,
        format!("/personale/hold/{run_id}?gang=flyttet#gange")
    );
    let s = session::Entity::find_by_id(sessions[1])
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    let local = app::rules::time::to_local(s.starts_at);
    assert_eq!(
        local.format("%Y-%m-%d %H:%M").to_string(),
        format!("{date} 18:00")
    );
    assert_eq!(s.sequence, 1, "calendars see a new revision");
    assert_eq!(queued(app, booking, "session_changed").await, 1);

    // A bad time is refused plainly and changes nothing.
    let bad = app
        .post_form(
            "/api/personale_gang_flyt",
            &[
                ("session", sessions[1].to_string().as_str()),
                ("date", date.as_str()),
                ("start", "21:00"),
                ("end", "18:00"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(
        bad.location.contains("fejl=slut-foer-start"),
        "{}",
        bad.location
    );

    // Cancel the first session, then the run.
    let cancelled = app
        .post_form(
            "/api/personale_gang_aflys",
            &[
                ("session", sessions[0].to_string().as_str()),
                ("note", "Sygdom"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        cancelled.location,
        format!("/personale/hold/{run_id}?gang=aflyst#gange")
    );
    assert_eq!(queued(app, booking, "session_cancelled").await, 1);
    let unconfirmed = app
        .post_form(
            "/api/personale_hold_aflys",
            &[("run_id", run_id.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        unconfirmed.location,
        format!("/personale/hold/{run_id}?fejl=bekraeft#aflys")
    );
    assert_eq!(queued(app, booking, "run_cancelled").await, 0);
    let whole = app
        .post_form(
            "/api/personale_hold_aflys",
            &[
                ("run_id", run_id.to_string().as_str()),
                ("confirm", "ja"),
                ("note", "Vi beklager"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(whole.location, format!("/personale/hold/{run_id}?aflyst=1"));
    assert_eq!(queued(app, booking, "run_cancelled").await, 1);
    for action in ["session.move", "session.cancel", "run.cancel"] {
        assert_eq!(
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .count(&app.db)
                .await
                .expect("count"),
            1,
            "{action}"
        );
    }
});

both_backends!(rosters_and_what_staff_do_on_them, |app| {
    use entity::{BookingStatus, booking};
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, _) = published_run(app, &cookie, "1").await;
    let first = app.sign_up(run_id, "Aase", "aase@example.org").await;
    let second = app.sign_up(run_id, "Bent", "bent@example.org").await;
    let page = format!("/personale/hold/{run_id}/deltagere");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Aase") && body.contains("aase@example.org") && body.contains("Bent"));
    assert!(body.contains("Nr. 1 i køen"));

    // Sign-up by phone: consent must be confirmed; the seat rules are the form's.
    let run = run_id.to_string();
    let no_consent = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Carl"),
                ("email", "carl@example.org"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(no_consent.location, format!("{page}?fejl=samtykke#tilmeld"));
    let added = app
        .post_form(
            "/api/personale_tilmeld",
            &[
                ("run_id", run.as_str()),
                ("name", "Carl"),
                ("email", "carl@example.org"),
                ("phone", "12 34 56 78"),
                ("consent", "ja"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.location, format!("{page}?besked=tilmeldt"));
    let carl = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq("carl@example.org"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("booking");
    assert_eq!(
        carl.status,
        BookingStatus::Waitlisted,
        "the run is full: Carl waits"
    );
    assert_eq!(carl.source, "staff");
    assert_eq!(carl.booked_by_name.as_deref(), Some("Mette Holm"));

    // No free seat: nobody jumps the queue into an overbooked class.
    let full = app
        .post_form(
            "/api/personale_giv_plads",
            &[("booking_id", carl.id.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(full.location, format!("{page}?fejl=fuldt"));
    // Cancelling the seat holder passes the seat to the first in line.
    let cancelled = app
        .post_form(
            "/api/personale_afmeld",
            &[("booking_id", first.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(cancelled.location, format!("{page}?besked=afmeldt"));
    let bent = booking::Entity::find_by_id(second)
        .one(&app.db)
        .await
        .expect("query")
        .expect("b");
    assert_eq!(bent.status, BookingStatus::Confirmed);
    // Raise the seats, then give Carl one out of turn.
    let rid = run_id.to_string();
    let raised = app
        .post_form(
            "/api/personale_hold_gem",
            &[
                ("run", rid.as_str()),
                ("capacity", "3"),
                ("waitlist", "ja"),
                ("offer_hours", "24"),
                ("cancel_deadline_hours", "24"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(raised.location, format!("/personale/hold/{run_id}?gemt=1"));
    let carl = booking::Entity::find_by_id(carl.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("b");
    assert_eq!(
        carl.status,
        BookingStatus::Confirmed,
        "a raise fills seats from the queue"
    );

    // A message to everyone on the run.
    let empty = app
        .post_form(
            "/api/personale_besked",
            &[("run_id", run.as_str()), ("text", "  ")],
            Some(&cookie),
        )
        .await;
    assert_eq!(empty.location, format!("{page}?fejl=besked#besked"));
    let sent = app
        .post_form(
            "/api/personale_besked",
            &[
                ("run_id", run.as_str()),
                ("text", "Husk at tage varmt tøj på."),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.location, format!("{page}?besked=sendt&antal=2"));
    assert_eq!(queued(app, second, "run_message").await, 1);
    assert_eq!(
        queued(app, first, "run_message").await,
        0,
        "not to the cancelled booking"
    );

    // Every look and change is in the audit log.
    for action in [
        "roster.view",
        "booking.add",
        "booking.cancel",
        "run.message",
    ] {
        assert!(
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .count(&app.db)
                .await
                .expect("count")
                >= 1,
            "{action}"
        );
    }
    let (_, _, log) = get_page(app, "/personale/log", Some(&cookie)).await;
    assert!(
        log.contains("Så deltagerlisten") && log.contains("Mette Holm"),
        "{log}"
    );
});

both_backends!(a_run_is_copied_to_a_later_term, |app| {
    use entity::{RunStatus, run, run_teacher, session};
    let cookie = sign_in(app, COORDINATOR).await;
    let (run_id, _) = published_run(app, &cookie, "8").await;
    let copied = app
        .post_form(
            "/api/personale_hold_kopier",
            &[("run_id", run_id.to_string().as_str()), ("weeks", "26")],
            Some(&cookie),
        )
        .await;
    let copy: i32 = copied
        .location
        .strip_prefix("/personale/hold/")
        .and_then(|r| r.strip_suffix("?kopieret=1"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{}", copied.location));
    let c = run::Entity::find_by_id(copy)
        .one(&app.db)
        .await
        .expect("query")
        .expect("copy");
    assert_eq!(c.status, RunStatus::Draft);
    assert_eq!(c.capacity, Some(8));
    let team = |id: i32| {
        let db = app.db.clone();
        async move {
            let mut ids: Vec<i32> = run_teacher::Entity::find()
                .filter(run_teacher::Column::RunId.eq(id))
                .all(&db)
                .await
                .expect("team")
                .into_iter()
                .map(|t| t.teacher_id)
                .collect();
            ids.sort_unstable();
            ids
        }
    };
    assert_eq!(team(copy).await, team(run_id).await);
    let times = |id: i32| {
        let db = app.db.clone();
        async move {
            let mut s: Vec<session::Model> = session::Entity::find()
                .filter(session::Column::RunId.eq(id))
                .all(&db)
                .await
                .expect("sessions");
            s.sort_by_key(|s| s.starts_at);
            s.into_iter()
                .map(|s| app::rules::time::to_local(s.starts_at))
                .collect::<Vec<_>>()
        }
    };
    let (old, new) = (times(run_id).await, times(copy).await);
    assert_eq!(old.len(), new.len());
    for (o, n) in old.iter().zip(&new) {
        // 26 weeks later at the same local time, summer time or not.
        assert_eq!(*n, *o + Duration::weeks(26));
    }
});

both_backends!(rosters_are_for_the_team_and_coordinators_only, |app| {
    use entity::{run, run_teacher};
    // A Randers run that Lone Bech (the demo teacher) teaches, and one she does not.
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Lone");
    let taught: Vec<i32> = run_teacher::Entity::find()
        .filter(run_teacher::Column::TeacherId.eq(lone.id))
        .all(&app.db)
        .await
        .expect("runs")
        .into_iter()
        .map(|t| t.run_id)
        .collect();
    let randers = school_id(app, "randers").await;
    let randers_runs = run::Entity::find()
        .filter(run::Column::SchoolId.eq(randers))
        .all(&app.db)
        .await
        .expect("runs");
    let own = randers_runs
        .iter()
        .find(|r| taught.contains(&r.id))
        .expect("a run Lone teaches")
        .id;
    let other = randers_runs
        .iter()
        .find(|r| !taught.contains(&r.id))
        .expect("a run she does not")
        .id;
    let aarhus = school_id(app, "aarhus").await;
    let aarhus_coordinator = make_staff(
        app,
        "k.aarhus@example.org",
        &[(Some(aarhus), Role::Coordinator)],
    )
    .await;
    staff_account::Entity::update_many()
        .col_expr(
            staff_account::Column::TotpSecret,
            Expr::value(server::demo::DEMO_TOTP_SECRET),
        )
        .col_expr(staff_account::Column::TotpEnabled, Expr::value(true))
        .filter(staff_account::Column::Email.eq(aarhus_coordinator.0.as_str()))
        .exec(&app.db)
        .await
        .expect("totp");

    let cookies = [
        ("anonymous", None),
        ("teacher", Some(sign_in(app, TEACHER).await)),
        ("coordinator", Some(sign_in(app, COORDINATOR).await)),
        (
            "other coordinator",
            Some(sign_in(app, (&aarhus_coordinator.0, &aarhus_coordinator.1)).await),
        ),
        ("management", Some(sign_in(app, MANAGEMENT).await)),
        ("admin", Some(sign_in(app, ADMIN).await)),
    ];
    // (path, who may): the roster of her run, of another run, and the editors.
    let checks: [(String, &[&str]); 5] = [
        (
            format!("/personale/hold/{own}/deltagere"),
            &["teacher", "coordinator"],
        ),
        (
            format!("/personale/hold/{other}/deltagere"),
            &["coordinator"],
        ),
        (
            format!("/personale/hold/{own}"),
            &["teacher", "coordinator", "admin"],
        ),
        (
            format!("/personale/hold/{other}"),
            &["coordinator", "admin"],
        ),
        (
            "/personale/hold/ny".to_string(),
            &["teacher", "coordinator", "other coordinator", "admin"],
        ),
    ];
    for (path, may) in &checks {
        for (who, cookie) in &cookies {
            let (status, location, _) = get_page(app, path, cookie.as_deref()).await;
            let expected = if cookie.is_none() {
                Outcome::SignIn
            } else if may.contains(who) {
                Outcome::Allowed
            } else {
                Outcome::Forbidden
            };
            assert_eq!(outcome(status, &location), expected, "GET {path} as {who}");
        }
    }
    // Changes on another's run are refused just the same.
    let other_text = other.to_string();
    for (who, cookie) in &cookies[1..] {
        let posted = app
            .post_form(
                "/api/personale_besked",
                &[("run_id", other_text.as_str()), ("text", "Hej")],
                cookie.as_deref(),
            )
            .await;
        let expected = if *who == "coordinator" {
            Outcome::Allowed
        } else {
            Outcome::Forbidden
        };
        assert_eq!(
            outcome(posted.status, &posted.location),
            expected,
            "message as {who}"
        );
        let posted = app
            .post_form(
                "/api/personale_hold_aflys",
                &[("run_id", other_text.as_str()), ("confirm", "nej")],
                cookie.as_deref(),
            )
            .await;
        let expected = if matches!(*who, "coordinator" | "admin") {
            Outcome::Allowed
        } else {
            Outcome::Forbidden
        };
        assert_eq!(
            outcome(posted.status, &posted.location),
            expected,
            "cancel as {who}"
        );
    }
});

/// A real 16×9 PNG, to upload.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAE0lEQVR42mOwqs0jCTGMahgUGgDh5KTRoHfblAAAAABJRU5ErkJggg==";

fn png_bytes() -> Vec<u8> {
    data_encoding::BASE64.decode(PNG.as_bytes()).expect("png")
}

/// The same PNG with a text chunk naming where it was taken, as some cameras write.
fn png_with_location() -> Vec<u8> {
    let png = png_bytes();
    let text = b"Location\0Vestergade 12, Randers";
    let mut chunk = u32::try_from(text.len())
        .expect("len")
        .to_be_bytes()
        .to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&[0; 4]);
    // After the signature (8 bytes) and the IHDR chunk (25 bytes).
    [&png[..33], &chunk, &png[33..]].concat()
}

/// Posts the picture form as a browser does (multipart), and returns status and `Location`.
async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "billede",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let mut request = app
        .client
        .post(format!("{}/personale/billede", app.base))
        .multipart(form);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.expect("upload");
    let location = common::location_of(&response);
    (response.status().as_u16(), location)
}

async fn course_by_id(app: &TestApp, id: i32) -> entity::course::Model {
    entity::course::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("course")
}

async fn images(app: &TestApp) -> u64 {
    entity::image::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// The id in `/personale/kurser/<id>?…`.
fn course_id_in(location: &str) -> i32 {
    location
        .strip_prefix("/personale/kurser/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a course page, got {location:?}"))
}

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
        .count(&app.db)
        .await
        .expect("count");
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
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(chosen, 0);
    assert_eq!(
        post(base("Sov bedre.", "offentliggoer")()).await,
        format!("/personale/kurser/{id}?offentliggjort=1")
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

    // Developers: added once, shown on the course page, removed again.
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Lone");
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
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(developers, 1);
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
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(developers, 0);
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
    assert_eq!(served.bytes().await.expect("bytes").to_vec(), png_bytes());
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

both_backends!(teachers_edit_their_own_profile, |app| {
    use entity::audit_log;
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Lone");
    let randers = school_id(app, "randers").await;
    let colleague = teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(randers))
        .filter(teacher::Column::Id.ne(lone.id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a colleague");
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
            .count(&app.db)
            .await
            .expect("count")
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
