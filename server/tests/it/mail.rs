//! E-mail and calendar, end to end: the app sends through a real SMTP conversation with a sink on
//! loopback, and the tests read what arrived with an independent MIME parser (`mail-parser`) and
//! an independent iCalendar parser (`ical`): headers, both bodies, the invitation and its rules
//! (stable UID, growing SEQUENCE, CANCEL, Copenhagen time on both sides of a DST change). Also
//! retries, refusals, two workers on one outbox, reminders with "Kommer du?", evaluation links,
//! the calendar feeds, and the demo outbox page.

use crate::common;
use crate::common::Found;

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use crate::common::mail::*;
use crate::common::{Backend, RunSpec, TestApp, make_run, send_mail_to, spawn_app_configured};
use app::services::booking::{self as bookings, Actor};
use app::services::mail::messages::{MailContext, Outcome, render};
use app::services::mail::schedule;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use entity::{BookingStatus, booking, course, outbox_message, run, school, session};
use ical::parser::ical::component::{IcalCalendar, IcalTimeZone, IcalTimeZoneTransitionType};
use ical::property::Property;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use smtp_sink::{Reply, Sink};

fn param(p: &Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.first().cloned())
}

/// Checks the RFC 5545 rules a calendar program relies on, and returns the parsed calendar.
fn check_rfc5545(text: &str) -> IcalCalendar {
    assert!(text.ends_with("\r\n"), "lines end in CRLF");
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    let cal = parse_ics(text);
    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert!(prop(&cal.properties, "PRODID").is_some());
    let method = prop(&cal.properties, "METHOD").and_then(|p| p.value.clone());
    let tzids: Vec<String> = cal
        .timezones
        .iter()
        .map(|tz| value(&tz.properties, "TZID"))
        .collect();
    for tz in &cal.timezones {
        assert!(prop(&tz.properties, "UID").is_none(), "no UID in VTIMEZONE");
        assert!(
            prop(&tz.properties, "DTSTAMP").is_none(),
            "no DTSTAMP in VTIMEZONE"
        );
        assert!(!tz.transitions.is_empty());
    }
    for e in &cal.events {
        let stamp = value(&e.properties, "DTSTAMP");
        assert!(stamp.len() == 16 && stamp.ends_with('Z'), "DTSTAMP in UTC");
        assert!(!value(&e.properties, "UID").is_empty());
        for name in ["DTSTART", "DTEND"] {
            let p = prop(&e.properties, name).expect("start and end");
            let tzid = param(p, "TZID").expect("times refer to a time zone");
            assert!(tzids.contains(&tzid), "{tzid} is defined in the calendar");
        }
        if method.is_some() {
            assert!(
                prop(&e.properties, "ORGANIZER").is_some(),
                "iTIP needs ORGANIZER"
            );
            assert!(prop(&e.properties, "SEQUENCE").is_some());
        }
    }
    cal
}

/// The UTC instant of a local `DTSTART` value, worked out from the calendar's own `VTIMEZONE`
/// rules (yearly, `BYMONTH` and `BYDAY=-1SU`), independently of the app's time zone library.
fn utc_of(local: &str, tz: &IcalTimeZone) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").expect("local time");
    let offset_minutes = |text: &str| {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let digits = &text[1..];
        sign * (digits[..2].parse::<i64>().expect("hours") * 60
            + digits[2..4].parse::<i64>().expect("minutes"))
    };
    // Start of each rule in the year of `local`, as local wall-clock time before the change.
    let mut changes: Vec<(NaiveDateTime, i64, IcalTimeZoneTransitionType)> = tz
        .transitions
        .iter()
        .map(|t| {
            let rule = value(&t.properties, "RRULE");
            assert!(rule.contains("BYDAY=-1SU"), "last-Sunday rule: {rule}");
            let month: u32 = rule
                .split(';')
                .find_map(|p| p.strip_prefix("BYMONTH="))
                .expect("BYMONTH")
                .parse()
                .expect("month");
            let start =
                NaiveDateTime::parse_from_str(&value(&t.properties, "DTSTART"), "%Y%m%dT%H%M%S")
                    .expect("rule start");
            let next_month = if month == 12 {
                NaiveDate::from_ymd_opt(local.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(local.year(), month + 1, 1)
            }
            .expect("date");
            let mut day = next_month - Duration::days(1);
            while day.weekday() != Weekday::Sun {
                day -= Duration::days(1);
            }
            (
                day.and_time(start.time()),
                offset_minutes(&value(&t.properties, "TZOFFSETTO")),
                t.transition.clone(),
            )
        })
        .collect();
    changes.sort_by_key(|c| c.0);
    // The rule in force is the last one that started before `local` (or the year's last one,
    // carried over from the year before).
    let in_force = changes
        .iter()
        .rev()
        .find(|c| c.0 <= local)
        .or(changes.last())
        .expect("rules");
    Utc.from_utc_datetime(&(local - Duration::minutes(in_force.1)))
}

