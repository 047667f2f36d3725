//! Answers kept for the API's `Idempotency-Key`: a retry of the same request within a day gets
//! the same answer; the key used for another request is refused by the caller.

use chrono::{DateTime, Duration, Utc};
use entity::idempotency_record;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

use crate::rules::retention::IDEMPOTENCY_HOURS;
use crate::services::transaction::write_unseen;

/// The answer kept under a key, if it is still kept.
pub async fn kept(
    db: &DatabaseConnection,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<idempotency_record::Model>, DbErr> {
    idempotency_record::Entity::find()
        .filter(idempotency_record::Column::KeyHash.eq(key_hash))
        .filter(idempotency_record::Column::CreatedAt.gt(now - Duration::hours(IDEMPOTENCY_HOURS)))
        .one(db)
        .await
}

/// Keeps an answer under its key. A copy of the request that got there first wins; both gave
/// the same answer.
pub async fn keep(
    db: &DatabaseConnection,
    key_hash: &str,
    request_hash: &str,
    status: u16,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write_unseen(db, |txn| async move {
        idempotency_record::Entity::insert(idempotency_record::ActiveModel {
            key_hash: Set(key_hash.into()),
            request_hash: Set(request_hash.into()),
            status: Set(i32::from(status)),
            body: Set(body.into()),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([idempotency_record::Column::KeyHash])
        .exec(&txn)
        .await?;
        Ok(())
    })
    .await
}

/// Forgets kept answers older than a day. Returns how many went.
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    write_unseen(db, |txn| async move {
        Ok(idempotency_record::Entity::delete_many()
            .filter(
                idempotency_record::Column::CreatedAt.lt(now - Duration::hours(IDEMPOTENCY_HOURS)),
            )
            .exec(&txn)
            .await?
            .rows_affected)
    })
    .await
}
