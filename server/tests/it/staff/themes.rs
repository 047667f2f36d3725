//! Themes kept by administrators: only they reach the page; a theme is created, refused with
//! what was typed kept, renamed (the old slug redirects with 301 and cannot be taken by another
//! theme) and retired (it leaves the catalogue's choices, stays on its courses); all in the log.

use crate::common::Found;
use crate::common::staff::*;
use entity::{audit_log, course, course_theme, theme};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

both_backends!(administrators_keep_the_themes, |app| {
    let admin = sign_in(app, ADMIN).await;
    let coordinator = sign_in(app, COORDINATOR).await;
    assert_eq!(
        get_page(app, "/personale/temaer", Some(&coordinator))
            .await
            .0,
        403
    );
    let refused = app
        .post_form(
            "/api/personale_tema_gem",
            &[("name_da", "Ensomhed")],
            Some(&coordinator),
        )
        .await;
    assert_eq!(refused.status, 403);
    let (status, _, page) = get_page(app, "/personale/temaer", Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Søvn og hvile") && page.contains("Bruges af"));
    assert!(page.contains(r#"href="/personale/temaer""#), "in the menu");

    let save = |fields: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form("/api/personale_tema_gem", &refs, Some(&admin))
                .await
        }
    };
    // No name: refused in Danish, and what was typed comes back.
    let empty = save(vec![
        ("name_da", "  ".into()),
        ("name_en", "Loneliness".into()),
    ])
    .await;
    assert_eq!(empty.location, "/personale/temaer?fejl=navn#nyt-tema");
    let kept = empty.cookies.join("; ");
    let (_, _, page) = get_page(
        app,
        "/personale/temaer?fejl=navn",
        Some(&format!("{admin}; {kept}")),
    )
    .await;
    assert!(page.contains("Skriv et navn."));
    assert!(page.contains(r#"value="Loneliness""#), "typed kept");

    let created = save(vec![("name_da", "Ensomhed og fællesskab".into())]).await;
    let new = theme::Entity::find()
        .filter(theme::Column::Slug.eq("ensomhed-og-faellesskab"))
        .found(&app.db, "new theme")
        .await;
    assert_eq!(
        created.location,
        format!("/personale/temaer?gemt=1#tema-{}", new.id)
    );
    assert_eq!(new.name_en, "Ensomhed og fællesskab");
    assert!(!new.retired);
    let taken = save(vec![
        ("name_da", "Søvn igen".into()),
        ("slug", "soevn".into()),
    ])
    .await;
    assert_eq!(
        taken.location,
        "/personale/temaer?fejl=adresse-brugt#nyt-tema"
    );

    // Renamed with a new slug: old links lead to it, and no other theme can take the old one.
    let sleep = theme::Entity::find()
        .filter(theme::Column::Slug.eq("soevn"))
        .found(&app.db, "soevn")
        .await;
    let renamed = save(vec![
        ("id", sleep.id.to_string()),
        ("name_da", "Søvn og ro".into()),
        ("name_en", "Sleep and calm".into()),
        ("slug", "soevn-og-ro".into()),
    ])
    .await;
    assert_eq!(
        renamed.location,
        format!("/personale/temaer?gemt=1#tema-{}", sleep.id)
    );
    let old = app
        .client
        .get(format!("{}/?tema=soevn&skole=randers", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(old.status().as_u16(), 301);
    assert_eq!(
        crate::common::header(&old, "location"),
        "/?tema=soevn-og-ro&skole=randers"
    );
    let (status, now) = app.get("/?tema=soevn-og-ro").await;
    assert_eq!(status, 200);
    assert!(now.contains("Søvn og ro"));
    assert!(
        now.contains(r#"value="soevn-og-ro""#),
        "a choice in the filter"
    );
    let again = save(vec![("name_da", "Søvn".into()), ("slug", "soevn".into())]).await;
    assert_eq!(
        again.location,
        "/personale/temaer?fejl=adresse-brugt#nyt-tema"
    );

    // Retired: no longer a choice in the catalogue, still on the course that has it.
    let retired = app
        .post_form(
            "/api/personale_tema_pensioner",
            &[("id", sleep.id.to_string().as_str()), ("retire", "ja")],
            Some(&admin),
        )
        .await;
    assert_eq!(
        retired.location,
        format!("/personale/temaer?pensioneret=1#tema-{}", sleep.id)
    );
    let (_, front) = app.get("/").await;
    assert!(!front.contains(r#"value="soevn-og-ro""#));
    let link = course_theme::Entity::find()
        .filter(course_theme::Column::ThemeId.eq(sleep.id))
        .found(&app.db, "a course with the theme")
        .await;
    let c = course::Entity::find_by_id(link.course_id)
        .found(&app.db, "course")
        .await;
    let (status, page) = app.get(&format!("/kurser/{}", c.slug)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Søvn og ro"));

    let logged: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("theme."))
        .rows(&app.db)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        logged,
        ["theme.created", "theme.changed", "theme.retired"],
        "every change is logged"
    );
});
