//! `/personale/integrationer`: a koordinator's tools for other systems. API keys (created with
//! a name, a scope and a lifetime, shown once, revoked), webhooks (an address and events; the
//! signing secret shown once; deliveries with their state; switched on again after a failure)
//! and the embedded catalogue (the school's colour and the code to paste).

use std::collections::HashMap;

#[allow(unused_imports)]
use crate::dto::staff::integrations::*;
use leptos::prelude::*;

use crate::error::AppError;

/// Shows a new API key once, on the next page.
pub const NEW_KEY_COOKIE: &str = "sb_ny_noegle";
/// Shows a new webhook's secret once, on the next page.
pub const NEW_HOOK_COOKIE: &str = "sb_ny_webhook";
#[cfg(feature = "ssr")]
const PAGE: &str = "/personale/integrationer";

#[server(endpoint = "integrationer")]
pub async fn integrations() -> Result<IntegrationsDto, AppError> {
    use crate::rules::access::Action;
    use crate::rules::time::to_local;
    use crate::services::request;
    use entity::school;
    use sea_orm::{EntityTrait, QueryOrder};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let schools: Vec<school::Model> = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| {
            ctx.me
                .grants
                .may(Action::ManageIntegrations { school: s.id })
        })
        .collect();
    if schools.is_empty() {
        return crate::services::staff::guard::forbidden(&ctx, "integrations");
    }
    let ids: Vec<i32> = schools.iter().map(|s| s.id).collect();
    let keys = crate::services::api_keys::list(db, &ids).await?;
    let hooks = crate::services::webhooks::list(db, &ids).await?;
    let hook_ids: Vec<i32> = hooks.iter().map(|h| h.id).collect();
    let deliveries = crate::services::webhooks::deliveries(db, &hook_ids, 50).await?;
    let school_of_hook: HashMap<i32, i32> = hooks.iter().map(|h| (h.id, h.school_id)).collect();

    // Shown once: the cookie goes with this answer, and the key or secret must be the
    // person's school's.
    let new_key = request::cookie(NEW_KEY_COOKIE).and_then(|k| {
        let hash = crate::services::tokens::hash(&k);
        keys.iter()
            .find(|m| m.key_hash == hash && m.revoked_at.is_none())
            .map(|m| (m.school_id, k))
    });
    let new_secret = request::cookie(NEW_HOOK_COOKIE)
        .and_then(|id| id.parse::<i32>().ok())
        .and_then(|id| hooks.iter().find(|h| h.id == id))
        .map(|h| (h.id, h.secret.clone()));
    if new_key.is_some() {
        request::set_flash(NEW_KEY_COOKIE, "", PAGE, 0);
    }
    if new_secret.is_some() {
        request::set_flash(NEW_HOOK_COOKIE, "", PAGE, 0);
    }

    let now = ctx.now;
    let base = ctx.state.public_url.clone();
    let upcoming = crate::services::catalogue::matching_runs(db, &Default::default(), now).await?;
    let schools = schools
        .into_iter()
        .map(|s| SchoolIntegrationsDto {
            iframe_snippet: crate::http::embed::iframe_snippet(
                &base,
                &s.slug,
                &s.name,
                upcoming.iter().filter(|r| r.school.slug == s.slug).count(),
            ),
            script_snippet: crate::http::embed::script_snippet(&base, &s.slug),
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
                    events: crate::services::webhooks::events_of(&h.events)
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
                        event: crate::services::webhooks::event_of(&d.payload),
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
    Ok(IntegrationsDto {
        schools,
        new_key,
        new_secret,
        public_url: ctx.state.public_url.clone(),
        events: crate::services::webhooks::Event::ALL
            .iter()
            .map(|e| e.as_str().to_string())
            .collect(),
    })
}

/// The school a form names, if the person may manage its integrations.
#[cfg(feature = "ssr")]
async fn school_of(
    ctx: &crate::services::staff::guard::Ctx,
    school: &str,
) -> Result<i32, AppError> {
    use crate::rules::access::Action;
    let Ok(id) = school.trim().parse::<i32>() else {
        return crate::services::staff::guard::not_found();
    };
    crate::services::staff::guard::allow(ctx, Action::ManageIntegrations { school: id })?;
    Ok(id)
}

/// The school's webhook a form names.
#[cfg(feature = "ssr")]
async fn hook_of(
    ctx: &crate::services::staff::guard::Ctx,
    school_id: i32,
    hook: &str,
) -> Result<Option<entity::webhook::Model>, AppError> {
    use sea_orm::EntityTrait;
    let Ok(id) = hook.trim().parse::<i32>() else {
        return Ok(None);
    };
    Ok(entity::webhook::Entity::find_by_id(id)
        .one(&ctx.state.db)
        .await?
        .filter(|h| h.school_id == school_id))
}

#[cfg(feature = "ssr")]
fn back(query: &str, anchor: &str) {
    leptos_axum::redirect(&format!("{PAGE}?{query}#{anchor}"));
}

/// Creates an API key and shows it once.
#[server(endpoint = "integrationer_ny_noegle")]
pub async fn create_api_key(
    #[server(default)] school: String,
    #[server(default)] name: String,
    #[server(default)] scope: String,
    #[server(default)] valid: String,
) -> Result<(), AppError> {
    use crate::services::api_keys::{self, MAX_NAME_CHARS, Scope};
    use crate::services::request;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let anchor = format!("noegler-{school_id}");
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        back("fejl=navn", &anchor);
        return Ok(());
    }
    let Some(scope) = Scope::parse(&scope) else {
        back("fejl=adgang", &anchor);
        return Ok(());
    };
    let valid_for = match valid.as_str() {
        "90" => Some(chrono::Duration::days(90)),
        "365" | "" => Some(chrono::Duration::days(365)),
        "aldrig" => None,
        _ => {
            back("fejl=varighed", &anchor);
            return Ok(());
        }
    };
    let (model, key) = api_keys::create(
        &ctx.state.db,
        school_id,
        name,
        scope,
        valid_for,
        ctx.me.account.id,
        ctx.now,
    )
    .await?;
    crate::services::staff::guard::audit(
        &ctx,
        Some(school_id),
        "api_key.created",
        format!("{} ({}…)", model.name, model.prefix),
        scope.as_str().into(),
    )
    .await?;
    request::set_flash(NEW_KEY_COOKIE, &key, PAGE, 300);
    back("ny=noegle", &anchor);
    Ok(())
}

