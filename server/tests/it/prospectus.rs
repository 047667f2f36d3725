//! The printable term prospectus (`/skoler/:slug/katalog`): every published run of the term
//! whose first session is in it, each once, with where to sign up and a QR code that leads
//! there; other schools' runs and other terms' runs are not in it.

use std::collections::BTreeSet;

use crate::common::{Found, TestApp};
use app::rules::time::{TermSpan, local_today, term_of, to_local};
use chrono::Utc;
use entity::{CourseStatus, RunStatus, course, run, school, session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The runs of `school` the prospectus of `term` must hold, read straight from the tables:
/// published, of a published course, with a session still to come and the first session in
/// the term.
async fn expected(app: &TestApp, school: i32, term: TermSpan) -> BTreeSet<i32> {
    let now = Utc::now();
    let mut out = BTreeSet::new();
    for r in run::Entity::find()
        .filter(run::Column::SchoolId.eq(school))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .rows(&app.db)
        .await
    {
        let c = course::Entity::find_by_id(r.course_id)
            .found(&app.db, "course")
            .await;
        if c.status != CourseStatus::Published {
            continue;
        }
        let mut sessions: Vec<session::Model> = session::Entity::find()
            .filter(session::Column::RunId.eq(r.id))
            .filter(session::Column::Cancelled.eq(false))
            .rows(&app.db)
            .await;
        sessions.sort_by_key(|s| s.starts_at);
        let (Some(first), Some(last)) = (sessions.first(), sessions.last()) else {
            continue;
        };
        let day = to_local(first.starts_at).date();
        if last.ends_at > now && (term.from..=term.to).contains(&day) {
            out.insert(r.id);
        }
    }
    out
}

/// The run ids in a prospectus page, in the order printed.
fn printed(page: &str) -> Vec<i32> {
    page.split("data-run=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

both_backends!(the_prospectus_holds_every_run_of_the_term_once, |app| {
    let randers = school::Entity::find()
        .filter(school::Column::Slug.eq("randers"))
        .found(&app.db, "randers")
        .await;
    let now_term = term_of(local_today(Utc::now()));
    let mut seen = 0;
    for term in [now_term, now_term.next()] {
        let want = expected(app, randers.id, term).await;
        seen += want.len();
        for grouping in ["maaned", "tema"] {
            let (status, page) = app
                .get(&format!(
                    "/skoler/randers/katalog?termin={}&grupper={grouping}",
                    term.slug()
                ))
                .await;
            assert_eq!(status, 200);
            let ids = printed(&page);
            let set: BTreeSet<i32> = ids.iter().copied().collect();
            assert_eq!(set.len(), ids.len(), "each run once ({grouping})");
            assert_eq!(set, want, "{} by {grouping}", term.slug());
            for id in &ids {
                let r = run::Entity::find_by_id(*id).found(&app.db, "run").await;
                let c = course::Entity::find_by_id(r.course_id)
                    .found(&app.db, "course")
                    .await;
                let signup = match r.capacity {
                    Some(_) => format!("/hold/{id}/tilmelding\""),
                    // A drop-in takes no sign-up: its course page says when to come.
                    None => format!("/kurser/{}\"", c.slug),
                };
                assert!(page.contains(&signup), "{signup} for {id}");
                assert!(page.contains(&format!(r#"src="/hold/qr/{id}.svg""#)));
            }
            assert!(page.contains("Udviklet og undervist af") || ids.is_empty());
        }
    }
    assert!(seen >= 2, "the demo has runs to print ({seen})");

    // A run's QR code is an SVG; a run that is not listed has none.
    let any = expected(app, randers.id, now_term.next())
        .await
        .into_iter()
        .chain(expected(app, randers.id, now_term).await)
        .next()
        .expect("a run");
    let response = app
        .client
        .get(format!("{}/hold/qr/{any}.svg", app.base))
        .send()
        .await
        .expect("qr");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        crate::common::header(&response, "content-type"),
        "image/svg+xml"
    );
    assert!(response.text().await.expect("body").starts_with("<?xml"));
    let draft = run::Entity::find()
        .filter(run::Column::Status.ne(RunStatus::Published))
        .one(&app.db)
        .await
        .expect("read");
    if let Some(d) = draft {
        assert_eq!(app.get(&format!("/hold/qr/{}.svg", d.id)).await.0, 404);
    }
    assert_eq!(app.get("/hold/qr/999999.svg").await.0, 404);
    assert_eq!(app.get("/skoler/findes-ikke/katalog").await.0, 404);
    // A nonsense term shows today's.
    let (status, page) = app.get("/skoler/randers/katalog?termin=<script>").await;
    assert_eq!(status, 200);
    assert_eq!(
        printed(&page).into_iter().collect::<BTreeSet<_>>(),
        expected(app, randers.id, now_term).await
    );
});
