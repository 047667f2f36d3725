//! Subscribable calendars: one public feed per school (its published classes, no attendee data)
//! and one private feed per person (the sessions they have a seat on, opened by a token link).
//! Calendar programs fetch them again every hour or so, so changes and cancellations follow.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{
    BookingStatus, CourseStatus, RunStatus, booking, course, location, run, school, session,
    session_absence,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::ics::{self, Method, SessionEvent};
use super::messages::{MailContext, place_line};
use crate::i18n::Locale;
use crate::services::query::AllInto;
use crate::services::tokens::{self, Purpose};
use crate::tr;

/// How far back feeds reach, so last week's sessions stay in the calendar.
pub const PAST_DAYS: i64 = 30;

struct RunInfo {
    run: run::Model,
    course: course::Model,
}

async fn places(db: &impl ConnectionTrait) -> Result<HashMap<i32, location::Model>, DbErr> {
    location::Entity::find().all_into(db, |p| (p.id, p)).await
}

/// Where a session happens, on one line: its own place, or else the run's.
fn place_of(
    s: &session::Model,
    r: &run::Model,
    places: &HashMap<i32, location::Model>,
    l: Locale,
) -> String {
    s.location_id
        .or(r.location_id)
        .and_then(|id| places.get(&id))
        .map(|p| place_line(l, p))
        .unwrap_or_default()
}

async fn sessions_from(
    db: &impl ConnectionTrait,
    run_ids: Vec<i32>,
    since: DateTime<Utc>,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids))
        .filter(session::Column::StartsAt.gte(since))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await
}

/// A feed calendar: named, no method, no organiser or attendees.
fn feed(name: &str, events: &[SessionEvent], now: DateTime<Utc>) -> String {
    ics::calendar(Method::Feed, Some(name), events, None, None, now)
}

/// The school's public feed, or `None` for an unknown school.
pub async fn school_feed(
    db: &impl ConnectionTrait,
    slug: &str,
    ctx: &MailContext,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(school) = school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .all_into(db, |c| (c.id, c))
        .await?;
    let runs: HashMap<i32, RunInfo> = run::Entity::find()
        .filter(run::Column::SchoolId.eq(school.id))
        .filter(run::Column::Status.ne(RunStatus::Draft))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            let course = courses.get(&r.course_id)?.clone();
            Some((r.id, RunInfo { run: r, course }))
        })
        .collect();
    let sessions = sessions_from(
        db,
        runs.keys().copied().collect(),
        now - Duration::days(PAST_DAYS),
    )
    .await?;
    let places = places(db).await?;
    let l = Locale::Da;
    let events: Vec<SessionEvent> = sessions
        .iter()
        .filter_map(|s| {
            let info = runs.get(&s.run_id)?;
            let cancelled = s.cancelled || info.run.status == RunStatus::Cancelled;
            let place = place_of(s, &info.run, &places, l);
            let url = format!(
                "{}/kurser/{}#hold-{}",
                ctx.public_url, info.course.slug, info.run.id
            );
            Some(SessionEvent {
                uid: ics::uid("skole", s.id, ctx.host()),
                sequence: u32::try_from(s.sequence + i32::from(cancelled)).unwrap_or(0),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: info.course.title.clone(),
                location: place,
                description: format!("{}\n\n{url}", info.course.summary),
                url: Some(url),
                cancelled,
            })
        })
        .collect();
    let name = format!("{} – {}", school.name, tr!(l, "site.name"));
    Ok(Some(feed(&name, &events, now)))
}

/// A person's private feed for a feed token, or `None` for an unknown or expired token.
pub async fn personal_feed(
    db: &impl ConnectionTrait,
    feed_token: &str,
    ctx: &MailContext,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(t) = tokens::resolve(db, Purpose::Feed, feed_token, now).await? else {
        return Ok(None);
    };
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(t.email_key.as_str()))
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .all(db)
        .await?;
    let l = bookings
        .iter()
        .max_by_key(|b| b.created_at)
        .and_then(|b| Locale::parse(&b.locale))
        .unwrap_or_default();
    let run_ids: Vec<i32> = bookings.iter().map(|b| b.run_id).collect();
    let runs: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids.clone()))
        .all_into(db, |r| (r.id, r))
        .await?;
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(runs.values().map(|r| r.course_id)))
        .all_into(db, |c| (c.id, c))
        .await?;
    let schools: HashMap<i32, school::Model> =
        school::Entity::find().all_into(db, |s| (s.id, s)).await?;
    let afbud: Vec<(i32, i32)> = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .all_into(db, |a| (a.booking_id, a.session_id))
        .await?;
    let sessions = sessions_from(db, run_ids, now - Duration::days(PAST_DAYS)).await?;
    let places = places(db).await?;
    let events: Vec<SessionEvent> = sessions
        .iter()
        .filter_map(|s| {
            let b = bookings.iter().find(|b| b.run_id == s.run_id)?;
            if afbud.contains(&(b.id, s.id)) {
                return None;
            }
            let r = runs.get(&s.run_id)?;
            let c = courses.get(&r.course_id)?;
            let school = schools.get(&r.school_id)?;
            let place = place_of(s, r, &places, l);
            // The feed holds only seats (confirmed bookings), so it carries the meeting link.
            let link = s
                .online_url
                .clone()
                .filter(|_| r.status != RunStatus::Cancelled);
            let mut description = c.title.clone();
            if let Some(link) = &link {
                description.push_str(&format!(
                    "\n\n{}",
                    tr!(l, "mail.body.online_link", url = link)
                ));
            }
            description.push_str(&format!("\n\n{}", super::messages::contact_line(l, school)));
            Some(SessionEvent {
                uid: ics::uid("mine", s.id, ctx.host()),
                sequence: u32::try_from(s.sequence + b.calendar_seq).unwrap_or(0),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: tr!(l, "calendar.event_title", school = school.name),
                location: link.clone().unwrap_or(place),
                description,
                url: link,
                cancelled: s.cancelled,
            })
        })
        .collect();
    Ok(Some(feed(&tr!(l, "calendar.my_feed"), &events, now)))
}
