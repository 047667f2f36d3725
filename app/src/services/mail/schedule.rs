//! Messages that are due because time has passed rather than because someone did something:
//! the reminder before a run's first session, and the evaluation invitation (and one reminder)
//! after its last. A background job calls these every minute; they are safe to run in several
//! server instances at once, because each booking is marked in the same transaction that queues
//! its message, with a guard so only one instance wins.

use chrono::{DateTime, Duration, Utc};
use entity::{
    BookingStatus, RunStatus, attendance, booking, run, school, session, session_absence,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use crate::services::outbox::{self, Kind, Message};
use crate::services::query::AllInto;
use crate::services::transaction::write;

/// The longest reminder lead time a school may set, in hours; bounds the search.
pub const MAX_LEAD_HOURS: i64 = 14 * 24;
/// Evaluation invitations go out for runs that ended at most this long ago, so a fresh
/// installation does not invite people to evaluate last year's courses.
pub const EVALUATION_WINDOW_DAYS: i64 = 14;
/// Days after the invitation that the one reminder goes, if the evaluation is not answered.
pub const EVALUATION_REMINDER_DAYS: i64 = 4;

/// Sessions (not cancelled) of runs that are not cancelled, grouped per run.
async fn sessions_by_run(
    db: &DatabaseConnection,
    run_ids: Vec<i32>,
) -> Result<std::collections::BTreeMap<i32, Vec<session::Model>>, DbErr> {
    let mut by_run = std::collections::BTreeMap::<i32, Vec<session::Model>>::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids))
        .filter(session::Column::Cancelled.eq(false))
        .all(db)
        .await?
    {
        by_run.entry(s.run_id).or_default().push(s);
    }
    Ok(by_run)
}

