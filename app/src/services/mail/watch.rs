//! The two mails of "Giv mig besked" (see `services::watch`): the receipt with its "no thanks"
//! link, and the one mail about a course's new run. Neither is about a booking; like every mail,
//! the subject names the school and never the course.

use entity::{RunStatus, course, run, school, session};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::compose::Body;
use super::ics::Party;
use super::rendered::{MailContext, Outcome, Rendered, contact_line, short_name};
use crate::format;
use crate::i18n::Locale;
use crate::rules::retention::WATCH_DAYS;
use crate::rules::time::to_local;
use crate::services::outbox::Kind;
use crate::services::watch;
use crate::tr;

fn id_in(p: &Value, key: &str) -> Option<i32> {
    p.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

/// Renders a [`Kind::WatchReceipt`] or [`Kind::NewRun`] message.
pub async fn render(
    db: &DatabaseConnection,
    kind: Kind,
    l: Locale,
    payload: &Value,
    ctx: &MailContext,
) -> Result<Outcome, DbErr> {
    let (course_id, watch_id) = match kind {
        Kind::WatchReceipt => {
            let Some(w) = (match id_in(payload, "watch_id") {
                Some(id) => watch::find(db, id).await?,
                None => None,
            }) else {
                return Ok(Outcome::Skip("the address no longer waits"));
            };
            (w.course_id, Some(w.id))
        }
        _ => match id_in(payload, "course_id") {
            Some(id) => (id, None),
            None => return Ok(Outcome::Skip("no course in the message")),
        },
    };
    let Some(c) = course::Entity::find_by_id(course_id).one(db).await? else {
        return Ok(Outcome::Skip("the course is gone"));
    };
    let Some(s) = school::Entity::find_by_id(c.school_id).one(db).await? else {
        return Ok(Outcome::Skip("the school is gone"));
    };
    let mut body = Body {
        lang: l.code(),
        greeting: tr!(l, "mail.greeting_plain"),
        signature: vec![tr!(l, "mail.regards"), s.name.clone(), contact_line(l, &s)],
        ..Body::default()
    };
    let subject_key = if let Some(id) = watch_id {
        let token = watch::mint_token(db, id).await?;
        body.text(tr!(
            l,
            "mail.body.watch_receipt",
            course = c.title,
            days = WATCH_DAYS
        ))
        .button(
            tr!(l, "mail.body.watch_stop"),
            format!("{}/giv-besked/{token}", ctx.public_url),
        )
        .small(tr!(l, "mail.body.watch_not_you"));
        "mail.subject.watch_receipt"
    } else {
        let Some(r) = (match id_in(payload, "run_id") {
            Some(id) => run::Entity::find_by_id(id).one(db).await?,
            None => None,
        })
        .filter(|r| r.status == RunStatus::Published) else {
            return Ok(Outcome::Skip("the run is no longer published"));
        };
        let first = session::Entity::find()
            .filter(session::Column::RunId.eq(r.id))
            .filter(session::Column::Cancelled.eq(false))
            .order_by_asc(session::Column::StartsAt)
            .one(db)
            .await?;
        body.text(tr!(l, "mail.body.new_run", course = c.title));
        if let Some(first) = first {
            body.text(tr!(
                l,
                "mail.body.new_run_first",
                when = format::session_when(l, to_local(first.starts_at), to_local(first.ends_at))
            ));
        }
        body.button(
            tr!(l, "mail.body.new_run_button"),
            format!("{}/kurser/{}#hold-{}", ctx.public_url, c.slug, r.id),
        )
        .small(tr!(l, "mail.body.new_run_deleted"));
        "mail.subject.new_run"
    };
    let subject = tr!(l, subject_key, school = short_name(&s));
    body.title = subject.clone();
    Ok(Outcome::Send(Box::new(Rendered {
        subject,
        text: body.to_text(),
        html: body.to_html(),
        from_name: s.name.clone(),
        reply_to: Some(Party {
            name: s.name.clone(),
            email: s.email.clone(),
        }),
        calendar: None,
    })))
}
