//! The staff workspace over HTTP, as a browser without JavaScript uses it, one module per area.
//! What several areas use (a run made through the forms, a picture upload) is here.

mod access;
mod calls;
mod courses;
mod guard;
mod invitations;
mod profiles;
mod roster;
mod runs;
mod schools;
mod sign_in;
mod sso;
mod themes;
mod watch;

use crate::common;
use crate::common::Found;

use std::time::Duration as StdDuration;

use crate::common::staff::*;
use crate::common::{Backend, TestApp, send_mail_to, spawn_app_configured};
use app::rules::access::Role;
use app::services::staff::auth;
use chrono::{Duration, Utc};
use entity::{audit_log, staff_account, staff_session, teacher};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use smtp_sink::Sink;

/// What happened to a request: allowed, sent to sign in, or refused.
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

/// A published demo course of a school, and that school's id.
async fn course_at(app: &TestApp, slug: &str) -> (i32, i32) {
    use entity::{CourseStatus, course};
    let school = school_id(app, slug).await;
    let c = course::Entity::find()
        .filter(course::Column::SchoolId.eq(school))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::Format.ne(entity::CourseFormat::DropIn))
        .found(&app.db, "a published course")
        .await;
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
        .found(&app.db, "a teacher of the kind")
        .await
        .id
}

/// Outbox rows of a kind for a booking.
async fn queued(app: &TestApp, booking: i32, kind: &str) -> u64 {
    use entity::outbox_message;
    outbox_message::Entity::find()
        .filter(outbox_message::Column::BookingId.eq(booking))
        .filter(outbox_message::Column::Kind.eq(kind))
        .counted(&app.db)
        .await
}

/// A published run of Randers with a peer and a professional and two sessions.
async fn published_run(app: &TestApp, cookie: &str, capacity: &str) -> (i32, Vec<i32>) {
    let (course, randers) = course_at(app, "randers").await;
    published_run_of(app, cookie, course, randers, capacity).await
}

/// [`published_run`] of a given course of a given school.
async fn published_run_of(
    app: &TestApp,
    cookie: &str,
    course: i32,
    randers: i32,
    capacity: &str,
) -> (i32, Vec<i32>) {
    use entity::TeacherKind::{Peer, Professional};
    use entity::session;
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
        .rows(&app.db)
        .await;
    sessions.sort_by_key(|s| s.starts_at);
    (run_id, sessions.into_iter().map(|s| s.id).collect())
}

/// A real 16×9 PNG, to upload.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAE0lEQVR42mOwqs0jCTGMahgUGgDh5KTRoHfblAAAAABJRU5ErkJggg==";

fn png_bytes() -> Vec<u8> {
    data_encoding::BASE64.decode(PNG.as_bytes()).expect("png")
}

/// PNG's chunk checksum (CRC-32, as in zlib).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
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
    chunk.extend_from_slice(&crc32(&chunk[4..]).to_be_bytes());
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
        .found(&app.db, "course")
        .await
}

async fn images(app: &TestApp) -> u64 {
    entity::image::Entity::find().counted(&app.db).await
}

/// The id in `/personale/kurser/<id>?…`.
fn course_id_in(location: &str) -> i32 {
    location
        .strip_prefix("/personale/kurser/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a course page, got {location:?}"))
}
