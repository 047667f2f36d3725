//! "Giv mig besked": a person leaves an address on a course page with no open run, to be told
//! once when the course gets a new one. The receipt mail carries a "no thanks" link (its token
//! minted when the mail is written, only its hash kept); publishing a run of the course queues
//! one mail per address and deletes the addresses in the same transaction; addresses nobody
//! needed are deleted after [`WATCH_DAYS`]. The answer on the page is the same whether or not the
//! address was already waiting.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::course_watch;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Set,
};
use serde_json::json;

use crate::rules::retention::WATCH_DAYS;
use crate::rules::signup::email_key;
use crate::services::outbox::{self, Kind, Message};
use crate::services::tokens;
use crate::services::transaction::write;

/// Leaves `email` to be told about course `course_id`'s next run, and queues the receipt. An
/// address already waiting for the course is left as it is (no second receipt).
pub async fn add(
    db: &DatabaseConnection,
    course_id: i32,
    email: &str,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let key = email_key(email);
    write(db, |txn| {
        let key = key.clone();
        async move {
            let waiting = course_watch::Entity::find()
                .filter(course_watch::Column::CourseId.eq(course_id))
                .filter(course_watch::Column::EmailKey.eq(key.as_str()))
                .one(&txn)
                .await?;
            if waiting.is_some() {
                return Ok(());
            }
            let row = course_watch::ActiveModel {
                course_id: Set(course_id),
                email: Set(email.trim().to_string()),
                email_key: Set(key),
                locale: Set(locale.to_string()),
                token_hash: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            outbox::enqueue(
                &txn,
                Message {
                    kind: Kind::WatchReceipt,
                    recipient: &row.email,
                    locale: &row.locale,
                    booking_id: None,
                    payload: json!({ "watch_id": row.id }),
                },
                now,
            )
            .await
        }
    })
    .await
}

/// A waiting address, by id.
pub async fn find(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<course_watch::Model>, DbErr> {
    course_watch::Entity::find_by_id(id).one(db).await
}

/// Mints the "no thanks" link's token for a waiting address (only its hash is kept; an older
/// link stops working).
pub async fn mint_token(db: &DatabaseConnection, id: i32) -> Result<String, DbErr> {
    let token = tokens::new_token();
    let hash = tokens::hash(&token);
    write(db, |txn| {
        let hash = hash.clone();
        async move {
            course_watch::Entity::update_many()
                .col_expr(course_watch::Column::TokenHash, Expr::value(Some(hash)))
                .filter(course_watch::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            Ok::<(), DbErr>(())
        }
    })
    .await?;
    Ok(token)
}

/// The waiting address a "no thanks" link opens, if it still waits.
pub async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<course_watch::Model>, DbErr> {
    if !tokens::looks_like_token(token) {
        return Ok(None);
    }
    course_watch::Entity::find()
        .filter(course_watch::Column::TokenHash.eq(tokens::hash(token)))
        .filter(course_watch::Column::CreatedAt.gt(now - Duration::days(WATCH_DAYS)))
        .one(db)
        .await
}

/// The course and school a "no thanks" link is about, if the address still waits.
pub async fn course_of_token(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, DbErr> {
    let Some(w) = by_token(db, token, now).await? else {
        return Ok(None);
    };
    let Some(c) = entity::course::Entity::find_by_id(w.course_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let school = entity::school::Entity::find_by_id(c.school_id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(Some((c.title, school)))
}

/// "No thanks": deletes the address a link opens. `false` if it was gone already.
pub async fn remove(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let Some(row) = by_token(db, token, now).await? else {
        return Ok(false);
    };
    let id = row.id;
    write(db, |txn| async move {
        course_watch::Entity::delete_by_id(id).exec(&txn).await?;
        Ok(true)
    })
    .await
}

/// Queues the one mail about a new run to everyone waiting for the course, and deletes their
/// addresses: nobody is told twice, and nothing is kept once told. Call inside the transaction
/// that publishes the run.
pub async fn tell_about_new_run(
    txn: &impl ConnectionTrait,
    course_id: i32,
    run_id: i32,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let waiting = course_watch::Entity::find()
        .filter(course_watch::Column::CourseId.eq(course_id))
        .filter(course_watch::Column::CreatedAt.gt(now - Duration::days(WATCH_DAYS)))
        .all(txn)
        .await?;
    for w in &waiting {
        outbox::enqueue(
            txn,
            Message {
                kind: Kind::NewRun,
                recipient: &w.email,
                locale: &w.locale,
                booking_id: None,
                payload: json!({ "course_id": course_id, "run_id": run_id }),
            },
            now,
        )
        .await?;
    }
    course_watch::Entity::delete_many()
        .filter(course_watch::Column::CourseId.eq(course_id))
        .exec(txn)
        .await?;
    Ok(waiting.len())
}

/// Deletes addresses that have waited longer than [`WATCH_DAYS`]. Returns how many went.
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    write(db, |txn| async move {
        Ok(course_watch::Entity::delete_many()
            .filter(course_watch::Column::CreatedAt.lte(now - Duration::days(WATCH_DAYS)))
            .exec(&txn)
            .await?
            .rows_affected)
    })
    .await
}

/// How many addresses wait for each of `course_ids` (for the reports, which hide counts under
/// five).
pub async fn waiting(
    db: &impl ConnectionTrait,
    course_ids: &[i32],
) -> Result<HashMap<i32, u64>, DbErr> {
    let rows: Vec<i32> = course_watch::Entity::find()
        .select_only()
        .column(course_watch::Column::CourseId)
        .filter(course_watch::Column::CourseId.is_in(course_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = HashMap::new();
    for c in rows {
        *counts.entry(c).or_default() += 1;
    }
    Ok(counts)
}
