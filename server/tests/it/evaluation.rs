//! The evaluation over HTTP: the questionnaire behind the single-use link, answers stored with
//! no way back to the person, refused links (spent, expired, of another kind), bad answers,
//! paper forms typed in by staff, and a course's own questions.

use crate::common::Found;
use crate::common::TestApp;
use crate::common::question;
use crate::common::staff::*;
use app::services::tokens::{self, Purpose};
use chrono::{Duration, Utc};
use entity::{
    access_token, audit_log, booking, evaluation_answer, evaluation_question, evaluation_response,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

/// A finished Randers run with Aase and Bent, and an evaluation link for each.
async fn finished_run(app: &TestApp) -> (i32, [(i32, String); 2]) {
    let run_id = randers_run(app, 1).await;
    let aase = app.sign_up(run_id, "Aase", "aase@example.org").await;
    let bent = app.sign_up(run_id, "Bent", "bent@example.org").await;
    held(app, run_id, Utc::now() - Duration::days(2)).await;
    let link = |b: i32, email: &'static str| async move {
        tokens::issue(&app.db, Purpose::Evaluation, email, Some(b), Utc::now())
            .await
            .expect("token")
    };
    (
        run_id,
        [
            (aase, link(aase, "aase@example.org").await),
            (bent, link(bent, "bent@example.org").await),
        ],
    )
}

/// The responses to a run (the demo has its own for past runs).
async fn responses(app: &TestApp, run_id: i32) -> Vec<evaluation_response::Model> {
    evaluation_response::Entity::find()
        .filter(evaluation_response::Column::RunId.eq(run_id))
        .rows(&app.db)
        .await
}

/// The column names of a table, as the database has them.
async fn columns(app: &TestApp, table: &str) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => format!("SELECT name AS c FROM pragma_table_info('{table}')"),
        _ => format!(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_name = '{table}'"
        ),
    };
    let mut names: Vec<String> = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("columns")
        .iter()
        .map(|row| row.try_get::<String>("", "c").expect("name"))
        .collect();
    names.sort();
    names
}

