//! A run's list of people: who has a seat and who waits, with contact, status and the state of
//! their e-mail (not the evaluation's: who answered is nobody's business); and a message to
//! everyone on it. How a person takes part (perspective) is counted in the reports only.

use chrono::{DateTime, NaiveDateTime, Utc};
use entity::{BookingStatus, booking, course, run, school, session};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::dto::booking::BookingState;
use crate::dto::staff::roster::RosterRow;
use crate::rules::seats;
use crate::rules::time::to_local;
use crate::services::booking::entry;
use crate::services::outbox::{self, Kind, Message};
use crate::services::transaction::write;

/// What the list shows of a run.
pub struct Roster {
    pub seats: Vec<RosterRow>,
    pub waiting: Vec<RosterRow>,
    pub course_title: String,
    pub school_name: String,
    /// When the first session (not cancelled) begins.
    pub first: Option<NaiveDateTime>,
}

/// The list of `r`: seats, then the queue in order.
pub async fn roster(db: &DatabaseConnection, r: &run::Model) -> Result<Roster, DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::RunId.eq(r.id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .order_by_asc(booking::Column::QueueNo)
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = bookings.iter().map(|b| b.id).collect();
    let mail = outbox::mail_state(db, &ids).await?;
    let entries: Vec<seats::Entry> = bookings.iter().map(entry).collect();
    let mut seats = Vec::new();
    let mut waiting = Vec::new();
    for b in bookings {
        let state = match b.status {
            BookingStatus::Confirmed => BookingState::Confirmed,
            BookingStatus::Offered => BookingState::Offered {
                until: b.offer_expires_at.map(to_local).unwrap_or_default(),
            },
            _ => BookingState::Waiting {
                position: seats::position(&entries, b.id).unwrap_or(0),
            },
        };
        let m = mail.get(&b.id);
        let phone_only = b.email.is_empty() && crate::rules::signup::is_phone_key(&b.email_key);
        let row = RosterRow {
            booking_id: b.id,
            name: b.name,
            email: b.email,
            phone: b.phone,
            needs: b.needs,
            booked_by: b.booked_by_name,
            coming: b.rsvp.is_some(),
            mail_failed: m.is_some_and(|m| m.any_failed),
            phone_only,
            state,
        };
        if b.status == BookingStatus::Confirmed {
            seats.push(row);
        } else {
            waiting.push(row);
        }
    }
    // Offers first (they hold a seat for now), then the queue in its order.
    waiting.sort_by_key(|r| match r.state {
        BookingState::Waiting { position } => position,
        _ => 0,
    });
    let course = course::Entity::find_by_id(r.course_id).one(db).await?;
    let school = school::Entity::find_by_id(r.school_id).one(db).await?;
    let first = session::Entity::find()
        .filter(session::Column::RunId.eq(r.id))
        .filter(session::Column::Cancelled.eq(false))
        .order_by_asc(session::Column::StartsAt)
        .one(db)
        .await?
        .map(|s| to_local(s.starts_at));
    Ok(Roster {
        seats,
        waiting,
        course_title: course.map(|c| c.title).unwrap_or_default(),
        school_name: school.map(|s| s.name).unwrap_or_default(),
        first,
    })
}

/// Writes `text` from `from` to everyone with a seat or a place in the queue of run `run_id`,
/// by e-mail. Returns how many it went to.
pub async fn message_everyone(
    db: &DatabaseConnection,
    run_id: i32,
    from: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    write(db, |txn| async move {
        let people = booking::Entity::find()
            .filter(booking::Column::RunId.eq(run_id))
            .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
            .all(&txn)
            .await?;
        for b in &people {
            outbox::enqueue(
                &txn,
                Message {
                    kind: Kind::RunMessage,
                    recipient: &b.email,
                    locale: &b.locale,
                    booking_id: Some(b.id),
                    payload: serde_json::json!({ "run_id": run_id, "from": from, "text": text }),
                },
                now,
            )
            .await?;
        }
        Ok(people.len())
    })
    .await
}
