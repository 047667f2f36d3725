//! Runs: publishing keeps the co-production rule, moving and cancelling tell everyone, and a run
//! is copied to a later term.

use super::*;

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
            .found(&app.db, "run")
            .await
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
        .found(&app.db, "session")
        .await;
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
                .counted(&app.db)
                .await,
            1,
            "{action}"
        );
    }
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
    let c = run::Entity::find_by_id(copy).found(&app.db, "copy").await;
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