both_backends!(answers_cannot_be_traced_to_a_person, |app| {
    let (run_id, [(aase, aase_link), (bent, bent_link)]) = finished_run(app).await;
    let page = format!("/evaluering/{aase_link}");
    let (status, body) = app.get(&page).await;
    assert_eq!(status, 200);
    for text in [
        "Kurset har givet mig mere håb for fremtiden.",
        "Det betød noget for mig, at en af underviserne har egen erfaring.",
        "Hvad tager du med dig fra kurset?",
        "Ved ikke",
        "Send mine svar",
    ] {
        assert!(body.contains(text), "{text}");
    }
    let (hope, recommend, takeaway) = (
        question(app, "hope").await,
        question(app, "recommend").await,
        question(app, "takeaway").await,
    );
    let (k_hope, k_recommend, k_takeaway) = (
        format!("q[q{hope}]"),
        format!("q[q{recommend}]"),
        format!("q[q{takeaway}]"),
    );

    // An answer outside the scale is explained; nothing is stored and the link still works.
    let odd = app
        .post_form(
            "/api/evaluering_svar",
            &[("token", aase_link.as_str()), (&k_hope, "7")],
            None,
        )
        .await;
    assert_eq!(odd.location, format!("{page}?fejl=svar#fejl"));
    assert!(responses(app, run_id).await.is_empty());
    let (_, body) = app.get(&format!("{page}?fejl=svar")).await;
    assert!(body.contains("Et af svarene kunne ikke læses"));

    let sent = app
        .post_form(
            "/api/evaluering_svar",
            &[
                ("token", aase_link.as_str()),
                (&k_hope, "5"),
                (&k_recommend, "0"),
                (&k_takeaway, "At jeg ikke er alene"),
            ],
            None,
        )
        .await;
    assert_eq!(sent.location, "/evaluering/tak");
    let stored = responses(app, run_id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].run_id, stored[0].source.as_str()),
        (run_id, "web")
    );
    let answers = evaluation_answer::Entity::find()
        .filter(evaluation_answer::Column::ResponseId.eq(stored[0].id.clone()))
        .rows(&app.db)
        .await;
    assert_eq!(answers.len(), 3);
    assert!(
        answers
            .iter()
            .any(|a| a.question_id == hope && a.value == Some(5))
    );
    assert!(
        answers
            .iter()
            .any(|a| a.question_id == recommend && a.value == Some(0)),
        "ved ikke is kept as an answer"
    );
    assert!(answers.iter().any(
        |a| a.question_id == takeaway && a.text.as_deref() == Some("At jeg ikke er alene")
    ));

    // Nothing in a response or an answer points to a booking, an e-mail or a moment.
    assert_eq!(
        columns(app, "evaluation_response").await,
        ["id", "run_id", "source"]
    );
    assert_eq!(
        columns(app, "evaluation_answer").await,
        ["question_id", "response_id", "text", "value"]
    );
    assert_eq!(stored[0].id.len(), 32);
    // The spent link forgets whose it was and when it was used: no booking, no e-mail, and the
    // moment of issuing for the moment of spending.
    assert!(
        access_token::Entity::find()
            .filter(access_token::Column::BookingId.eq(aase))
            .rows(&app.db)
            .await
            .is_empty()
    );
    let spent: Vec<access_token::Model> = access_token::Entity::find()
        .filter(access_token::Column::Purpose.eq("evaluation"))
        .filter(access_token::Column::UsedAt.is_not_null())
        .filter(access_token::Column::TokenHash.eq(tokens::hash(&aase_link)))
        .rows(&app.db)
        .await;
    assert_eq!(spent.len(), 1);
    assert_eq!(
        (spent[0].booking_id, spent[0].email_key.as_str()),
        (None, "")
    );
    assert_eq!(spent[0].used_at, Some(spent[0].created_at));

    // The link works once.
    let again = app
        .post_form(
            "/api/evaluering_svar",
            &[("token", aase_link.as_str()), (&k_hope, "1")],
            None,
        )
        .await;
    assert_eq!(again.location, page);
    assert_eq!(responses(app, run_id).await.len(), 1);
    let (status, body) = app.get(&page).await;
    assert_eq!(status, 404);
    assert!(body.contains("Linket virker ikke længere"));

    // An expired link and a link of another kind are refused and store nothing.
    access_token::Entity::update_many()
        .col_expr(
            access_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(access_token::Column::BookingId.eq(bent))
        .exec(&app.db)
        .await
        .expect("expire");
    let manage = tokens::issue(
        &app.db,
        Purpose::Manage,
        "bent@example.org",
        None,
        Utc::now(),
    )
    .await
    .expect("manage link");
    for link in [&bent_link, &manage] {
        assert_eq!(app.get(&format!("/evaluering/{link}")).await.0, 404);
        let refused = app
            .post_form(
                "/api/evaluering_svar",
                &[("token", link.as_str()), (&k_hope, "4")],
                None,
            )
            .await;
        assert_eq!(refused.location, format!("/evaluering/{link}"));
    }
    assert_eq!(app.get("/evaluering/ikke-et-link").await.0, 404);
    assert_eq!(responses(app, run_id).await.len(), 1);
    assert_eq!(
        booking::Entity::find_by_id(bent)
            .one(&app.db)
            .await
            .expect("query")
            .map(|b| b.name),
        Some("Bent".to_string()),
        "refusals change nothing stored"
    );

    // An all-empty questionnaire is a response too (every question is optional).
    let fresh = tokens::issue(
        &app.db,
        Purpose::Evaluation,
        "bent@example.org",
        Some(bent),
        Utc::now(),
    )
    .await
    .expect("token");
    let empty = app
        .post_form("/api/evaluering_svar", &[("token", fresh.as_str())], None)
        .await;
    assert_eq!(empty.location, "/evaluering/tak");
    let keys: Vec<String> = responses(app, run_id)
        .await
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
    let (status, body) = app.get("/evaluering/tak").await;
    assert_eq!(status, 200);
    assert!(body.contains("Tak for dine svar"));
});