/// Queues the reminder for every booking with a seat on a run whose first session starts within
/// its school's lead time. When the first session moves, the reminder follows it: the booking
/// remembers which start it was reminded about. Returns how many reminders were queued.
pub async fn queue_reminders(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u32, DbErr> {
    let soon: Vec<i32> = session::Entity::find()
        .select_only()
        .column(session::Column::RunId)
        .distinct()
        .filter(session::Column::Cancelled.eq(false))
        .filter(session::Column::StartsAt.gt(now))
        .filter(session::Column::StartsAt.lte(now + Duration::hours(MAX_LEAD_HOURS)))
        .into_tuple()
        .all(db)
        .await?;
    if soon.is_empty() {
        return Ok(0);
    }
    let runs = run::Entity::find()
        .filter(run::Column::Id.is_in(soon.clone()))
        .filter(run::Column::Status.ne(RunStatus::Cancelled))
        .all(db)
        .await?;
    let leads: std::collections::HashMap<i32, i32> = school::Entity::find()
        .all_into(db, |s| (s.id, s.reminder_lead_hours))
        .await?;
    let sessions = sessions_by_run(db, soon).await?;
    let mut queued = 0;
    for r in runs {
        // The run's first session, not merely its next: a reminder is about the start.
        let Some(first) = sessions
            .get(&r.id)
            .and_then(|ss| ss.iter().map(|s| s.starts_at).min())
        else {
            continue;
        };
        // The run's own lead time, else its school's.
        let lead = Duration::hours(
            i64::from(
                r.reminder_lead_hours
                    .or_else(|| leads.get(&r.school_id).copied())
                    .unwrap_or(48),
            )
            .clamp(1, MAX_LEAD_HOURS),
        );
        if first <= now || first > now + lead {
            continue;
        }
        let due = booking::Entity::find()
            .filter(booking::Column::RunId.eq(r.id))
            .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
            .filter(
                Condition::any()
                    .add(booking::Column::ReminderFor.is_null())
                    .add(booking::Column::ReminderFor.ne(first)),
            )
            .all(db)
            .await?;
        for b in due {
            if mark_and_queue(db, &b, first, now).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Marks a booking as reminded about `first` and queues the reminder; `false` if another
/// instance got there first.
async fn mark_and_queue(
    db: &DatabaseConnection,
    b: &booking::Model,
    first: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let unchanged = match b.reminder_for {
        None => booking::Column::ReminderFor.is_null(),
        Some(t) => booking::Column::ReminderFor.eq(t),
    };
    let mark = booking::Entity::update_many()
        .col_expr(booking::Column::ReminderFor, Expr::value(first))
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(unchanged);
    let payload = json!({ "run_id": b.run_id, "first_start": first });
    mark_once(db, b, mark, Some((Kind::Reminder, payload)), now).await
}

/// Applies `mark` to the booking and, if it changed the row, queues `message` in the same
/// transaction. `mark` carries its own guard, so of several instances only one sees the row
/// change and queues the message; `false` for the others.
async fn mark_once(
    db: &DatabaseConnection,
    b: &booking::Model,
    mark: sea_orm::UpdateMany<booking::Entity>,
    message: Option<(Kind, serde_json::Value)>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mark = &mark;
    let message = &message;
    write(db, |txn| async move {
        let marked = mark
            .clone()
            .filter(booking::Column::Id.eq(b.id))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if marked && let Some((kind, payload)) = message.clone() {
            outbox::enqueue(
                &txn,
                Message {
                    kind,
                    recipient: &b.email,
                    locale: &b.locale,
                    booking_id: Some(b.id),
                    payload,
                },
                now,
            )
            .await?;
        }
        Ok(marked)
    })
    .await
}

/// Queues evaluation invitations for runs whose last session has ended (within the window), to
/// everyone with a seat who took part in at least one session, and one reminder a few days later
/// to those who have not answered. Taking part means having been at a session, or, where no
/// attendance was taken, having a seat and not having given afbud for every session. Returns how many messages were queued.
pub async fn queue_evaluations(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u32, DbErr> {
    let recent: Vec<i32> = session::Entity::find()
        .select_only()
        .column(session::Column::RunId)
        .distinct()
        .filter(session::Column::Cancelled.eq(false))
        .filter(session::Column::EndsAt.lte(now))
        .filter(session::Column::EndsAt.gt(now - Duration::days(EVALUATION_WINDOW_DAYS)))
        .into_tuple()
        .all(db)
        .await?;
    let mut queued = 0;
    if !recent.is_empty() {
        let runs: Vec<i32> = run::Entity::find()
            .select_only()
            .column(run::Column::Id)
            .filter(run::Column::Id.is_in(recent.clone()))
            .filter(run::Column::Status.ne(RunStatus::Cancelled))
            .into_tuple()
            .all(db)
            .await?;
        let sessions = sessions_by_run(db, runs.clone()).await?;
        for run_id in runs {
            let Some(ss) = sessions.get(&run_id) else {
                continue;
            };
            // Only once the last session is over.
            if ss.iter().any(|s| s.ends_at > now) {
                continue;
            }
            let held: Vec<i32> = ss.iter().map(|s| s.id).collect();
            let invitees = booking::Entity::find()
                .filter(booking::Column::RunId.eq(run_id))
                .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
                .filter(booking::Column::EvaluationInvitedAt.is_null())
                .filter(booking::Column::Email.ne(""))
                .all(db)
                .await?;
            // Afbud per booking for the sessions held, in one query for the run.
            let mut afbud = std::collections::HashMap::<i32, usize>::new();
            for a in session_absence::Entity::find()
                .filter(session_absence::Column::BookingId.is_in(invitees.iter().map(|b| b.id)))
                .filter(session_absence::Column::SessionId.is_in(held.clone()))
                .all(db)
                .await?
            {
                *afbud.entry(a.booking_id).or_default() += 1;
            }
            // Once attendance is taken for the run, taking part means having been there.
            let recorded = attendance::Entity::find()
                .filter(attendance::Column::SessionId.is_in(held.clone()))
                .all(db)
                .await?;
            for b in invitees {
                let took_part = if recorded.is_empty() {
                    afbud.get(&b.id).copied().unwrap_or(0) < held.len()
                } else {
                    recorded
                        .iter()
                        .any(|a| a.booking_id == b.id && a.status.attended())
                };
                if mark_evaluation(db, &b, Kind::EvaluationInvitation, took_part, now).await?
                    && took_part
                {
                    queued += 1;
                }
            }
        }
    }
    let reminders = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(
            booking::Column::EvaluationInvitedAt
                .lte(now - Duration::days(EVALUATION_REMINDER_DAYS)),
        )
        .filter(
            booking::Column::EvaluationInvitedAt
                .gt(now - Duration::days(EVALUATION_WINDOW_DAYS + EVALUATION_REMINDER_DAYS)),
        )
        .filter(booking::Column::EvaluationRemindedAt.is_null())
        .filter(booking::Column::Email.ne(""))
        .all(db)
        .await?;
    for b in reminders {
        if mark_evaluation(db, &b, Kind::EvaluationReminder, true, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Marks a booking invited (or reminded) and, if `send`, queues the message; `false` if another
/// instance got there first.
async fn mark_evaluation(
    db: &DatabaseConnection,
    b: &booking::Model,
    kind: Kind,
    send: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let column = if kind == Kind::EvaluationInvitation {
        booking::Column::EvaluationInvitedAt
    } else {
        booking::Column::EvaluationRemindedAt
    };
    let mark = booking::Entity::update_many()
        .col_expr(column, Expr::value(now))
        .filter(column.is_null());
    let message = send.then(|| (kind, json!({ "run_id": b.run_id })));
    mark_once(db, b, mark, message, now).await
}