/// The events of a calendar by UID: (SEQUENCE, local DTSTART, STATUS).
fn events_by_uid(cal: &IcalCalendar) -> HashMap<String, (u32, String, String)> {
    cal.events
        .iter()
        .map(|e| {
            (
                value(&e.properties, "UID"),
                (
                    value(&e.properties, "SEQUENCE").parse().expect("a number"),
                    value(&e.properties, "DTSTART"),
                    value(&e.properties, "STATUS"),
                ),
            )
        })
        .collect()
}

async fn mail_app(backend: Backend, sink: &Sink) -> TestApp {
    spawn_app_configured(backend, true, send_mail_to(sink.addr())).await
}

async fn school_and_course(app: &TestApp, run_id: i32) -> (school::Model, course::Model) {
    let r = run::Entity::find_by_id(run_id).found(&app.db, "run").await;
    (
        school::Entity::find_by_id(r.school_id)
            .found(&app.db, "school")
            .await,
        course::Entity::find_by_id(r.course_id)
            .found(&app.db, "course")
            .await,
    )
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .order_by_asc(outbox_message::Column::Id)
        .rows(&app.db)
        .await
}

async fn booking_of(app: &TestApp, id: i32) -> booking::Model {
    booking::Entity::find_by_id(id)
        .found(&app.db, "booking")
        .await
}

