//! A person's own data: everything stored about them as a file to keep, and deleting it at
//! their request.

use chrono::{DateTime, Utc};
use entity::{booking, course, run, session_absence};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::services::query::AllInto;
use crate::services::transaction::write;

use super::error::BookingError;
use super::lock::status_slug;
use super::participant::{Actor, cancel};

/// Everything stored about the person behind an e-mail key, as JSON for them to keep: each
/// booking with its run, status and the details they gave, and their afbud for single sessions.
pub async fn export(db: &DatabaseConnection, email_key: &str) -> Result<serde_json::Value, DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key))
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let courses: std::collections::HashMap<i32, String> = course::Entity::find()
        .all_into(db, |c| (c.id, c.title))
        .await?;
    let runs: std::collections::HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(bookings.iter().map(|b| b.run_id)))
        .all_into(db, |r| (r.id, r))
        .await?;
    let absences = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .all(db)
        .await?;
    let items: Vec<serde_json::Value> = bookings
        .iter()
        .map(|b| {
            let course = runs
                .get(&b.run_id)
                .and_then(|r| courses.get(&r.course_id))
                .cloned();
            json!({
                "booking": b.id,
                "course": course,
                "run": b.run_id,
                "status": status_slug(b.status),
                "name": b.name,
                "email": b.email,
                "phone": b.phone,
                "perspective": b.perspective,
                "municipality": b.municipality,
                "practical_needs": b.needs,
                "signed_up_at": b.created_at,
                "signed_up_by": b.booked_by_name.as_ref().map(|n| json!({ "name": n, "email": b.booked_by_email })),
                "privacy_notice_version": b.consent_version,
                "privacy_notice_accepted_at": b.consent_at,
                "cancelled_at": b.cancelled_at,
                "afbud_for_sessions": absences
                    .iter()
                    .filter(|a| a.booking_id == b.id)
                    .map(|a| a.session_id)
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "email": email_key, "bookings": items }))
}

/// Deletes what is stored about the person behind an e-mail key, at their request. Active
/// bookings are cancelled first, so their seats go to the next in line; then every booking of
/// theirs loses name, e-mail, phone, practical needs and who signed them up, their queued
/// e-mails and link tokens are deleted, and only what the school's figures need stays, with
/// nothing that points to the person. Returns how many bookings were cleared.
pub async fn forget(
    db: &DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<u64, BookingError> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key))
        .all(db)
        .await?;
    for b in bookings.iter().filter(|b| b.status.is_active()) {
        cancel(db, b.id, &Actor::Staff, now).await?;
    }
    let ids: Vec<i32> = bookings.iter().map(|b| b.id).collect();
    let addresses: Vec<String> = bookings.iter().map(|b| b.email.clone()).collect();
    let ids = &ids;
    let addresses = &addresses;
    write(db, |txn| async move {
        // Every message to or about them goes, sent or not: the rows hold their address.
        entity::outbox_message::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(entity::outbox_message::Column::BookingId.is_in(ids.iter().copied()))
                    .add(
                        entity::outbox_message::Column::Recipient.is_in(addresses.iter().cloned()),
                    ),
            )
            .exec(&txn)
            .await?;
        entity::access_token::Entity::delete_many()
            .filter(entity::access_token::Column::EmailKey.eq(email_key))
            .exec(&txn)
            .await?;
        let cleared = booking::Entity::update_many()
            .col_expr(booking::Column::Name, Expr::value(""))
            .col_expr(booking::Column::Email, Expr::value(""))
            .col_expr(booking::Column::EmailKey, Expr::value(""))
            .col_expr(booking::Column::Phone, Expr::value(Option::<String>::None))
            .col_expr(booking::Column::Needs, Expr::value(""))
            .col_expr(
                booking::Column::BookedByName,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                booking::Column::BookedByEmail,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                booking::Column::ReceiptHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(booking::Column::UpdatedAt, Expr::value(now))
            .filter(booking::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?
            .rows_affected;
        Ok(cleared)
    })
    .await
}
