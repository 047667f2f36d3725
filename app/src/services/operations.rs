//! What an operator watches: the outbox's backlog and the webhooks switched off, read for the
//! metrics endpoint. Counts only; nothing about any person.

use chrono::{DateTime, Utc};
use entity::{outbox_message, webhook};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::services::outbox::{WEBHOOK_KIND, status};

/// The work waiting in one queue of the outbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    /// Rows not yet sent (waiting, being sent, or waiting to be tried again).
    pub pending: u64,
    /// When the oldest of them was queued.
    pub oldest: Option<DateTime<Utc>>,
}

/// The outbox and webhooks at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    pub mail: Queue,
    pub webhooks: Queue,
    /// Calls to people without e-mail that nobody has marked as made.
    pub calls_open: u64,
    /// Webhooks switched off after failing in a row.
    pub webhooks_switched_off: u64,
}

/// Reads the backlog.
pub async fn backlog(db: &impl ConnectionTrait) -> Result<Backlog, DbErr> {
    Ok(Backlog {
        mail: queue(db, false).await?,
        webhooks: queue(db, true).await?,
        calls_open: outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq(status::CALL))
            .count(db)
            .await?,
        webhooks_switched_off: webhook::Entity::find()
            .filter(webhook::Column::DisabledAt.is_not_null())
            .count(db)
            .await?,
    })
}

async fn queue(db: &impl ConnectionTrait, webhooks: bool) -> Result<Queue, DbErr> {
    use outbox_message::Column as C;
    let of_queue = if webhooks {
        C::Kind.eq(WEBHOOK_KIND)
    } else {
        C::Kind.ne(WEBHOOK_KIND)
    };
    let waiting = || {
        outbox_message::Entity::find()
            .filter(of_queue.clone())
            .filter(C::Status.is_in([status::PENDING, status::SENDING]))
    };
    let pending = waiting().count(db).await?;
    let oldest = waiting()
        .select_only()
        .column(C::CreatedAt)
        .order_by_asc(C::CreatedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?;
    Ok(Queue { pending, oldest })
}
