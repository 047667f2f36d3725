//! Calls for staff to make: people signed up by phone without e-mail hear their news that way
//! (a seat, a freed waiting-list seat, afbud, changes, the reminder). The outbox keeps each as a
//! row in state `call` instead of a mail; the run's list and the team's home page show them
//! with the person's name and number until someone marks the call made.

use entity::{booking, course, outbox_message, run};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use crate::dto::staff::home::CallDto;
use crate::rules::time::to_local;
use crate::services::outbox::{Kind, status};
use crate::services::query::AllInto;
use crate::services::transaction::write;

/// Where to look for calls: runs, and every run of some schools.
pub struct Scope<'a> {
    pub runs: &'a [i32],
    pub schools: &'a [i32],
}

/// The calls still to make in `scope`, oldest first.
pub async fn open(db: &impl ConnectionTrait, scope: Scope<'_>) -> Result<Vec<CallDto>, DbErr> {
    if scope.runs.is_empty() && scope.schools.is_empty() {
        return Ok(Vec::new());
    }
    let runs = run::Entity::find()
        .filter(
            Condition::any()
                .add(run::Column::Id.is_in(scope.runs.iter().copied()))
                .add(run::Column::SchoolId.is_in(scope.schools.iter().copied())),
        )
        .select_only()
        .column(run::Column::Id)
        .into_query();
    let rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(status::CALL))
        .filter(
            outbox_message::Column::BookingId.in_subquery(
                booking::Entity::find()
                    .select_only()
                    .column(booking::Column::Id)
                    .filter(booking::Column::RunId.in_subquery(runs))
                    .into_query(),
            ),
        )
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let bookings: std::collections::HashMap<i32, booking::Model> = booking::Entity::find()
        .filter(booking::Column::Id.is_in(rows.iter().filter_map(|r| r.booking_id)))
        .all_into(db, |b| (b.id, b))
        .await?;
    let run_courses: std::collections::HashMap<i32, i32> = run::Entity::find()
        .filter(run::Column::Id.is_in(bookings.values().map(|b| b.run_id)))
        .all_into(db, |r| (r.id, r.course_id))
        .await?;
    let titles: std::collections::HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(run_courses.values().copied()))
        .all_into(db, |c| (c.id, c.title))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let b = bookings.get(&r.booking_id?)?;
            // Someone forgotten or given an e-mail since has no call left to get.
            let phone = b.phone.clone().filter(|_| b.email.is_empty())?;
            let kind = Kind::parse(&r.kind)?;
            Some(CallDto {
                id: r.id,
                run_id: b.run_id,
                course_title: run_courses
                    .get(&b.run_id)
                    .and_then(|c| titles.get(c))
                    .cloned()
                    .unwrap_or_default(),
                name: b.name.clone(),
                phone,
                what_key: kind.call_key().to_string(),
                queued: to_local(r.created_at),
            })
        })
        .collect())
}

/// The run a call is about, if it is still open.
pub async fn run_of(db: &impl ConnectionTrait, call_id: i32) -> Result<Option<i32>, DbErr> {
    let Some(row) = outbox_message::Entity::find_by_id(call_id)
        .filter(outbox_message::Column::Status.eq(status::CALL))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(booking_id) = row.booking_id else {
        return Ok(None);
    };
    Ok(booking::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .map(|b| b.run_id))
}

/// Marks a call as made.
pub async fn done(
    db: &sea_orm::DatabaseConnection,
    call_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(status::CALLED))
            .col_expr(outbox_message::Column::SentAt, Expr::value(Some(now)))
            .filter(outbox_message::Column::Id.eq(call_id))
            .filter(outbox_message::Column::Status.eq(status::CALL))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}
