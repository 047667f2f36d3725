//! "Giv mig besked": an address left on a course page gets a receipt with a "no thanks" link,
//! then exactly one mail when a run of the course is published, and is deleted with it. The
//! answer is the same for an address already waiting; "no thanks" works without JavaScript; the
//! reports count the waiting, with "< 5".

use super::*;
use crate::common::mail::{mails_to, wait_for_mail as wait_for};
use entity::{course, course_watch, outbox_message};

fn token_in(text: &str) -> String {
    text.split_whitespace()
        .find_map(|w| w.split("/giv-besked/").nth(1))
        .expect("a no-thanks link")
        .to_string()
}

async fn tell_me_when_it_runs_again(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let owned = spawn_app_configured(backend, true, send_mail_to(sink.addr())).await;
    let app = &owned;
    // Its only run is full and keeps no waiting list: nothing to join.
    let c = course::Entity::find()
        .filter(course::Column::Slug.eq("personlige-statements-og-moedeforberedelse"))
        .found(&app.db, "course")
        .await;
    let course_id = c.id;
    let (status, page) = app.get(&format!("/kurser/{}", c.slug)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Giv mig besked") && page.contains("name=\"consent\""));
    // A course with room offers no such form.
    let (open_course, _) = course_at(app, "randers").await;
    let open_slug = course::Entity::find_by_id(open_course)
        .found(&app.db, "course")
        .await
        .slug;
    if open_slug != c.slug {
        let (_, page) = app.get(&format!("/kurser/{open_slug}")).await;
        assert!(!page.contains("id=\"giv-besked\""), "{open_slug}");
    }
    let ask = |email: &'static str, consent: &'static str| {
        let slug = c.slug.clone();
        async move {
            app.post_form(
                "/api/giv_besked",
                &[
                    ("course", slug.as_str()),
                    ("email", email),
                    ("consent", consent),
                ],
                None,
            )
            .await
        }
    };
    // Mistakes come back, all at once, and nothing is kept.
    let bad = ask("ikke en mail", "").await;
    assert!(
        bad.location
            .starts_with(&format!("/kurser/{}?fejl=", c.slug)),
        "{}",
        bad.location
    );
    assert!(bad.location.contains("email") && bad.location.contains("samtykke"));
    let thanks = format!("/kurser/{}?besked=ja#giv-besked", c.slug);
    assert_eq!(ask("ida@example.dk", "ja").await.location, thanks);
    // The same address again: the same answer, no second row, no second receipt.
    assert_eq!(ask("Ida@Example.dk", "ja").await.location, thanks);
    assert_eq!(ask("bo@example.dk", "ja").await.location, thanks);
    let waiting = course_watch::Entity::find()
        .filter(course_watch::Column::CourseId.eq(course_id))
        .counted(&app.db)
        .await;
    assert_eq!(waiting, 2);
    let (status, page) = app.get(&thanks).await;
    assert_eq!(status, 200);
    assert!(page.contains("Vi har sendt dig en kvittering"));

    // The receipt, discreet, with its link; "no thanks" needs one press on a button.
    let receipt = wait_for(&sink, "ida@example.dk", 1).await.remove(0);
    assert!(
        receipt.subject.starts_with("Du får besked om et nyt hold"),
        "{}",
        receipt.subject
    );
    assert!(!receipt.subject.contains(&c.title));
    let bo = wait_for(&sink, "bo@example.dk", 1).await.remove(0);
    let bo_token = token_in(&bo.text);
    let (status, page) = app.get(&format!("/giv-besked/{bo_token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&c.title) && page.contains("Jeg vil ikke have besked alligevel"));
    let stopped = app
        .post_form(
            "/api/giv_besked_afmeld",
            &[("token", bo_token.as_str())],
            None,
        )
        .await;
    assert_eq!(
        stopped.location,
        format!("/giv-besked/{bo_token}?afmeldt=1")
    );
    let (_, page) = app.get(&stopped.location).await;
    assert!(page.contains("Din e-mail er slettet"));
    let (_, page) = app.get(&format!("/giv-besked/{bo_token}")).await;
    assert!(page.contains("Linket virker ikke længere"));

    // Ida is counted in the reports, as "< 5".
    let cookie = sign_in(app, COORDINATOR).await;
    let (_, _, report) = get_page(app, "/personale/rapporter", Some(&cookie)).await;
    assert!(
        report.contains("Venter på besked om et nyt hold"),
        "{report}"
    );
    assert!(report.contains(&format!(
        "<th scope=\"row\">{}</th><td>&lt; 5</td>",
        c.title
    )));

    // A run is published: Ida gets exactly one mail, and her address is gone.
    let (run_id, _) = published_run_of(app, &cookie, course_id, c.school_id, "10").await;
    let news = wait_for(&sink, "ida@example.dk", 2).await;
    assert!(
        news[1].subject.starts_with("Nyt hold"),
        "{}",
        news[1].subject
    );
    assert!(
        news[1]
            .text
            .contains(&format!("/kurser/{}#hold-{run_id}", c.slug))
    );
    assert!(news[1].text.contains(&c.title));
    let left = course_watch::Entity::find().counted(&app.db).await;
    assert_eq!(left, 0, "no address kept once told");
    // Publishing another run tells nobody again.
    published_run_of(app, &cookie, course_id, c.school_id, "10").await;
    tokio::time::sleep(StdDuration::from_millis(1500)).await;
    assert_eq!(mails_to(&sink, "ida@example.dk").len(), 2);
    assert_eq!(
        mails_to(&sink, "bo@example.dk").len(),
        1,
        "Bo said no thanks"
    );
    let new_run_rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("new_run"))
        .counted(&app.db)
        .await;
    assert_eq!(new_run_rows, 1);

    // Addresses that waited a year are deleted.
    assert_eq!(ask("ny@example.dk", "ja").await.location, thanks);
    let later = Utc::now() + Duration::days(app::rules::retention::WATCH_DAYS + 1);
    assert_eq!(
        app::services::watch::purge(&app.db, later)
            .await
            .expect("purge"),
        1
    );
    owned.stop().await;
}

both_backends!(tell_me_when_it_runs_again, threads = 2);
