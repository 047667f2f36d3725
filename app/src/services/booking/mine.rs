//! What a person sees and asks for about their own bookings: "Mine tilmeldinger" behind their link, a fresh link by e-mail, their
//! private calendar feed link, and the reminder's page.

use chrono::{DateTime, Utc};
use entity::{access_token, booking};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::views::booking_views;
use crate::dto::booking::MyBookingDto;
use crate::error::AppError;
use crate::services::outbox::{self, Kind, Message};
use crate::services::tokens::{self, Purpose};
use crate::services::transaction::write;

/// Queues a fresh "Mine tilmeldinger" link to the address behind `email_key`, if it has ever
/// signed up; nothing otherwise (the page says the same either way).
pub async fn send_manage_link(
    db: &DatabaseConnection,
    email_key: &str,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let latest = booking::Entity::find()
            .filter(booking::Column::EmailKey.eq(email_key))
            .order_by_desc(booking::Column::Id)
            .one(&txn)
            .await?;
        if let Some(b) = latest {
            outbox::enqueue(
                &txn,
                Message {
                    kind: Kind::ManageLink,
                    recipient: &b.email,
                    locale,
                    booking_id: None,
                    payload: serde_json::json!({ "email_key": email_key }),
                },
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// The person's bookings of runs still to come, soonest first ("Mine tilmeldinger"). Runs
/// that are over are not news; the school keeps their figures.
pub async fn upcoming(
    db: &DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<Vec<MyBookingDto>, AppError> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key))
        .all(db)
        .await?;
    let mut views = booking_views(db, bookings, now).await?;
    views.retain(|v| v.run.next_session.is_some());
    views.sort_by_key(|v| v.run.next_session.as_ref().map(|s| s.starts));
    Ok(views)
}

/// A new private calendar feed link for the person, replacing any earlier one.
pub async fn renew_feed_link(
    db: &DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    write(db, |txn| async move {
        access_token::Entity::delete_many()
            .filter(access_token::Column::EmailKey.eq(email_key))
            .filter(access_token::Column::Purpose.eq(Purpose::Feed.as_str()))
            .exec(&txn)
            .await?;
        tokens::issue(&txn, Purpose::Feed, email_key, None, now).await
    })
    .await
}

/// The booking a reminder's link is about, and whether the person has already said they come.
pub async fn reminder(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(MyBookingDto, bool)>, AppError> {
    let Some(t) = tokens::resolve(db, Purpose::Reply, token, now).await? else {
        return Ok(None);
    };
    let Some(b) = booking::Entity::find_by_id(t.booking_id.unwrap_or_default())
        .one(db)
        .await?
        .filter(|b| b.email_key == t.email_key)
    else {
        return Ok(None);
    };
    let coming = b.rsvp.is_some();
    Ok(booking_views(db, vec![b], now)
        .await?
        .pop()
        .map(|view| (view, coming)))
}