both_backends!(paper_forms_and_course_questions, |app| {
    let (run_id, [(_, link), _]) = finished_run(app).await;
    let cookie = sign_in(app, COORDINATOR).await;
    let hope = question(app, "hope").await;
    let k_hope = format!("q[q{hope}]");
    let run = run_id.to_string();

    let page = format!("/personale/hold/{run_id}/evaluering");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Svar indtil nu: 0 fra linket og 0 fra papir."));
    let empty = app
        .post_form(
            "/api/personale_evaluering_papir_gem",
            &[("run_id", run.as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(empty.location, format!("{page}?fejl=tom#fejl"));
    let saved = app
        .post_form(
            "/api/personale_evaluering_papir_gem",
            &[("run_id", run.as_str()), (&k_hope, "4")],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.location, format!("{page}?besked=gemt#besked"));
    let stored = responses(app, run_id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].source, "paper");
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("evaluation.paper"))
        .rows(&app.db)
        .await;
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].detail, "",
        "the log says a form was typed in, not what"
    );
    let (_, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert!(body.contains("0 fra linket og 1 fra papir"));
    // A teacher who is not on the run's team cannot type in forms.
    let teacher = sign_in(app, TEACHER).await;
    assert_eq!(get_page(app, &page, Some(&teacher)).await.0, 403);
    let refused = app
        .post_form(
            "/api/personale_evaluering_papir_gem",
            &[("run_id", run.as_str()), (&k_hope, "1")],
            Some(&teacher),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(responses(app, run_id).await.len(), 1);

    // The course's own question is asked after the default set.
    let course_id = entity::run::Entity::find_by_id(run_id)
        .found(&app.db, "run")
        .await
        .course_id;
    let course = course_id.to_string();
    let questions = format!("/personale/kurser/{course_id}/evaluering");
    for (fields, code) in [
        (vec![("text", "  "), ("kind", "likert")], "tekst#ny"),
        (
            vec![("text", "Var lokalet godt?"), ("kind", "recommend")],
            "type#ny",
        ),
    ] {
        let mut all = vec![("course_id", course.as_str())];
        all.extend(fields);
        let posted = app
            .post_form("/api/personale_kursus_spoergsmaal_ny", &all, Some(&cookie))
            .await;
        assert_eq!(posted.location, format!("{questions}?fejl={code}"));
    }
    let added = app
        .post_form(
            "/api/personale_kursus_spoergsmaal_ny",
            &[
                ("course_id", course.as_str()),
                ("text", "Var lokalet godt at være i?"),
                ("kind", "likert"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        added.location,
        format!("{questions}?besked=tilfoejet#besked")
    );
    let (_, body) = app.get(&format!("/evaluering/{link}")).await;
    let own = body.find("Var lokalet godt at være i?").expect("asked");
    let default = body.find("mere håb for fremtiden").expect("asked");
    let free_text = body.find("Hvad tager du med dig").expect("asked");
    assert!(
        default < own && own < free_text,
        "order: defaults, own, free text"
    );

    // Retiring it: no longer asked. A default question cannot be retired.
    let own_id = evaluation_question::Entity::find()
        .filter(evaluation_question::Column::CourseId.eq(course_id))
        .found(&app.db, "own question")
        .await
        .id;
    let retired = app
        .post_form(
            "/api/personale_kursus_spoergsmaal_fjern",
            &[("question_id", own_id.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        retired.location,
        format!("{questions}?besked=fjernet#besked")
    );
    let (_, body) = app.get(&format!("/evaluering/{link}")).await;
    assert!(!body.contains("Var lokalet godt at være i?"));
    let default_retire = app
        .post_form(
            "/api/personale_kursus_spoergsmaal_fjern",
            &[("question_id", hope.to_string().as_str())],
            Some(&cookie),
        )
        .await;
    assert_eq!(default_retire.status, 404);
    assert_eq!(
        evaluation_question::Entity::find()
            .filter(evaluation_question::Column::Active.eq(true))
            .filter(evaluation_question::Column::CourseId.is_null())
            .counted(&app.db)
            .await,
        12
    );
    // Management cannot change a course's questions.
    let management = sign_in(app, MANAGEMENT).await;
    assert_eq!(get_page(app, &questions, Some(&management)).await.0, 403);
});

both_backends!(rows_keep_no_order_of_arrival_or_time_of_answering, |app| {
    use app::rules::evaluation::Answer;
    use app::services::evaluation::{self, day_of};
    use app::services::webhooks::{self as hooks, Event};
    let (run_id, [(aase, _), _]) = finished_run(app).await;
    let randers = school_id(app, "randers").await;
    hooks::create(
        &app.db,
        randers,
        "https://hooks.example.org/skole",
        &[Event::EvaluationSubmitted],
        1,
        Utc::now(),
    )
    .await
    .expect("webhook");
    let hope = question(app, "hope").await;
    let now = Utc::now();
    for i in 0..8 {
        let link = tokens::issue(
            &app.db,
            Purpose::Evaluation,
            "aase@example.org",
            Some(aase),
            now,
        )
        .await
        .expect("token");
        assert!(
            evaluation::submit(
                &app.db,
                &link,
                run_id,
                &[(hope, Answer::Choice(1 + i % 5))],
                now
            )
            .await
            .expect("submit")
        );
    }

    // Partners hear of an answer from the link at the next midnight, stamped with it.
    let told: Vec<entity::outbox_message::Model> = entity::outbox_message::Entity::find()
        .filter(entity::outbox_message::Column::Kind.eq("webhook"))
        .filter(entity::outbox_message::Column::Payload.contains("evaluation.submitted"))
        .rows(&app.db)
        .await;
    assert_eq!(told.len(), 8);
    let midnight = day_of(now) + Duration::days(1);
    for row in &told {
        assert_eq!(row.next_attempt_at, midnight);
        assert_eq!(row.created_at, midnight);
        let body: serde_json::Value = serde_json::from_str(&row.payload).expect("json");
        assert_eq!(
            body["created_at"],
            midnight.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
    }

    // Stored in the order of the random keys, not of arrival: SQLite keeps no rowid, and the
    // jobs put PostgreSQL's rows back in key order.
    server::jobs::run_once(&app.db, &app.config).await;
    let backend = app.db.get_database_backend();
    let physical = |sql: String| async move {
        app.db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("read")
            .iter()
            .map(|row| row.try_get::<String>("", "k").expect("key"))
            .collect::<Vec<String>>()
    };
    // In the order the rows are stored: SQLite's table scan, PostgreSQL's row positions.
    for (table, key, extra) in [
        ("evaluation_response", "id", "source"),
        ("evaluation_answer", "response_id", "text"),
    ] {
        let sql = if backend == DbBackend::Sqlite {
            // `source` and `text` are in no index, so SQLite reads the table itself.
            format!("SELECT {key} AS k, {extra} FROM {table} NOT INDEXED")
        } else {
            format!("SELECT {key} AS k FROM {table} ORDER BY ctid")
        };
        let keys = physical(sql.clone()).await;
        let mut sorted = keys.clone();
        sorted.sort();
        assert!(keys.len() >= 8, "{sql}");
        assert_eq!(keys, sorted, "{sql}");
    }
    if backend == DbBackend::Sqlite {
        for table in ["evaluation_response", "evaluation_answer"] {
            assert!(
                app.db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT rowid FROM {table}")
                    ))
                    .await
                    .is_err(),
                "{table} has no rowid"
            );
        }
    }
});

/// Every figure in the result tables' cells: a number of people must be 0 or at least 5.
fn no_figure_under_five(page: &str) {
    for cell in page.split("<td>").skip(1) {
        let text = cell.split('<').next().unwrap_or_default().trim();
        if let Ok(n) = text.parse::<u64>() {
            assert!(n == 0 || n >= 5, "a figure of {n} people is shown");
        }
    }
}

both_backends!(a_team_sees_its_own_results_pooled_until_five, |app| {
    use app::rules::evaluation::Answer;
    use app::services::evaluation::save_paper;
    let cookie = sign_in(app, COORDINATOR).await;
    let learned = question(app, "learned").await;
    let takeaway = question(app, "takeaway").await;
    let knowledge = question(app, "recovery_knowledge").await;
    // Two runs of the same course, the later one newest of all (the demo's past runs are older).
    let before = randers_run(app, 1).await;
    held(app, before, Utc::now() - Duration::days(5)).await;
    let latest = randers_run(app, 1).await;
    held(app, latest, Utc::now() - Duration::days(2)).await;
    let answer = |run_id: i32, n: usize, words: &'static str| async move {
        for i in 0..n {
            save_paper(
                &app.db,
                run_id,
                &[
                    (learned, Answer::Choice(5)),
                    (knowledge, Answer::Choice(if i == 0 { 3 } else { 4 })),
                    (takeaway, Answer::Text(format!("{words} {i}"))),
                ],
            )
            .await
            .expect("paper form");
        }
    };
    answer(before, 4, "Tidligere hold").await;
    answer(latest, 3, "Seneste hold").await;

    // 3 on this run: pooled with the run before (4), 7 together, and the page says so.
    let page = format!("/personale/hold/{latest}/resultater");
    let (status, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Holdet har &lt; 5 svar. For at ingen kan genkendes, viser vi de seneste 2 hold på kurset samlet: 7 svar i alt."),
        "{body}"
    );
    assert!(
        body.contains("Jeg ved mere om recovery nu"),
        "the new default question"
    );
    assert!(body.contains("Seneste hold 0") && body.contains("Tidligere hold 3"));
    no_figure_under_five(&body);
    // All seven chose 5 for "learned": that count is shown.
    assert!(body.contains("<td>7</td>"));

    // Two more answers make five on this run: its own results, its own words only.
    answer(latest, 2, "Sidst").await;
    let (_, _, body) = get_page(app, &page, Some(&cookie)).await;
    assert!(body.contains("Svar fra dette hold: 5."), "{body}");
    assert!(body.contains("Sidst 1") && !body.contains("Tidligere hold"));
    no_figure_under_five(&body);

    // Only the run's team and the school's coordinators.
    let (status, location, _) = get_page(app, &page, None).await;
    assert!(status == 303 || status == 302, "{status}");
    assert!(location.starts_with("/personale/log-ind"), "{location}");
    let other = make_coordinator(app, "k@viborg.example", school_id(app, "viborg").await).await;
    let other = sign_in(app, (other.0.as_str(), other.1.as_str())).await;
    let (status, _, _) = get_page(app, &page, Some(&other)).await;
    assert_eq!(status, 403);
});