/// Revokes an API key at once.
#[server(endpoint = "integrationer_tilbagekald")]
pub async fn revoke_api_key(
    #[server(default)] school: String,
    #[server(default)] key: String,
) -> Result<(), AppError> {
    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let Ok(key_id) = key.trim().parse::<i32>() else {
        return crate::services::staff::guard::not_found();
    };
    if let Some(k) =
        crate::services::api_keys::revoke(&ctx.state.db, school_id, key_id, ctx.now).await?
    {
        crate::services::staff::guard::audit(
            &ctx,
            Some(school_id),
            "api_key.revoked",
            format!("{} ({}…)", k.name, k.prefix),
            String::new(),
        )
        .await?;
    }
    back("tilbagekaldt=1", &format!("noegler-{school_id}"));
    Ok(())
}

/// Registers a webhook; its secret is shown once.
#[server(endpoint = "integrationer_ny_webhook")]
pub async fn create_webhook(
    #[server(default)] school: String,
    #[server(default)] url: String,
    #[server(default)] events: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::webhooks::{self, Event};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let anchor = format!("webhooks-{school_id}");
    if let Err(key) = webhooks::check_url(&url) {
        let code = if key.ends_with("https") {
            "https"
        } else {
            "adresse"
        };
        back(&format!("fejl={code}"), &anchor);
        return Ok(());
    }
    let chosen: Vec<Event> = Event::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| events.contains_key(&format!("e{i}")))
        .map(|(_, e)| e)
        .collect();
    if chosen.is_empty() {
        back("fejl=haendelser", &anchor);
        return Ok(());
    }
    let hook = webhooks::create(
        &ctx.state.db,
        school_id,
        &url,
        &chosen,
        ctx.me.account.id,
        ctx.now,
    )
    .await?;
    crate::services::staff::guard::audit(
        &ctx,
        Some(school_id),
        "webhook.created",
        hook.url.clone(),
        hook.events.clone(),
    )
    .await?;
    request::set_flash(NEW_HOOK_COOKIE, &hook.id.to_string(), PAGE, 300);
    back("ny=webhook", &anchor);
    Ok(())
}

