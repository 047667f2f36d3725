//! Single sign-on with the region's identity provider, against a real OpenID Connect provider
//! on loopback: a coordinator whose provider checked MFA is signed in; without MFA at the
//! provider the local second factor is still asked for; an unknown e-mail, a replayed answer,
//! a wrong nonce and an answer in another browser are refused; signing out ends the session.

use super::*;
use crate::common::oidc::Idp;

/// Where the provider sends people back: the test app's public URL has no port, so the test
/// takes the answer from the provider's `Location` and brings it to the app itself.
const CALLBACK: &str = "http://127.0.0.1/personale/log-ind/sso/svar";

/// A browser: its own cookies, no automatic redirects.
fn browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "accept",
        reqwest::header::HeaderValue::from_static("text/html"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Presses "Log ind med regionens login" and follows the provider until it sends the browser
/// back; returns the address it sends it back to (on the test app's port).
async fn to_provider_and_back(app: &TestApp, browser: &reqwest::Client) -> String {
    let start = browser
        .post(format!("{}/personale/log-ind/sso", app.base))
        .form(&[("til", "/personale")])
        .send()
        .await
        .expect("start");
    assert_eq!(start.status().as_u16(), 303);
    let mut url = reqwest::Url::parse(&common::location_of(&start)).expect("provider address");
    for _ in 0..10 {
        let response = browser.get(url.clone()).send().await.expect("provider");
        assert!(
            response.status().is_redirection(),
            "the provider redirects: {} {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
        let next = url.join(&common::location_of(&response)).expect("location");
        if next.as_str().starts_with(CALLBACK) {
            return format!(
                "{}/personale/log-ind/sso/svar?{}",
                app.base,
                next.query().unwrap_or_default()
            );
        }
        url = next;
    }
    panic!("the provider never sent the browser back");
}

/// Brings the provider's answer to the app: the status, where it sends the browser, and
/// whether a staff session cookie was set.
async fn answer(browser: &reqwest::Client, back: &str) -> (u16, String, bool) {
    let response = browser.get(back).send().await.expect("answer");
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with(&format!("{COOKIE}=")) && !c.contains("Max-Age=0"));
    (
        response.status().as_u16(),
        common::location_of(&response),
        session,
    )
}

async fn sso(backend: Backend) {
    let idp = Idp::start(&[CALLBACK]);
    let app = spawn_app_configured(backend, true, |c| c.oidc = Some(idp.config())).await;

    // The sign-in page offers the region's login beside the local form, and its policy lets
    // the form's answer lead to the provider.
    let page = app
        .client
        .get(format!("{}/personale/log-ind", app.base))
        .send()
        .await
        .expect("page");
    let policy = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        policy.contains(&format!("form-action 'self' {}", idp.issuer)),
        "{policy}"
    );
    let page = page.text().await.expect("body");
    assert!(page.contains("Log ind med regionens login"), "{page}");
    assert!(page.contains(r#"action="/personale/log-ind/sso""#));

    // A coordinator whose provider checked a second factor is signed in all the way.
    idp.next(COORDINATOR.0, &["pwd", "mfa"], true).await;
    let alice = browser();
    let back = to_provider_and_back(&app, &alice).await;
    let (status, location, session) = answer(&alice, &back).await;
    assert_eq!(
        (status, location.as_str(), session),
        (303, "/personale", true)
    );
    let home = alice
        .get(format!("{}/personale", app.base))
        .send()
        .await
        .expect("home");
    assert_eq!(home.status().as_u16(), 200);
    assert!(home.text().await.expect("body").contains("Hej Mette Holm"));

    // The same answer a second time (a replayed state) signs nobody in.
    let replay = browser();
    let (_, location, session) = answer(&replay, &back).await;
    assert_eq!(location, "/personale/log-ind?fejl=sso-fejl");
    assert!(!session);
    let (_, location, session) = answer(&alice, &back).await;
    assert_eq!(
        (location.as_str(), session),
        ("/personale/log-ind?fejl=sso-fejl", false)
    );

    // Signing out ends the local session.
    let out = alice
        .post(format!("{}/api/personale_log_ud", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/", app.base))
        .form(&[("", "")][..0])
        .send()
        .await
        .expect("sign out");
    assert!(
        out.status().is_redirection(),
        "{} {:?}",
        out.status(),
        out.headers()
    );
    assert_eq!(common::location_of(&out), "/personale/log-ind?ud=1");
    let home = alice
        .get(format!("{}/personale", app.base))
        .send()
        .await
        .expect("home");
    assert_eq!(home.status().as_u16(), 302, "signed out");

    // Without MFA at the provider, the coordinator's own authenticator code is asked for.
    idp.next(COORDINATOR.0, &["pwd"], true).await;
    let bob = browser();
    let back = to_provider_and_back(&app, &bob).await;
    let (_, location, session) = answer(&bob, &back).await;
    assert_eq!(location, "/personale/log-ind/kode");
    assert!(session, "a session at the code step");
    let home = bob
        .get(format!("{}/personale", app.base))
        .send()
        .await
        .expect("home");
    assert_eq!(common::location_of(&home), "/personale/log-ind/kode");

    // An e-mail no staff account has is refused; so is one the provider has not verified.
    for (email, verified) in [("ukendt@region.example", true), (COORDINATOR.0, false)] {
        idp.next(email, &["pwd", "mfa"], verified).await;
        let someone = browser();
        let back = to_provider_and_back(&app, &someone).await;
        let (_, location, session) = answer(&someone, &back).await;
        assert_eq!(
            (location.as_str(), session),
            ("/personale/log-ind?fejl=sso-ukendt", false),
            "{email} verified={verified}"
        );
    }

    // An ID token whose nonce is not the one on file is refused.
    idp.next(COORDINATOR.0, &["pwd", "mfa"], true).await;
    let carol = browser();
    let back = to_provider_and_back(&app, &carol).await;
    entity::sso_login::Entity::update_many()
        .col_expr(
            entity::sso_login::Column::Nonce,
            Expr::value("en-anden-nonce"),
        )
        .exec(&app.db)
        .await
        .expect("change the nonce on file");
    let (_, location, session) = answer(&carol, &back).await;
    assert_eq!(
        (location.as_str(), session),
        ("/personale/log-ind?fejl=sso-fejl", false)
    );

    // An answer brought to another browser than the one that asked is refused.
    idp.next(COORDINATOR.0, &["pwd", "mfa"], true).await;
    let dave = browser();
    let back = to_provider_and_back(&app, &dave).await;
    let (_, location, session) = answer(&browser(), &back).await;
    assert_eq!(
        (location.as_str(), session),
        ("/personale/log-ind?fejl=sso-fejl", false)
    );

    // Every started sign-in is used up or expires.
    idp.next(COORDINATOR.0, &["pwd", "mfa"], true).await;
    let _ = to_provider_and_back(&app, &browser()).await;
    let later = Utc::now() + Duration::minutes(app::services::staff::sso::LOGIN_MINUTES + 1);
    app::services::staff::sso::purge(&app.db, later)
        .await
        .expect("purge");
    assert_eq!(
        entity::sso_login::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    app.stop().await;
}

both_backends!(sso);

/// Without a provider configured there is no button, and the routes are not there.
#[tokio::test]
async fn without_a_provider_there_is_only_the_local_form() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let page = app
        .client
        .get(format!("{}/personale/log-ind", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(!page.contains("regionens login"));
    let start = app
        .client
        .post(format!("{}/personale/log-ind/sso", app.base))
        .form(&[("til", "/personale")])
        .send()
        .await
        .expect("start");
    assert_eq!(start.status().as_u16(), 404);
    app.stop().await;
}
