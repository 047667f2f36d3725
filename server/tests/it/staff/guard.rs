//! The cross-site request guard: a post from another site is refused before it changes
//! anything.

use super::*;

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
    let before = entity::booking::Entity::find().counted(&app.db).await;
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
        entity::booking::Entity::find().counted(&app.db).await,
        before
    );
});
