//! Webhooks: a school's koordinator registers an address and picks events; when one happens,
//! a delivery is queued in the same transaction as the change, as an outbox row of kind
//! `webhook` (recipient: the webhook's id; payload: the exact body to send). The server's
//! webhook worker signs and posts it, retrying with backoff, so a delivery survives a restart
//! and is never sent without its change having happened.
//!
//! Bodies carry ids and statuses, never names, e-mails or answers: a partner that needs to
//! know who signed up asks the API with the school's key.

use chrono::{DateTime, Utc};
use entity::{school, webhook};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::{Value, json};

use crate::services::outbox;
use crate::services::query::AllInto;
use crate::services::transaction::write_unseen;

/// The outbox kind of a delivery.
pub const KIND: &str = outbox::WEBHOOK_KIND;

/// What a webhook can be told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    BookingCreated,
    BookingCancelled,
    BookingPromoted,
    RunFull,
    RunCancelled,
    SessionMoved,
    EvaluationSubmitted,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::BookingCreated,
        Event::BookingCancelled,
        Event::BookingPromoted,
        Event::RunFull,
        Event::RunCancelled,
        Event::SessionMoved,
        Event::EvaluationSubmitted,
    ];

    /// The event's name in bodies and the `Skolebaenk-Event` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::BookingCreated => "booking.created",
            Event::BookingCancelled => "booking.cancelled",
            Event::BookingPromoted => "booking.promoted",
            Event::RunFull => "run.full",
            Event::RunCancelled => "run.cancelled",
            Event::SessionMoved => "session.moved",
            Event::EvaluationSubmitted => "evaluation.submitted",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Translation key of the event's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Event::BookingCreated => "staff.hooks.ev.booking_created",
            Event::BookingCancelled => "staff.hooks.ev.booking_cancelled",
            Event::BookingPromoted => "staff.hooks.ev.booking_promoted",
            Event::RunFull => "staff.hooks.ev.run_full",
            Event::RunCancelled => "staff.hooks.ev.run_cancelled",
            Event::SessionMoved => "staff.hooks.ev.session_moved",
            Event::EvaluationSubmitted => "staff.hooks.ev.evaluation_submitted",
        }
    }
}

/// The events a webhook's stored list names, in order.
pub fn events_of(list: &str) -> Vec<Event> {
    Event::ALL
        .into_iter()
        .filter(|e| list.split(',').any(|x| x.trim() == e.as_str()))
        .collect()
}

/// A fresh signing secret: `whsec_` and 32 random bytes in hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("whsec_{hex}")
}

/// The host name of an address (without port, user or brackets), if it has one.
pub fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let hostname = host
        .strip_prefix('[')
        .and_then(|h| h.split_once(']').map(|(h, _)| h))
        .unwrap_or_else(|| host.split(':').next().unwrap_or_default());
    (!hostname.is_empty()).then(|| hostname.to_string())
}

/// Why an address is not accepted for a webhook, as a translation key: its form and scheme.
/// Where it leads is checked by [`check_destination`].
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let url = url.trim();
    if url.len() > 500 || url.chars().any(char::is_whitespace) {
        return Err("staff.hooks.err.url");
    }
    let Some((scheme, _)) = url.split_once("://") else {
        return Err("staff.hooks.err.url");
    };
    let Some(hostname) = host_of(url) else {
        return Err("staff.hooks.err.url");
    };
    let loopback = hostname == "localhost"
        || hostname
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match scheme {
        "https" => Ok(()),
        // Plain HTTP only to this machine (a receiver under development or in tests, where
        // inside addresses are allowed).
        "http" if loopback => Ok(()),
        _ => Err("staff.hooks.err.https"),
    }
}

/// Whether an address leads to the public internet: its host, or every address its name
/// resolves to, must be public (see [`crate::rules::network`]). The answer says no more than
/// that, so the form cannot be used to map the network behind the server. Skipped when the
/// installation allows inside addresses (development and tests).
pub async fn check_destination(url: &str, allow_private: bool) -> Result<(), &'static str> {
    use crate::rules::network::is_public;
    const REFUSED: &str = "staff.hooks.err.inside";
    if allow_private {
        return Ok(());
    }
    let host = host_of(url).ok_or("staff.hooks.err.url")?;
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return if is_public(ip) { Ok(()) } else { Err(REFUSED) };
    }
    let lookup = tokio::net::lookup_host((host.as_str(), 443));
    let addresses: Vec<std::net::SocketAddr> =
        match tokio::time::timeout(std::time::Duration::from_secs(5), lookup).await {
            Ok(Ok(found)) => found.collect(),
            _ => return Err(REFUSED),
        };
    if !addresses.is_empty() && addresses.iter().all(|a| is_public(a.ip())) {
        Ok(())
    } else {
        Err(REFUSED)
    }
}

/// Signs a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

/// Queues `event` for every webhook of `school_id` that asked for it. Call it on the
/// transaction making the change. A switched-off webhook's deliveries are queued too: they
/// wait, and go out if it is switched on again within a day.
pub async fn emit(
    db: &impl ConnectionTrait,
    school_id: i32,
    event: Event,
    data: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let hooks: Vec<webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|h| events_of(&h.events).contains(&event))
        .collect();
    if hooks.is_empty() {
        return Ok(());
    }
    let slug = school::Entity::find_by_id(school_id)
        .one(db)
        .await?
        .map(|s| s.slug)
        .unwrap_or_default();
    for h in hooks {
        let mut id = [0u8; 16];
        rand::rng().fill_bytes(&mut id);
        let delivery: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let body = json!({
            "id": delivery,
            "type": event.as_str(),
            "created_at": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "school": slug,
            "data": data,
        });
        outbox::enqueue_raw(
            db,
            KIND,
            &h.id.to_string(),
            &body.to_string(),
            &format!("<{delivery}@webhook>"),
            now,
        )
        .await?;
    }
    Ok(())
}

