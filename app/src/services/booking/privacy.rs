//! A person's own data: everything stored about them as a file to keep, and deleting it at
//! their request.

use chrono::{DateTime, Utc};
use entity::{booking, course, run, session_absence};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::services::query::AllInto;
use crate::services::transaction::write;

use super::error::BookingError;
use super::lock::status_slug;
use super::participant::{Actor, cancel};

/// Everything stored about the person behind an e-mail key, as JSON for them to keep: each
/// booking with its run, status and the details they gave, their afbud for single sessions, and
/// the courses they asked to hear about ("Giv mig besked").
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
    let waiting: Vec<serde_json::Value> = entity::course_watch::Entity::find()
        .filter(entity::course_watch::Column::EmailKey.eq(email_key))
        .all(db)
        .await?
        .into_iter()
        .map(|w| json!({ "course": courses.get(&w.course_id), "asked_at": w.created_at }))
        .collect();
    Ok(json!({ "email": email_key, "bookings": items, "waiting_for_news": waiting }))
}

/// Deletes what is stored about the person behind an e-mail key, at their request. Active
/// bookings are cancelled first, so their seats go to the next in line; then their bookings are
/// made anonymous (see [`clear_people`]). Returns how many bookings were cleared.
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
    let bookings = &bookings;
    let pseudonyms = &pseudonyms_for(bookings);
    write(db, |txn| async move {
        // "Giv mig besked" addresses go too.
        entity::course_watch::Entity::delete_many()
            .filter(entity::course_watch::Column::EmailKey.eq(email_key))
            .exec(&txn)
            .await?;
        Ok(clear_people(&txn, bookings, pseudonyms, false, now).await?)
    })
    .await
}

/// Makes bookings anonymous in place, keeping what the school's figures count and nothing that
/// leads to the person: name, e-mail, phone, practical needs and who signed them up go; the
/// e-mail key becomes a random pseudonym (from `pseudonyms`, the same for one person's
/// bookings, so a figure like "came to more than one course" still counts them once); the times become
/// the day; their queued and sent e-mails, link tokens and the names in audit entries go.
/// With `shuffle`, perspective and municipality are dealt out again at random among the run's
/// seat holders (and among the others), so the counts stay and no row keeps its own.
/// Returns how many bookings were cleared.
pub(crate) async fn clear_people(
    txn: &impl sea_orm::ConnectionTrait,
    bookings: &[booking::Model],
    pseudonyms: &std::collections::HashMap<String, String>,
    shuffle: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use rand::seq::SliceRandom;
    use sea_orm::{ActiveModelTrait, Set};
    if bookings.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i32> = bookings.iter().map(|b| b.id).collect();
    let addresses: Vec<String> = bookings
        .iter()
        .map(|b| b.email.clone())
        .filter(|e| !e.is_empty())
        .collect();
    let keys: Vec<String> = bookings
        .iter()
        .map(|b| b.email_key.clone())
        .filter(|k| !k.is_empty())
        .collect();
    // Every message to or about them goes, sent or not: the rows hold their address.
    entity::outbox_message::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(entity::outbox_message::Column::BookingId.is_in(ids.iter().copied()))
                .add(entity::outbox_message::Column::Recipient.is_in(addresses)),
        )
        .exec(txn)
        .await?;
    entity::access_token::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(entity::access_token::Column::EmailKey.is_in(keys))
                .add(entity::access_token::Column::BookingId.is_in(ids.iter().copied())),
        )
        .exec(txn)
        .await?;
    scrub_audit(txn, &ids).await?;

    // Perspective and municipality dealt out again within each run's seat holders and the rest.
    let mut dealt: std::collections::HashMap<i32, (Option<entity::Perspective>, Option<String>)> =
        bookings
            .iter()
            .map(|b| (b.id, (b.perspective, b.municipality.clone())))
            .collect();
    if shuffle {
        let mut groups: std::collections::HashMap<(i32, bool), Vec<i32>> =
            std::collections::HashMap::new();
        for b in bookings {
            let seat = b.status == entity::BookingStatus::Confirmed;
            groups.entry((b.run_id, seat)).or_default().push(b.id);
        }
        let mut rng = rand::rng();
        for members in groups.values() {
            let mut values: Vec<_> = members.iter().map(|id| dealt[id].clone()).collect();
            values.shuffle(&mut rng);
            for (id, value) in members.iter().zip(values) {
                dealt.insert(*id, value);
            }
        }
    }
    let day = |t: DateTime<Utc>| {
        t.date_naive()
            .and_hms_opt(0, 0, 0)
            .map_or(t, |d| d.and_utc())
    };
    let mut cleared = 0;
    for b in bookings {
        let pseudonym = pseudonyms
            .get(&b.email_key)
            .cloned()
            .unwrap_or_else(new_pseudonym);
        let (perspective, municipality) = dealt.remove(&b.id).unwrap_or_default();
        booking::ActiveModel {
            id: Set(b.id),
            name: Set(String::new()),
            email: Set(String::new()),
            email_key: Set(pseudonym),
            phone: Set(None),
            needs: Set(String::new()),
            booked_by_name: Set(None),
            booked_by_email: Set(None),
            receipt_hash: Set(None),
            perspective: Set(perspective),
            municipality: Set(municipality),
            created_at: Set(day(b.created_at)),
            updated_at: Set(Some(day(now))),
            cancelled_at: Set(b.cancelled_at.map(day)),
            consent_at: Set(b.consent_at.map(day)),
            rsvp_at: Set(b.rsvp_at.map(day)),
            ..Default::default()
        }
        .update(txn)
        .await?;
        cleared += 1;
    }
    Ok(cleared)
}

fn new_pseudonym() -> String {
    format!("anon:{}", crate::services::tokens::new_token())
}

/// One random pseudonym per person (e-mail key) among `bookings`, for [`clear_people`].
pub(crate) fn pseudonyms_for(
    bookings: &[booking::Model],
) -> std::collections::HashMap<String, String> {
    let mut map = std::collections::HashMap::new();
    for b in bookings {
        map.entry(b.email_key.clone()).or_insert_with(new_pseudonym);
    }
    map
}

/// Audit entries about these bookings lose the person's name (older entries named them).
async fn scrub_audit(txn: &impl sea_orm::ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    use crate::rules::retention::subject_without_person;
    use entity::audit_log;
    use sea_orm::{ActiveModelTrait, Set};
    let named = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.contains("(tilmelding "))
        .all(txn)
        .await?;
    for entry in named {
        let Some(plain) = subject_without_person(&entry.subject) else {
            continue;
        };
        if ids
            .iter()
            .any(|id| plain.starts_with(&format!("Tilmelding {id},")))
        {
            audit_log::ActiveModel {
                id: Set(entry.id),
                subject: Set(plain),
                ..Default::default()
            }
            .update(txn)
            .await?;
        }
    }
    Ok(())
}
