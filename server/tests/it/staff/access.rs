//! The authorisation matrix: every staff page and every call, for every kind of person, gives
//! what their roles allow and nothing more.

use super::*;

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

both_backends!(authorisation_matrix, |app| {
    let randers = school_id(app, "randers").await;
    let aarhus = school_id(app, "aarhus").await;
    // The Aarhus coordinator uses the authenticator app too.
    let other_coordinator = make_coordinator(app, "koordinator.aarhus@example.org", aarhus).await;
    let other_teacher = make_staff(
        app,
        "underviser.aarhus@example.org",
        &[(Some(aarhus), Role::Teacher)],
    )
    .await;
    let aarhus_teacher = teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(aarhus))
        .found(&app.db, "teacher")
        .await;
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(other_teacher.0.as_str()))
        .found(&app.db, "account")
        .await;
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
    // An API key reads rosters: the school's coordinator only, not an administrator.
    let keys_randers = |w: Who| w == Who::Coordinator;

    let only_admin = |w: Who| w == Who::Admin;
    // Pages: (path, who may open it).
    let pages: Vec<(String, May)> = vec![
        ("/personale".into(), &signed_in),
        ("/personale/konto".into(), &signed_in),
        ("/personale/personale".into(), &manages_any),
        ("/personale/log".into(), &manages_any),
        ("/personale/integrationer".into(), &manages_any),
        ("/personale/totp".into(), &signed_in),
        ("/personale/temaer".into(), &only_admin),
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
    let actions: Vec<Call> = vec![
        ("/api/personale_temaer", vec![], &only_admin),
        (
            "/api/personale_tema_gem",
            fields_of(&[("name_da", "Matrix-tema")]),
            &only_admin,
        ),
        (
            "/api/personale_tema_pensioner",
            fields_of(&[("id", "1"), ("retire", "ja")]),
            &only_admin,
        ),
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
            &keys_randers,
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

    // Schools and places: administrators create and close schools; a school's coordinators
    // (and administrators) change its details and places.
    let randers_place = entity::location::Entity::find()
        .filter(entity::location::Column::SchoolId.eq(randers))
        .found(&app.db, "a Randers place")
        .await;
    let place_text = randers_place.id.to_string();
    let school_pages: Vec<(String, May)> = vec![
        ("/personale/skoler".into(), &manages_any),
        ("/personale/skoler/ny".into(), &only_admin),
        (format!("/personale/skoler/{randers}"), &manages_randers),
        (
            format!("/personale/skoler/{randers}/steder/ny"),
            &manages_randers,
        ),
        (
            format!("/personale/skoler/{randers}/steder/{place_text}"),
            &manages_randers,
        ),
    ];
    check_pages(app, &cookies, &school_pages).await;
    let randers_model = entity::school::Entity::find_by_id(randers)
        .found(&app.db, "randers")
        .await;
    let serde_json::Value::Object(own) =
        serde_json::to_value(app::services::staff::schools::form_of(&randers_model)).expect("json")
    else {
        panic!("an object");
    };
    let own_school: Vec<(String, String)> = own
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect();
    let mut new_school = own_school.clone();
    new_school.retain(|(k, _)| k != "id" && k != "slug" && k != "name");
    new_school.push(("name".into(), "Matrixskolen".into()));
    let place = [
        ("school", randers_text.as_str()),
        ("name", "Matrixstedet"),
        ("street", "Torvet 1"),
        ("postal_code", "8900"),
        ("city", "Randers C"),
        ("step_free", "ja"),
    ];
    let school_actions: Vec<Call> = vec![
        ("/api/personale_skoler", vec![], &manages_any),
        (
            "/api/personale_skole",
            fields_of(&[("id", randers_text.as_str())]),
            &manages_randers,
        ),
        (
            "/api/personale_skole",
            fields_of(&[("id", "0")]),
            &only_admin,
        ),
        ("/api/personale_skole_gem", own_school, &manages_randers),
        ("/api/personale_skole_gem", new_school, &only_admin),
        (
            "/api/personale_skole_luk",
            fields_of(&[("id", randers_text.as_str()), ("close", "ja")]),
            &only_admin,
        ),
        (
            "/api/personale_sted",
            fields_of(&[("school", randers_text.as_str()), ("id", "0")]),
            &manages_randers,
        ),
        (
            "/api/personale_sted_gem",
            fields_of(&place),
            &manages_randers,
        ),
        (
            "/api/personale_sted_pensioner",
            fields_of(&[("id", place_text.as_str()), ("retire", "")]),
            &manages_randers,
        ),
        (
            "/api/personale_sted_slet",
            fields_of(&[("id", place_text.as_str())]),
            &manages_randers,
        ),
    ];
    check_calls(app, &cookies, &school_actions).await;
    assert!(
        !entity::school::Entity::find_by_id(randers)
            .found(&app.db, "randers")
            .await
            .closed,
        "a school with runs to come stays open"
    );
    assert!(
        entity::location::Entity::find_by_id(randers_place.id)
            .one(&app.db)
            .await
            .expect("read")
            .is_some(),
        "a used place is not deleted"
    );

    // The course editor and teacher profiles. Lone (the demo teacher) develops some Randers
    // courses and not others; whether the Aarhus teacher develops any decides their list.
    let lone = teacher::Entity::find()
        .filter(teacher::Column::Name.eq("Lone Bech"))
        .found(&app.db, "Lone")
        .await;
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
        .found(&app.db, "a Randers course Lone does not develop")
        .await;
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
        .found(&app.db, "role")
        .await
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
