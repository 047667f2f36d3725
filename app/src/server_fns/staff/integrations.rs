//! `/personale/integrationer`: a koordinator's tools for other systems. API keys (created with
//! a name, a scope and a lifetime, shown once, revoked), webhooks (an address and events; the
//! signing secret shown once; deliveries with their state; switched on again after a failure)
//! and the embedded catalogue (the school's colour and the code to paste).

use std::collections::HashMap;

use leptos::prelude::*;

use crate::dto::staff::integrations::IntegrationsDto;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod web {
    //! Reading the school a form names, and the way back to the page.

    use crate::dto::staff::integrations::IntegrationRefusal;
    use crate::error::AppError;
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::guard::{self, Ctx};

    pub const PAGE: &str = "/personale/integrationer";

    /// The school a form names, if the person may manage its integrations.
    pub fn school_of(ctx: &Ctx, school: &str) -> Result<i32, AppError> {
        let Ok(id) = school.trim().parse::<i32>() else {
            return guard::not_found();
        };
        guard::allow(ctx, Action::ManageIntegrations { school: id })?;
        Ok(id)
    }

    /// [`school_of`] for API keys, which only the school's coordinators may manage.
    pub fn key_school_of(ctx: &Ctx, school: &str) -> Result<i32, AppError> {
        let Ok(id) = school.trim().parse::<i32>() else {
            return guard::not_found();
        };
        guard::allow(ctx, Action::ManageApiKeys { school: id })?;
        Ok(id)
    }

    /// Back to the page with a message, to `anchor`.
    pub fn back(query: &str, anchor: &str) {
        leptos_axum::redirect(&format!("{PAGE}?{query}#{anchor}"));
    }

    /// Back to the page with a refusal, to `anchor`.
    pub fn refuse(refusal: IntegrationRefusal, anchor: &str) {
        request::refuse(PAGE, &[refusal], anchor);
    }
}

#[server(endpoint = "integrationer")]
pub async fn integrations() -> Result<IntegrationsDto, AppError> {
    use crate::dto::staff::integrations::{NEW_HOOK_COOKIE, NEW_KEY_COOKIE};
    use crate::services::staff::guard;
    use crate::services::{integrations, request, webhooks};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let schools = integrations::managed_schools(db, &ctx.me.grants).await?;
    if schools.is_empty() {
        return guard::forbidden(&ctx, "integrations");
    }
    let base = ctx.state.public_url.clone();
    let (mut schools, keys, hooks) = integrations::overview(db, schools, &base, ctx.now).await?;
    for s in &mut schools {
        s.may_manage_keys = ctx
            .me
            .grants
            .may(crate::rules::access::Action::ManageApiKeys { school: s.id });
        if !s.may_manage_keys {
            s.keys.clear();
        }
    }
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
        request::set_flash(NEW_KEY_COOKIE, "", web::PAGE, 0);
    }
    if new_secret.is_some() {
        request::set_flash(NEW_HOOK_COOKIE, "", web::PAGE, 0);
    }
    Ok(IntegrationsDto {
        schools,
        new_key,
        new_secret,
        public_url: base,
        events: webhooks::Event::ALL
            .iter()
            .map(|e| e.as_str().to_string())
            .collect(),
    })
}

/// Creates an API key and shows it once.
#[server(endpoint = "integrationer_ny_noegle")]
pub async fn create_api_key(
    #[server(default)] school: String,
    #[server(default)] name: String,
    #[server(default)] scope: String,
    #[server(default)] valid: String,
) -> Result<(), AppError> {
    use crate::dto::staff::integrations::{IntegrationRefusal, NEW_KEY_COOKIE};
    use crate::services::api_keys::{self, MAX_NAME_CHARS, Scope};
    use crate::services::request;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let school_id = web::key_school_of(&ctx, &school)?;
    let anchor = format!("noegler-{school_id}");
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        web::refuse(IntegrationRefusal::Name, &anchor);
        return Ok(());
    }
    let Some(scope) = Scope::parse(&scope) else {
        web::refuse(IntegrationRefusal::Scope, &anchor);
        return Ok(());
    };
    let valid_for = match valid.as_str() {
        "90" => Some(chrono::Duration::days(90)),
        "365" | "" => Some(chrono::Duration::days(365)),
        "aldrig" => None,
        _ => {
            web::refuse(IntegrationRefusal::Valid, &anchor);
            return Ok(());
        }
    };
    let by = ctx.me.account.id;
    let (model, key) = api_keys::create(
        &ctx.state.db,
        school_id,
        name,
        scope,
        valid_for,
        by,
        ctx.now,
    )
    .await?;
    guard::audit(
        &ctx,
        Some(school_id),
        "api_key.created",
        format!("{} ({}…)", model.name, model.prefix),
        scope.as_str().into(),
    )
    .await?;
    request::set_flash(NEW_KEY_COOKIE, &key, web::PAGE, 300);
    web::back("ny=noegle", &anchor);
    Ok(())
}

