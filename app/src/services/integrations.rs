//! A school's integrations as its koordinatorer see them: API keys, webhooks with their latest
//! deliveries, the school's colour and the code for the embedded course list; and the changes
//! made there that are not a key's or a webhook's own (switching a webhook on again, deleting
//! it, the colour).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{outbox_message, school, webhook};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryOrder,
};

use crate::dto::staff::integrations::{ApiKeyDto, DeliveryDto, SchoolIntegrationsDto, WebhookDto};
use crate::rules::access::{Action, Grants};
use crate::rules::time::to_local;
use crate::services::transaction::write;
use crate::services::{api_keys, catalogue, embed, outbox, webhooks};

/// The schools whose integrations the person may manage, by name.
pub async fn managed_schools(
    db: &DatabaseConnection,
    grants: &Grants,
) -> Result<Vec<school::Model>, DbErr> {
    Ok(school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| grants.may(Action::ManageIntegrations { school: s.id }))
        .collect())
}

/// The integrations of `schools`, with links and code for the site at `base`.
pub async fn overview(
    db: &DatabaseConnection,
    schools: Vec<school::Model>,
    base: &str,
    now: DateTime<Utc>,
) -> Result<
    (
        Vec<SchoolIntegrationsDto>,
        Vec<entity::api_key::Model>,
        Vec<webhook::Model>,
    ),
    DbErr,
> {
    let ids: Vec<i32> = schools.iter().map(|s| s.id).collect();
    let keys = api_keys::list(db, &ids).await?;
    let hooks = webhooks::list(db, &ids).await?;
    let hook_ids: Vec<i32> = hooks.iter().map(|h| h.id).collect();
    let deliveries = webhooks::deliveries(db, &hook_ids, 50).await?;
    let school_of_hook: HashMap<i32, i32> = hooks.iter().map(|h| (h.id, h.school_id)).collect();
    let upcoming = catalogue::matching_runs(db, &Default::default(), now).await?;
    let list = schools
        .into_iter()
        .map(|s| SchoolIntegrationsDto {
            iframe_snippet: embed::iframe_snippet(
                base,
                &s.slug,
                &s.name,
                upcoming.iter().filter(|r| r.school.slug == s.slug).count(),
            ),
            script_snippet: embed::script_snippet(base, &s.slug),
            may_manage_keys: false,
            keys: keys
                .iter()
                .filter(|k| k.school_id == s.id)
                .map(|k| ApiKeyDto {
                    id: k.id,
                    name: k.name.clone(),
                    prefix: k.prefix.clone(),
                    write: k.scope == "write",
                    created: to_local(k.created_at),
                    last_used: k.last_used_at.map(to_local),
                    expires: k.expires_at.map(to_local),
                    revoked: k.revoked_at.map(to_local),
                    live: k.revoked_at.is_none() && k.expires_at.is_none_or(|at| at > now),
                })
                .collect(),
            hooks: hooks
                .iter()
                .filter(|h| h.school_id == s.id)
                .map(|h| WebhookDto {
                    id: h.id,
                    url: h.url.clone(),
                    events: webhooks::events_of(&h.events)
                        .into_iter()
                        .map(|e| e.as_str().to_string())
                        .collect(),
                    active: h.active,
                    failures_in_row: h.failures_in_row,
                    disabled: h.disabled_at.map(to_local),
                    last_success: h.last_success_at.map(to_local),
                })
                .collect(),
            deliveries: deliveries
                .iter()
                .filter_map(|d| {
                    let hook = d.recipient.parse::<i32>().ok()?;
                    (school_of_hook.get(&hook) == Some(&s.id)).then(|| DeliveryDto {
                        id: d.id,
                        webhook_id: hook,
                        event: webhooks::event_of(&d.payload),
                        created: to_local(d.created_at),
                        status: d.status.clone(),
                        attempts: d.attempts,
                        last_error: d.last_error.clone(),
                    })
                })
                .take(20)
                .collect(),
            id: s.id,
            slug: s.slug,
            name: s.name,
            colour: s.colour,
        })
        .collect();
    Ok((list, keys, hooks))
}

/// The school's webhook with this id.
pub async fn hook(
    db: &DatabaseConnection,
    school_id: i32,
    id: i32,
) -> Result<Option<webhook::Model>, DbErr> {
    Ok(webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|h| h.school_id == school_id))
}

/// Switches a webhook on again after it was switched off; its waiting deliveries go out now.
pub async fn enable_hook(
    db: &DatabaseConnection,
    h: &webhook::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        webhook::Entity::update_many()
            .col_expr(webhook::Column::Active, Expr::value(true))
            .col_expr(webhook::Column::FailuresInRow, Expr::value(0))
            .col_expr(
                webhook::Column::DisabledAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(webhook::Column::Id.eq(h.id))
            .exec(&txn)
            .await?;
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
            .filter(outbox_message::Column::Kind.eq(webhooks::KIND))
            .filter(outbox_message::Column::Recipient.eq(h.id.to_string()))
            .filter(outbox_message::Column::Status.eq(outbox::status::PENDING))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}

/// Deletes a webhook; deliveries still waiting are dropped with it.
pub async fn delete_hook(db: &DatabaseConnection, h: &webhook::Model) -> Result<(), DbErr> {
    write(db, |txn| async move {
        h.clone().delete(&txn).await?;
        Ok(())
    })
    .await
}

/// Sets the school's colour for the embedded catalogue (`#rrggbb`).
pub async fn set_colour(
    db: &DatabaseConnection,
    school_id: i32,
    colour: &str,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        school::Entity::update_many()
            .col_expr(school::Column::Colour, Expr::value(colour))
            .filter(school::Column::Id.eq(school_id))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}