/// Switches a webhook on again after it was switched off; waiting deliveries go out now.
#[server(endpoint = "integrationer_webhook_til")]
pub async fn enable_webhook(
    #[server(default)] school: String,
    #[server(default)] hook: String,
) -> Result<(), AppError> {
    use entity::{outbox_message, webhook};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let db = &ctx.state.db;
    let Some(h) = hook_of(&ctx, school_id, &hook).await? else {
        return crate::services::staff::guard::not_found();
    };
    webhook::Entity::update_many()
        .col_expr(webhook::Column::Active, Expr::value(true))
        .col_expr(webhook::Column::FailuresInRow, Expr::value(0))
        .col_expr(
            webhook::Column::DisabledAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(webhook::Column::Id.eq(h.id))
        .exec(db)
        .await?;
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(ctx.now))
        .filter(outbox_message::Column::Kind.eq(crate::services::webhooks::KIND))
        .filter(outbox_message::Column::Recipient.eq(h.id.to_string()))
        .filter(outbox_message::Column::Status.eq(crate::services::outbox::status::PENDING))
        .exec(db)
        .await?;
    crate::services::staff::guard::audit(
        &ctx,
        Some(school_id),
        "webhook.enabled",
        h.url,
        String::new(),
    )
    .await?;
    back("til=1", &format!("webhooks-{school_id}"));
    Ok(())
}

/// Deletes a webhook; deliveries still waiting are dropped.
#[server(endpoint = "integrationer_webhook_slet")]
pub async fn delete_webhook(
    #[server(default)] school: String,
    #[server(default)] hook: String,
) -> Result<(), AppError> {
    use sea_orm::ModelTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let db = &ctx.state.db;
    let Some(h) = hook_of(&ctx, school_id, &hook).await? else {
        return crate::services::staff::guard::not_found();
    };
    let url = h.url.clone();
    h.delete(db).await?;
    crate::services::staff::guard::audit(
        &ctx,
        Some(school_id),
        "webhook.deleted",
        url,
        String::new(),
    )
    .await?;
    back("slettet=1", &format!("webhooks-{school_id}"));
    Ok(())
}

/// Sets the school's colour for the embedded catalogue.
#[server(endpoint = "integrationer_farve")]
pub async fn set_colour(
    #[server(default)] school: String,
    #[server(default)] colour: String,
) -> Result<(), AppError> {
    use entity::school;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let school_id = school_of(&ctx, &school).await?;
    let anchor = format!("indlejring-{school_id}");
    let Some(colour) = crate::http::embed::parse_colour(&colour) else {
        back("fejl=farve", &anchor);
        return Ok(());
    };
    school::Entity::update_many()
        .col_expr(school::Column::Colour, Expr::value(colour.clone()))
        .filter(school::Column::Id.eq(school_id))
        .exec(&ctx.state.db)
        .await?;
    crate::services::staff::guard::audit(
        &ctx,
        Some(school_id),
        "school.colour",
        colour,
        String::new(),
    )
    .await?;
    back("farve=1", &anchor);
    Ok(())
}