/// Revokes an API key at once.
#[server(endpoint = "integrationer_tilbagekald")]
pub async fn revoke_api_key(
    #[server(default)] school: String,
    #[server(default)] key: String,
) -> Result<(), AppError> {
    use crate::services::api_keys;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let school_id = web::key_school_of(&ctx, &school)?;
    let Ok(key_id) = key.trim().parse::<i32>() else {
        return guard::not_found();
    };
    if let Some(k) = api_keys::revoke(&ctx.state.db, school_id, key_id, ctx.now).await? {
        guard::audit(
            &ctx,
            Some(school_id),
            "api_key.revoked",
            format!("{} ({}…)", k.name, k.prefix),
            String::new(),
        )
        .await?;
    }
    web::back("tilbagekaldt=1", &format!("noegler-{school_id}"));
    Ok(())
}

/// Registers a webhook; its secret is shown once.
#[server(endpoint = "integrationer_ny_webhook")]
pub async fn create_webhook(
    #[server(default)] school: String,
    #[server(default)] url: String,
    #[server(default)] events: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::dto::staff::integrations::{IntegrationRefusal, NEW_HOOK_COOKIE};
    use crate::services::request;
    use crate::services::staff::guard;
    use crate::services::webhooks::{self, Event};

    let ctx = guard::signed_in().await?;
    let school_id = web::school_of(&ctx, &school)?;
    let anchor = format!("webhooks-{school_id}");
    let checked = match webhooks::check_url(&url) {
        Ok(()) => webhooks::check_destination(&url, ctx.state.webhooks_allow_private).await,
        Err(key) => Err(key),
    };
    if let Err(key) = checked {
        let refusal = match key {
            "staff.hooks.err.https" => IntegrationRefusal::Https,
            "staff.hooks.err.inside" => IntegrationRefusal::Inside,
            _ => IntegrationRefusal::Address,
        };
        web::refuse(refusal, &anchor);
        return Ok(());
    }
    let chosen: Vec<Event> = Event::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| events.contains_key(&format!("e{i}")))
        .map(|(_, e)| e)
        .collect();
    if chosen.is_empty() {
        web::refuse(IntegrationRefusal::Events, &anchor);
        return Ok(());
    }
    let by = ctx.me.account.id;
    let hook = webhooks::create(&ctx.state.db, school_id, &url, &chosen, by, ctx.now).await?;
    guard::audit(
        &ctx,
        Some(school_id),
        "webhook.created",
        hook.url.clone(),
        hook.events.clone(),
    )
    .await?;
    request::set_flash(NEW_HOOK_COOKIE, &hook.id.to_string(), web::PAGE, 300);
    web::back("ny=webhook", &anchor);
    Ok(())
}

/// Switches a webhook on again after it was switched off; waiting deliveries go out now.
#[server(endpoint = "integrationer_webhook_til")]
pub async fn enable_webhook(
    #[server(default)] school: String,
    #[server(default)] hook: String,
) -> Result<(), AppError> {
    use crate::services::integrations;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let school_id = web::school_of(&ctx, &school)?;
    let id = hook.trim().parse::<i32>().unwrap_or(0);
    let Some(h) = integrations::hook(&ctx.state.db, school_id, id).await? else {
        return guard::not_found();
    };
    integrations::enable_hook(&ctx.state.db, &h, ctx.now).await?;
    guard::audit(
        &ctx,
        Some(school_id),
        "webhook.enabled",
        h.url,
        String::new(),
    )
    .await?;
    web::back("til=1", &format!("webhooks-{school_id}"));
    Ok(())
}

/// Deletes a webhook; deliveries still waiting are dropped.
#[server(endpoint = "integrationer_webhook_slet")]
pub async fn delete_webhook(
    #[server(default)] school: String,
    #[server(default)] hook: String,
) -> Result<(), AppError> {
    use crate::services::integrations;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let school_id = web::school_of(&ctx, &school)?;
    let id = hook.trim().parse::<i32>().unwrap_or(0);
    let Some(h) = integrations::hook(&ctx.state.db, school_id, id).await? else {
        return guard::not_found();
    };
    integrations::delete_hook(&ctx.state.db, &h).await?;
    guard::audit(
        &ctx,
        Some(school_id),
        "webhook.deleted",
        h.url,
        String::new(),
    )
    .await?;
    web::back("slettet=1", &format!("webhooks-{school_id}"));
    Ok(())
}

/// Sets the school's colour for the embedded catalogue.
#[server(endpoint = "integrationer_farve")]
pub async fn set_colour(
    #[server(default)] school: String,
    #[server(default)] colour: String,
) -> Result<(), AppError> {
    use crate::dto::staff::integrations::IntegrationRefusal;
    use crate::rules::embed::parse_colour;
    use crate::services::integrations;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let school_id = web::school_of(&ctx, &school)?;
    let anchor = format!("indlejring-{school_id}");
    let Some(colour) = parse_colour(&colour) else {
        web::refuse(IntegrationRefusal::Colour, &anchor);
        return Ok(());
    };
    integrations::set_colour(&ctx.state.db, school_id, &colour).await?;
    guard::audit(
        &ctx,
        Some(school_id),
        "school.colour",
        colour,
        String::new(),
    )
    .await?;
    web::back("farve=1", &anchor);
    Ok(())
}