/// A school's webhooks, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    schools: &[i32],
) -> Result<Vec<webhook::Model>, DbErr> {
    webhook::Entity::find()
        .filter(webhook::Column::SchoolId.is_in(schools.iter().copied()))
        .order_by_desc(webhook::Column::Id)
        .all(db)
        .await
}

/// Registers a webhook; returns it with its secret (shown once on the page).
pub async fn create(
    db: &impl ConnectionTrait,
    school_id: i32,
    url: &str,
    events: &[Event],
    by: i32,
    now: DateTime<Utc>,
) -> Result<webhook::Model, DbErr> {
    webhook::ActiveModel {
        school_id: Set(school_id),
        url: Set(url.trim().into()),
        secret: Set(new_secret()),
        events: Set(events
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        active: Set(true),
        failures_in_row: Set(0),
        disabled_at: Set(None),
        last_success_at: Set(None),
        created_by: Set(Some(by)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The latest deliveries of the given webhooks, newest first.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    hooks: &[i32],
    limit: u64,
) -> Result<Vec<entity::outbox_message::Model>, DbErr> {
    use entity::outbox_message::{Column as C, Entity as E};
    use sea_orm::QuerySelect;
    E::find()
        .filter(C::Kind.eq(KIND))
        .filter(C::Recipient.is_in(hooks.iter().map(|h| h.to_string())))
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await
}

/// A delivery went through: the webhook's run of failures ends.
pub async fn record_success(
    db: &sea_orm::DatabaseConnection,
    hook_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    write_unseen(db, |txn| async move {
        webhook::Entity::update_many()
            .col_expr(webhook::Column::FailuresInRow, Expr::value(0))
            .col_expr(webhook::Column::LastSuccessAt, Expr::value(now))
            .filter(webhook::Column::Id.eq(hook_id))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}

/// Counts a failed attempt. At `disable_after` in a row the webhook is switched off and the
/// school's koordinatorer are sent an e-mail, once; returns whether that happened now.
pub async fn record_failure(
    db: &sea_orm::DatabaseConnection,
    hook: &webhook::Model,
    disable_after: u32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use entity::{StaffRoleKind, staff_account, staff_role};
    use sea_orm::sea_query::{Expr, ExprTrait};
    write_unseen(db, |txn| async move {
        webhook::Entity::update_many()
            .col_expr(
                webhook::Column::FailuresInRow,
                Expr::col(webhook::Column::FailuresInRow).add(1),
            )
            .filter(webhook::Column::Id.eq(hook.id))
            .exec(&txn)
            .await?;
        let switched_off = webhook::Entity::update_many()
            .col_expr(webhook::Column::Active, Expr::value(false))
            .col_expr(webhook::Column::DisabledAt, Expr::value(now))
            .filter(webhook::Column::Id.eq(hook.id))
            .filter(webhook::Column::Active.eq(true))
            .filter(
                webhook::Column::FailuresInRow
                    .gte(i32::try_from(disable_after).unwrap_or(i32::MAX)),
            )
            .exec(&txn)
            .await?
            .rows_affected
            > 0;
        if switched_off {
            let coordinators: Vec<i32> = staff_role::Entity::find()
                .filter(staff_role::Column::SchoolId.eq(hook.school_id))
                .filter(staff_role::Column::Role.eq(StaffRoleKind::Coordinator))
                .all_into(&txn, |r| r.account_id)
                .await?;
            for account in staff_account::Entity::find()
                .filter(staff_account::Column::Id.is_in(coordinators))
                .filter(staff_account::Column::DisabledAt.is_null())
                .all(&txn)
                .await?
            {
                outbox::enqueue(
                    &txn,
                    outbox::Message {
                        kind: outbox::Kind::WebhookDisabled,
                        recipient: &account.email,
                        locale: "da",
                        booking_id: None,
                        payload: json!({ "webhook_id": hook.id, "url": hook.url }),
                    },
                    now,
                )
                .await?;
            }
        }
        Ok(switched_off)
    })
    .await
}

/// The event name in a delivery's body.
pub fn event_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_over_time_and_body() {
        // The expected value was computed independently, with Python's hmac module.
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn events_round_trip_and_parse_lists() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
        assert_eq!(
            events_of("run.full, booking.created,nonsense"),
            vec![Event::BookingCreated, Event::RunFull]
        );
    }

    #[test]
    fn only_https_or_loopback_http() {
        assert!(check_url("https://partner.example/hook").is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://localhost/hook").is_ok());
        assert!(check_url("http://[::1]:8080/x").is_ok());
        assert_eq!(
            check_url("http://partner.example/hook"),
            Err("staff.hooks.err.https")
        );
        assert_eq!(
            check_url("http://127.0.0.1.evil.example/"),
            Err("staff.hooks.err.https")
        );
        assert_eq!(check_url("ftp://x"), Err("staff.hooks.err.https"));
        assert_eq!(check_url("partner.example"), Err("staff.hooks.err.url"));
        assert_eq!(check_url("https://"), Err("staff.hooks.err.url"));
    }
}