/// Waits until the outbox row for `booking` of `kind` satisfies `done`.
async fn wait_for_row(
    app: &TestApp,
    kind: &str,
    done: impl Fn(&outbox_message::Model) -> bool,
) -> outbox_message::Model {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(row) = outbox_rows(app)
            .await
            .into_iter()
            .find(|r| r.kind == kind && done(r))
        {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {kind} row in the expected state: {:?}",
            outbox_rows(app).await
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

fn context() -> MailContext {
    MailContext {
        public_url: "http://127.0.0.1".into(),
    }
}

async fn confirmation_arrives_with_invitation(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(backend, &sink).await;
    let run = make_run(
        &app.db,
        RunSpec {
            sessions: 2,
            ..RunSpec::default()
        },
    )
    .await;
    let (school, course) = school_and_course(&app, run.id).await;
    app.sign_up(run.id, "Kim", "kim@example.dk").await;

    let mail = wait_for_mail(&sink, "kim@example.dk", 1).await.remove(0);
    // Subject and sender name the school, never the course.
    assert!(mail.subject.contains(&school.name), "{}", mail.subject);
    assert!(mail.subject.starts_with("Din plads er bekræftet"));
    assert!(!mail.subject.contains(&course.title));
    assert_eq!(mail.from_name, school.name);
    assert!(!mail.from_name.contains(&course.title));
    assert_eq!(mail.from_address, "skolebaenk@localhost");
    assert_eq!(mail.reply_to.as_deref(), Some(school.email.as_str()));
    assert_eq!(mail.auto_submitted.as_deref(), Some("auto-generated"));
    // Both bodies carry the course, the way to "Mine tilmeldinger", and the school's contact.
    for body in [&mail.text, &mail.html] {
        assert!(body.contains("Hej Kim"));
        assert!(body.contains(&course.title));
        assert!(body.contains("/mine-tilmeldinger/"));
        assert!(body.contains(&school.phone));
    }
    assert!(mail.html.contains("<html lang=\"da\">"));
    let manage = link(&mail.text, "/mine-tilmeldinger/");
    let (status, page) = app.get(&path_of(&manage)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&course.title));

    // The invitation: as an alternative the calendar acts on, and as an attachment.
    let (method, ics) = mail.calendar.expect("a calendar part");
    assert_eq!(method, "REQUEST");
    assert!(mail.attachments.contains(&"invitation.ics".to_string()));
    let cal = check_rfc5545(&ics);
    assert_eq!(value(&cal.properties, "METHOD"), "REQUEST");
    assert_eq!(cal.timezones.len(), 1);
    assert_eq!(
        value(&cal.timezones[0].properties, "TZID"),
        "Europe/Copenhagen"
    );
    assert_eq!(cal.events.len(), 2, "one event per session");
    let sessions = session::Entity::find()
        .filter(session::Column::RunId.eq(run.id))
        .order_by_asc(session::Column::StartsAt)
        .rows(&app.db)
        .await;
    for (event, s) in cal.events.iter().zip(&sessions) {
        assert_eq!(
            value(&event.properties, "UID"),
            format!("invite-session-{}@127.0.0.1", s.id)
        );
        assert_eq!(value(&event.properties, "SEQUENCE"), "0");
        assert_eq!(
            utc_of(&value(&event.properties, "DTSTART"), &cal.timezones[0]),
            s.starts_at
        );
        let organizer = prop(&event.properties, "ORGANIZER").expect("organizer");
        assert_eq!(
            organizer.value.as_deref(),
            Some(format!("mailto:{}", school.email).as_str())
        );
        assert_eq!(
            param(organizer, "CN").as_deref(),
            Some(school.name.as_str())
        );
        let attendee = prop(&event.properties, "ATTENDEE").expect("attendee");
        assert_eq!(attendee.value.as_deref(), Some("mailto:kim@example.dk"));
        // Shared calendars show the school, not the course.
        assert!(!value(&event.properties, "SUMMARY").contains(&course.title));
        assert!(value(&event.properties, "DESCRIPTION").contains("/mine-tilmeldinger/"));
    }

    // The outbox row is marked sent, with the Message-ID the mail carried.
    let row = wait_for_row(&app, "booking_confirmed", |r| r.status == "sent").await;
    assert_eq!(row.message_id, format!("<{}>", mail.message_id));
    assert_eq!(row.attempts, 1);
    app.stop().await;
}

both_backends!(confirmation_arrives_with_invitation, threads = 2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_sign_up_gets_english_mail() {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(Backend::Sqlite, &sink).await;
    let run = make_run(&app.db, RunSpec::default()).await;
    let (school, _) = school_and_course(&app, run.id).await;
    app.sign_up_in("en", run.id, "Alex", "alex@example.com")
        .await;
    let mail = wait_for_mail(&sink, "alex@example.com", 1).await.remove(0);
    assert_eq!(
        mail.subject,
        format!("Your place is confirmed – {}", school.name)
    );
    assert!(mail.text.starts_with("Hi Alex,"));
    assert!(mail.html.contains("<html lang=\"en\">"));
    app.stop().await;
}

/// Sets a session's times directly.
async fn set_times(app: &TestApp, session_id: i32, starts: DateTime<Utc>, hours: i64) {
    let mut s = session::Entity::find_by_id(session_id)
        .found(&app.db, "session")
        .await
        .into_active_model();
    s.starts_at = Set(starts);
    s.ends_at = Set(starts + Duration::hours(hours));
    s.update(&app.db).await.expect("update session");
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("a valid time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calendar_updates_keep_the_uid_and_raise_the_sequence_across_dst() {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(Backend::Sqlite, &sink).await;
    let run = make_run(
        &app.db,
        RunSpec {
            sessions: 2,
            ..RunSpec::default()
        },
    )
    .await;
    let (s1, s2) = (run.sessions[0], run.sessions[1]);
    // Thursdays at 17.00 in Copenhagen either side of the change on 31 October 2027: summer
    // time (UTC+2) before, winter time (UTC+1) after.
    set_times(&app, s1, utc(2027, 10, 28, 15), 2).await;
    set_times(&app, s2, utc(2027, 11, 4, 16), 2).await;
    let to = "dst@example.dk";
    let booking_id = app.sign_up(run.id, "Sam", to).await;

    let invite = wait_for_mail(&sink, to, 1).await.remove(0);
    let (method, ics) = invite.calendar.expect("calendar");
    assert_eq!(method, "REQUEST");
    let cal = check_rfc5545(&ics);
    let tz = &cal.timezones[0];
    let first = events_by_uid(&cal);
    let uid1 = format!("invite-session-{s1}@127.0.0.1");
    let uid2 = format!("invite-session-{s2}@127.0.0.1");
    assert_eq!(first[&uid1].1, "20271028T170000");
    assert_eq!(first[&uid2].1, "20271104T170000");
    assert_eq!(utc_of(&first[&uid1].1, tz), utc(2027, 10, 28, 15));
    assert_eq!(utc_of(&first[&uid2].1, tz), utc(2027, 11, 4, 16));
    let mut last_sequence: HashMap<String, u32> =
        first.iter().map(|(u, e)| (u.clone(), e.0)).collect();
    let mut check_update = |cal: &IcalCalendar, method: &str| {
        assert_eq!(value(&cal.properties, "METHOD"), method);
        for (uid, (seq, _, status)) in events_by_uid(cal) {
            let before = last_sequence.get(&uid).copied().expect("a known UID");
            assert!(seq > before, "SEQUENCE of {uid} grows: {before} -> {seq}");
            last_sequence.insert(uid, seq);
            if method == "CANCEL" {
                assert_eq!(status, "CANCELLED");
            }
        }
    };

    // The school moves the second session an hour later: same UID, higher SEQUENCE.
    let now = Utc::now();
    bookings::move_session(
        &app.db,
        s2,
        utc(2027, 11, 4, 17),
        utc(2027, 11, 4, 19),
        None,
        "",
        now,
    )
    .await
    .expect("move");
    let moved = wait_for_mail(&sink, to, 2).await.remove(1);
    assert!(moved.subject.starts_with("Ændring i dit hold"));
    assert!(
        moved
            .text
            .contains("Før: Torsdag 4. november 2027, kl. 17.00–19.00")
    );
    assert!(
        moved
            .text
            .contains("Nu: Torsdag 4. november 2027, kl. 18.00–20.00")
    );
    let cal = check_rfc5545(&moved.calendar.expect("calendar").1);
    check_update(&cal, "REQUEST");
    let e = events_by_uid(&cal);
    assert_eq!(e[&uid2].1, "20271104T180000");
    assert_eq!(utc_of(&e[&uid2].1, &cal.timezones[0]), utc(2027, 11, 4, 17));

    // Afbud for the first session takes it out of the calendar.
    let actor = Actor::Participant {
        email_key: to.into(),
    };
    bookings::session_afbud(&app.db, booking_id, s1, &actor, now)
        .await
        .expect("afbud");
    let afbud = wait_for_mail(&sink, to, 3).await.remove(2);
    let cal = check_rfc5545(&afbud.calendar.expect("calendar").1);
    check_update(&cal, "CANCEL");
    assert_eq!(events_by_uid(&cal).len(), 1);
    assert!(afbud.attachments.contains(&"cancellation.ics".to_string()));

    // Cancelling the booking cancels every session.
    bookings::cancel(&app.db, booking_id, &Actor::Staff, now)
        .await
        .expect("cancel");
    let cancelled = wait_for_mail(&sink, to, 4).await.remove(3);
    let cal = check_rfc5545(&cancelled.calendar.expect("calendar").1);
    check_update(&cal, "CANCEL");
    assert_eq!(events_by_uid(&cal).len(), 2);

    // Signing up again outranks the cancellation.
    app.sign_up(run.id, "Sam", to).await;
    let again = wait_for_mail(&sink, to, 5).await.remove(4);
    let cal = check_rfc5545(&again.calendar.expect("calendar").1);
    check_update(&cal, "REQUEST");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_is_down_gets_the_mail_when_it_is_back() {
    let mut sink = Sink::start().await.expect("sink");
    let app = mail_app(Backend::Sqlite, &sink).await;
    sink.stop();
    let run = make_run(&app.db, RunSpec::default()).await;
    app.sign_up(run.id, "Ida", "ida@example.dk").await;
    let waiting = wait_for_row(&app, "booking_confirmed", |r| r.last_error.is_some()).await;
    assert_eq!(
        waiting.status, "pending",
        "a refused connection is temporary"
    );
    sink.restart().await.expect("sink back");
    wait_for_mail(&sink, "ida@example.dk", 1).await;
    let row = wait_for_row(&app, "booking_confirmed", |r| r.status == "sent").await;
    assert!(
        row.attempts >= 2,
        "sent on a later attempt: {}",
        row.attempts
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_451_is_retried_and_a_550_is_not() {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(Backend::Sqlite, &sink).await;
    let run = make_run(&app.db, RunSpec::default()).await;

    sink.script([Reply::Temporary]);
    app.sign_up(run.id, "Ole", "ole@example.dk").await;
    wait_for_mail(&sink, "ole@example.dk", 1).await;
    let row = wait_for_row(&app, "booking_confirmed", |r| r.status == "sent").await;
    assert_eq!(row.attempts, 2, "one 451, then accepted");
    assert_eq!(sink.attempts(), 2);

    sink.script([Reply::Permanent]);
    let refused = app.sign_up(run.id, "Pia", "pia@example.dk").await;
    let row = wait_for_row(&app, "booking_confirmed", |r| r.status == "failed").await;
    assert_eq!(row.booking_id, Some(refused));
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("550")
    );
    // Longer than the retry pause: no second try.
    tokio::time::sleep(StdDuration::from_millis(2500)).await;
    assert_eq!(sink.attempts(), 3);
    assert_eq!(
        outbox_rows(&app)
            .await
            .iter()
            .filter(|r| r.attempts > 1)
            .count(),
        1
    );
    // Staff see the failure per participant.
    let states = app::services::outbox::mail_state(&app.db, &[refused])
        .await
        .expect("state");
    assert!(states[&refused].any_failed);
    app.stop().await;
}

async fn two_workers_send_each_message_once(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let to_sink = send_mail_to(sink.addr());
    let app = spawn_app_configured(backend, true, move |c| {
        to_sink(c);
        c.rate_limits.signup_per_ip = 1000;
    })
    .await;
    // A second server instance's worker on the same database.
    let mailer = server::mail::transport::Mailer::from_config(&app.config.mail).expect("mailer");
    let second = server::mail::worker::Worker {
        poll: StdDuration::from_millis(20),
        ..server::startup::worker(&app.config, app.db.clone(), mailer)
    }
    .spawn();
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 100,
            ..RunSpec::default()
        },
    )
    .await;
    let people = 40;
    let signups = (0..people).map(|i| {
        let app = &app;
        async move {
            app.sign_up(run.id, "Deltager", &format!("p{i}@example.dk"))
                .await
        }
    });
    futures::future::join_all(signups).await;
    sink.wait_for(people, WAIT).await;
    // Time for a duplicate to show up, if there were one.
    tokio::time::sleep(StdDuration::from_secs(1)).await;
    assert_eq!(sink.received().len(), people, "each message exactly once");
    let ids: std::collections::HashSet<String> =
        sink.received().iter().map(|r| read(r).message_id).collect();
    assert_eq!(ids.len(), people);
    second.abort();
    app.stop().await;
}

both_backends!(two_workers_send_each_message_once, threads = 4);

/// A worker whose lease ran out while it was sending cannot overwrite what the next claimant
/// recorded: its result is fenced by the attempt number its claim gave the row.
async fn a_late_worker_cannot_overwrite_the_next_claim(backend: Backend) {
    use app::services::outbox::{self, Channel, Claim};
    let app = spawn_app_configured(backend, true, |_| {}).await;
    let run = make_run(&app.db, RunSpec::default()).await;
    let now = Utc::now();
    let lease = Duration::seconds(1);
    // The demo's own mail is claimed and done first, so the row below is this booking's.
    let demo = outbox::claim(&app.db, Channel::Mail, now, Duration::days(1), 1000)
        .await
        .expect("demo claim");
    let demo: Vec<Claim> = demo.iter().map(Claim::from).collect();
    outbox::mark_sent(&app.db, &demo, now)
        .await
        .expect("demo sent");
    let booking = app.sign_up(run.id, "Deltager", "sen@example.dk").await;
    let now = Utc::now();
    let first = outbox::claim(&app.db, Channel::Mail, now, lease, 10)
        .await
        .expect("first claim");
    assert_eq!(first.len(), 1, "one confirmation to send");
    assert_eq!(first[0].booking_id, Some(booking));
    // The lease runs out and a second worker claims the same row.
    let second = outbox::claim(
        &app.db,
        Channel::Mail,
        now + Duration::seconds(2),
        lease,
        10,
    )
    .await
    .expect("second claim");
    assert_eq!(
        second.len(),
        1,
        "the row is due again once the lease ran out"
    );
    assert_eq!(second[0].id, first[0].id);
    let (late, current) = (Claim::from(&first[0]), Claim::from(&second[0]));
    assert_ne!(late, current);

    // The late worker's result changes nothing while the row is claimed anew ...
    outbox::mark_sent(&app.db, &[late], now)
        .await
        .expect("late sent");
    let row = row_for(&app, booking, "booking_confirmed").await;
    assert_eq!((row.status.as_str(), row.attempts), ("sending", 2));
    // ... the current claimant's result holds ...
    let retry_at = now + Duration::minutes(5);
    outbox::mark_retry(&app.db, current, "451 try later", retry_at)
        .await
        .expect("retry");
    // ... and the late one cannot replace it either.
    outbox::mark_failed(&app.db, late, "late failure")
        .await
        .expect("late failed");
    outbox::mark_skipped(&app.db, late, "late skip")
        .await
        .expect("late skipped");
    let row = row_for(&app, booking, "booking_confirmed").await;
    assert_eq!(row.status, "pending");
    assert_eq!(row.last_error.as_deref(), Some("451 try later"));
    assert_eq!(row.sent_at, None);
    assert_eq!(row.next_attempt_at.timestamp(), retry_at.timestamp());
    app.stop().await;
}

both_backends!(a_late_worker_cannot_overwrite_the_next_claim);

async fn reply_no_gives_the_seat_to_the_queue(backend: Backend) {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(backend, &sink).await;
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 1,
            starts_in_hours: 30,
            ..RunSpec::default()
        },
    )
    .await;
    // The demo data's own reminders first, so the counts below are this run's.
    schedule::queue_reminders(&app.db, Utc::now())
        .await
        .expect("queue");
    let a = app.sign_up(run.id, "Asta", "asta@example.dk").await;
    let b = app.sign_up(run.id, "Bo", "bo@example.dk").await;
    assert_eq!(booking_of(&app, b).await.status, BookingStatus::Waitlisted);
    wait_for_mail(&sink, "bo@example.dk", 1).await;

    // Only the person with a seat gets the reminder, once.
    let now = Utc::now();
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        0
    );
    let reminder = wait_for_mail(&sink, "asta@example.dk", 2).await.remove(1);
    assert!(reminder.subject.starts_with("Kommer du?"));
    assert!(reminder.text.contains("Ja, jeg kommer"));
    assert!(reminder.html.contains("Jeg kan ikke alligevel"));
    let no = link(&reminder.text, "svar=nej");

    // Opening the link changes nothing; it shows one button.
    let (status, page) = app.get(&path_of(&no)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ja, meld afbud"));
    assert!(!page.contains("Bekræft at jeg kommer"));
    assert_eq!(booking_of(&app, a).await.status, BookingStatus::Confirmed);

    // The button cancels and gives the seat to the first in the queue at once.
    let token = reply_token(&no);
    let posted = app
        .post_form("/api/svar", &[("token", &token), ("answer", "nej")], None)
        .await;
    assert_eq!(posted.status, 302);
    assert_eq!(
        posted.location,
        format!("/kommer/{token}?udfald=afbud#udfald")
    );
    assert_eq!(booking_of(&app, a).await.status, BookingStatus::Cancelled);
    assert_eq!(booking_of(&app, b).await.status, BookingStatus::Confirmed);
    let promoted = wait_for_mail(&sink, "bo@example.dk", 2).await.remove(1);
    assert!(promoted.subject.starts_with("Du har fået en plads"));
    assert_eq!(promoted.calendar.expect("invitation").0, "REQUEST");
    let cancelled = wait_for_mail(&sink, "asta@example.dk", 3).await.remove(2);
    assert_eq!(cancelled.calendar.expect("cancellation").0, "CANCEL");
    let (_, page) = app.get(&format!("/kommer/{token}?udfald=afbud")).await;
    assert!(page.contains("pladsen er givet videre"));
    // The new seat holder is reminded in turn.
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    app.stop().await;
}

both_backends!(reply_no_gives_the_seat_to_the_queue, threads = 2);

/// The newest outbox row of `kind` for a booking.
async fn row_for(app: &TestApp, booking_id: i32, kind: &str) -> outbox_message::Model {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(booking_id))
        .filter(outbox_message::Column::Kind.eq(kind))
        .order_by_desc(outbox_message::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("a {kind} message"))
}

async fn rendered_text(app: &TestApp, row: &outbox_message::Model) -> Option<String> {
    match render(&app.db, row, &context(), Utc::now())
        .await
        .expect("render")
    {
        Outcome::Send(r) => Some(r.text),
        Outcome::Skip(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_are_checked_again_when_sent_and_follow_a_moved_session() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let run = make_run(
        &app.db,
        RunSpec {
            capacity: 5,
            starts_in_hours: 30,
            ..RunSpec::default()
        },
    )
    .await;
    let now = Utc::now();
    // The demo data's own reminders first, so the counts below are this run's.
    schedule::queue_reminders(&app.db, now)
        .await
        .expect("queue");
    let a = app.sign_up(run.id, "Asta", "asta@example.dk").await;
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    let reminder = row_for(&app, a, "reminder").await;
    // Cancelled before the worker got to it: not sent.
    bookings::cancel(&app.db, a, &Actor::Staff, now)
        .await
        .expect("cancel");
    assert_eq!(rendered_text(&app, &reminder).await, None);

    let c = app.sign_up(run.id, "Carl", "carl@example.dk").await;
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    let stale = row_for(&app, c, "reminder").await;
    // The first session moves an hour: the queued reminder is stale, and a new one follows.
    let s = session::Entity::find_by_id(run.sessions[0])
        .found(&app.db, "session")
        .await;
    bookings::move_session(
        &app.db,
        s.id,
        s.starts_at + Duration::hours(1),
        s.ends_at + Duration::hours(1),
        None,
        "",
        now,
    )
    .await
    .expect("move");
    assert_eq!(rendered_text(&app, &stale).await, None);
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    let fresh = row_for(&app, c, "reminder").await;
    let text = rendered_text(&app, &fresh).await.expect("sent");
    // Moved outside the lead time: no new reminder until it is near again.
    bookings::move_session(
        &app.db,
        s.id,
        s.starts_at + Duration::days(5),
        s.ends_at + Duration::days(5),
        None,
        "",
        now,
    )
    .await
    .expect("move");
    assert_eq!(
        schedule::queue_reminders(&app.db, now)
            .await
            .expect("queue"),
        0
    );

    // "Ja, jeg kommer" is recorded by the button, not by the link.
    let yes = link(&text, "svar=ja");
    let (status, page) = app.get(&path_of(&yes)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ja, jeg kommer"));
    assert_eq!(booking_of(&app, c).await.rsvp, None);
    let token = reply_token(&yes);
    let posted = app
        .post_form("/api/svar", &[("token", &token), ("answer", "ja")], None)
        .await;
    assert_eq!(
        posted.location,
        format!("/kommer/{token}?udfald=kommer#udfald")
    );
    assert_eq!(booking_of(&app, c).await.rsvp.as_deref(), Some("coming"));
    // A made-up token opens nothing.
    let (status, _) = app.get(&format!("/kommer/{}", "x".repeat(43))).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluation_links_go_to_those_who_took_part() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let run = make_run(&app.db, RunSpec::default()).await;
    let a = app.sign_up(run.id, "Asta", "asta@example.dk").await;
    let b = app.sign_up(run.id, "Bo", "bo@example.dk").await;
    let now = Utc::now();
    bookings::session_afbud(
        &app.db,
        b,
        run.sessions[0],
        &Actor::Participant {
            email_key: "bo@example.dk".into(),
        },
        now,
    )
    .await
    .expect("afbud");
    // The demo data's own invitations first, so the counts below are this run's; and none for
    // this run before its last session is over.
    schedule::queue_evaluations(&app.db, now)
        .await
        .expect("queue");
    assert_eq!(
        schedule::queue_evaluations(&app.db, now)
            .await
            .expect("queue"),
        0
    );
    set_times(&app, run.sessions[0], now - Duration::hours(30), 3).await;
    // Bo gave afbud for every session, so only Asta is asked; only once.
    assert_eq!(
        schedule::queue_evaluations(&app.db, now)
            .await
            .expect("queue"),
        1
    );
    assert_eq!(
        schedule::queue_evaluations(&app.db, now)
            .await
            .expect("queue"),
        0
    );
    let invitation = row_for(&app, a, "evaluation_invitation").await;
    let text = rendered_text(&app, &invitation).await.expect("sent");
    assert!(text.contains("anonyme"));
    let first = path_of(&link(&text, "/evaluering/"));
    let (status, page) = app.get(&first).await;
    assert_eq!(status, 200);
    assert!(page.contains("Send mine svar"));
    let (status, _) = app.get(&format!("/evaluering/{}", "y".repeat(43))).await;
    assert_eq!(status, 404);

    // One reminder a few days later, with a link that replaces the first.
    let later = now + Duration::days(schedule::EVALUATION_REMINDER_DAYS + 1);
    schedule::queue_evaluations(&app.db, later)
        .await
        .expect("queue");
    assert_eq!(
        row_for(&app, a, "evaluation_reminder").await.booking_id,
        Some(a)
    );
    assert_eq!(
        schedule::queue_evaluations(&app.db, later)
            .await
            .expect("queue"),
        0
    );
    let reminder = row_for(&app, a, "evaluation_reminder").await;
    let text = rendered_text(&app, &reminder).await.expect("sent");
    let second = path_of(&link(&text, "/evaluering/"));
    assert_ne!(first, second);
    assert_eq!(app.get(&first).await.0, 404);
    assert_eq!(app.get(&second).await.0, 200);
    // Once answered, the reminder still goes (a skipped one would say who answered), with
    // thanks and no link: the spent link no longer knows the booking.
    let token = second.trim_start_matches("/evaluering/");
    let stored = app::services::tokens::resolve(
        &app.db,
        app::services::tokens::Purpose::Evaluation,
        token,
        Utc::now(),
    )
    .await
    .expect("query")
    .expect("token");
    assert!(
        app::services::tokens::spend(&app.db, stored.id)
            .await
            .expect("spend")
    );
    assert!(
        !app::services::tokens::spend(&app.db, stored.id)
            .await
            .expect("spend")
    );
    assert_eq!(app.get(&second).await.0, 404, "a spent link opens nothing");
    let after = rendered_text(&app, &reminder).await.expect("still sent");
    assert!(after.contains("Har du allerede svaret, så tak"), "{after}");
    assert!(!after.contains("/evaluering/"), "{after}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn school_and_personal_calendar_feeds() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let run = make_run(
        &app.db,
        RunSpec {
            sessions: 2,
            ..RunSpec::default()
        },
    )
    .await;
    let (school, course) = school_and_course(&app, run.id).await;

    // The school's public feed: its classes, no attendees.
    let response = app
        .client
        .get(format!("{}/skoler/{}/kalender.ics", app.base, school.slug))
        .send()
        .await
        .expect("feed");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/calendar")
    );
    let ics = response.text().await.expect("body");
    let cal = check_rfc5545(&ics);
    assert!(prop(&cal.properties, "METHOD").is_none());
    let uids = events_by_uid(&cal);
    for s in &run.sessions {
        assert!(uids.contains_key(&format!("skole-session-{s}@127.0.0.1")));
    }
    assert!(!ics.contains("ATTENDEE"));
    assert!(ics.contains(&course.title));
    assert_eq!(app.get("/skoler/ingen-skole/kalender.ics").await.0, 404);

    // The personal feed: made on request on "Mine tilmeldinger", shown once.
    let a = app.sign_up(run.id, "Asta", "asta@example.dk").await;
    let manage = app::services::tokens::issue_manage_token(&app.db, "asta@example.dk", Utc::now())
        .await
        .expect("token");
    let posted = app
        .post_form(
            "/api/mine_tilmeldinger_kalender",
            &[("token", &manage)],
            None,
        )
        .await;
    assert_eq!(posted.status, 302);
    let cookie = format!(
        "sb_kalender={}",
        posted.cookie("sb_kalender").expect("flash")
    );
    let (_, page) = app
        .get_with_cookie(&format!("/mine-tilmeldinger/{manage}"), Some(&cookie))
        .await;
    let feed = page
        .split('"')
        .find(|s| s.contains("/kalender/") && s.ends_with(".ics") && s.starts_with("http"))
        .expect("the feed link on the page")
        .to_string();
    let (_, page_later) = app.get(&format!("/mine-tilmeldinger/{manage}")).await;
    assert!(!page_later.contains(&feed), "shown once");
    let (status, ics) = app.get(&path_of(&feed)).await;
    assert_eq!(status, 200);
    let cal = check_rfc5545(&ics);
    assert_eq!(events_by_uid(&cal).len(), 2);
    bookings::session_afbud(
        &app.db,
        a,
        run.sessions[1],
        &Actor::Participant {
            email_key: "asta@example.dk".into(),
        },
        Utc::now(),
    )
    .await
    .expect("afbud");
    let (_, ics) = app.get(&path_of(&feed)).await;
    let uids = events_by_uid(&check_rfc5545(&ics));
    assert_eq!(uids.len(), 1);
    assert!(uids.contains_key(&format!("mine-session-{}@127.0.0.1", run.sessions[0])));
    assert_eq!(
        app.get(&format!("/kalender/{}.ics", "z".repeat(43)))
            .await
            .0,
        404
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_and_forgotten_mail_is_deleted() {
    let sink = Sink::start().await.expect("sink");
    let app = mail_app(Backend::Sqlite, &sink).await;
    let run = make_run(&app.db, RunSpec::default()).await;
    app.sign_up(run.id, "Asta", "asta@example.dk").await;
    app.sign_up(run.id, "Bo", "bo@example.dk").await;
    wait_for_mail(&sink, "bo@example.dk", 1).await;
    wait_for_row(&app, "booking_confirmed", |r| r.status == "sent").await;
    // Nothing is old yet.
    let now = Utc::now();
    assert_eq!(
        app::services::outbox::purge(&app.db, now - Duration::days(30), now - Duration::days(90))
            .await
            .expect("purge"),
        0
    );
    // A person who asks to be forgotten takes their mail rows with them.
    bookings::forget(&app.db, "asta@example.dk", now)
        .await
        .expect("forget");
    let rows = outbox_rows(&app).await;
    assert!(rows.iter().all(|r| r.recipient != "asta@example.dk"));
    // After the retention period, sent mail goes.
    let later = now + Duration::days(31);
    app::services::outbox::purge(
        &app.db,
        later - Duration::days(30),
        later - Duration::days(90),
    )
    .await
    .expect("purge");
    assert!(outbox_rows(&app).await.iter().all(|r| r.status != "sent"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_outbox_is_for_this_machine_only() {
    let dir = std::env::temp_dir().join(format!("skolebaenk-mail-{}", rand::random::<u32>()));
    let mail_dir = dir.clone();
    let app = spawn_app_configured(Backend::Sqlite, true, move |c| {
        c.mail.backend = server::config::MailBackend::File { dir: mail_dir };
    })
    .await;
    let (status, page) = app.get("/udbakke").await;
    assert_eq!(status, 200);
    assert!(page.contains("Udbakke (demo)"));
    app.stop().await;

    let behind = spawn_app_configured(Backend::Sqlite, true, |c| c.proxy_hops = 1).await;
    assert_eq!(behind.get("/udbakke").await.0, 404);
    behind.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Every address the sign-up form takes, the mailer takes too: nobody is told "Tak" for an
    /// address the confirmation can never be sent to.
    #[test]
    fn what_the_form_takes_the_mailer_takes(
        local in "[a-zA-Z0-9æøåÆØÅ.!#$%&'*+/=?^_`{|}~()<>\\[\\]:;,\"@ -]{1,24}",
        domain in "([a-zA-Z0-9-]{1,70}\\.){0,2}[a-zA-Z0-9æøå-]{1,70}",
        tld in "[a-zæøå]{1,4}",
    ) {
        let address = format!("{local}@{domain}.{tld}");
        if app::rules::signup::email_is_valid(&address) {
            proptest::prop_assert!(
                address.parse::<lettre::Address>().is_ok(),
                "the form takes {address:?}, the mailer does not"
            );
        }
    }
}

/// A text value as RFC 5545 escapes it, read back.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

    /// Fuzzes the calendar writer through the tests' calendar parser: whatever staff type as a
    /// title, place or description and whatever a person's name is, the calendar stays within
    /// RFC 5545 (lines, folding, time zones), parses, and gives back the same text.
    #[test]
    fn any_text_survives_the_calendar(
        summary in "\\PC{0,90}",
        location in "\\PC{0,90}",
        description in "(\\PC|\n){0,240}",
        name in "\\PC{1,50}",
    ) {
        use app::services::mail::ics::{self, Method, Party, SessionEvent};
        let start = Utc.with_ymd_and_hms(2026, 3, 29, 15, 0, 0).unwrap();
        let event = SessionEvent {
            uid: ics::uid("invitation", 7, "skolebaenk.test"),
            sequence: 2,
            starts_at: start,
            ends_at: start + Duration::hours(2),
            summary: summary.clone(),
            location: location.clone(),
            description: description.clone(),
            url: Some("https://skolebaenk.test/hold/7".into()),
            cancelled: false,
        };
        let school = Party { name: "Recovery-skolen Randers".into(), email: "randers@skolebaenk.test".into() };
        let person = Party { name: name.clone(), email: "aase@example.org".into() };
        let text = ics::calendar(Method::Request, None, &[event], Some(&school), Some(&person), start);
        let cal = check_rfc5545(&text);
        proptest::prop_assert_eq!(cal.events.len(), 1);
        let e = &cal.events[0];
        // Values read straight from the unfolded lines: the `ical` parser drops a value that
        // begins with ":" and trims the ends (found by this test), so it checks the structure
        // only.
        let unfolded = text.replace("\r\n ", "");
        let text_of = |n: &str| {
            unfolded
                .split("\r\n")
                .find_map(|line| line.strip_prefix(n)?.strip_prefix(':'))
                .map(unescape)
                .unwrap_or_default()
        };
        proptest::prop_assert_eq!(text_of("SUMMARY"), summary);
        proptest::prop_assert_eq!(text_of("DESCRIPTION"), description);
        if !location.is_empty() {
            proptest::prop_assert_eq!(text_of("LOCATION"), location);
        }
        let attendee = prop(&e.properties, "ATTENDEE").expect("attendee");
        proptest::prop_assert_eq!(attendee.value.as_deref(), Some("mailto:aase@example.org"));
        proptest::prop_assert!(param(attendee, "CN").is_some());
    }
}
