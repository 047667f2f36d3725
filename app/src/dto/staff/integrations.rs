//! The integrations page: API keys, webhooks and their deliveries.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyDto {
    pub id: i32,
    pub name: String,
    /// The first characters, e.g. `sbk_k2x9f0q1`.
    pub prefix: String,
    pub write: bool,
    pub created: NaiveDateTime,
    pub last_used: Option<NaiveDateTime>,
    pub expires: Option<NaiveDateTime>,
    pub revoked: Option<NaiveDateTime>,
    /// Works now: not revoked and not expired.
    pub live: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookDto {
    pub id: i32,
    pub url: String,
    /// Event names.
    pub events: Vec<String>,
    pub active: bool,
    pub failures_in_row: i32,
    pub disabled: Option<NaiveDateTime>,
    pub last_success: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryDto {
    pub id: i32,
    pub webhook_id: i32,
    pub event: String,
    pub created: NaiveDateTime,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolIntegrationsDto {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub colour: String,
    /// The code to paste: an iframe (no JavaScript needed), or a script that fits the height.
    pub iframe_snippet: String,
    pub script_snippet: String,
    /// The person may make and revoke API keys here (a coordinator of the school).
    pub may_manage_keys: bool,
    pub keys: Vec<ApiKeyDto>,
    pub hooks: Vec<WebhookDto>,
    pub deliveries: Vec<DeliveryDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntegrationsDto {
    pub schools: Vec<SchoolIntegrationsDto>,
    /// A key made a moment ago: `(school id, the whole key)`. Shown this once.
    pub new_key: Option<(i32, String)>,
    /// A webhook made a moment ago: `(webhook id, its signing secret)`. Shown this once.
    pub new_secret: Option<(i32, String)>,
    /// The site's address, for the code to paste.
    pub public_url: String,
    /// Every event name, in order.
    pub events: Vec<String>,
}

crate::refusals! {
    /// Why a key, a webhook or the colour was refused.
    pub enum IntegrationRefusal {
        Name => "navn", "staff.keys.err_name";
        Scope => "adgang", "staff.keys.err_scope";
        Valid => "varighed", "staff.keys.err_valid";
        Address => "adresse", "staff.hooks.err.url";
        Https => "https", "staff.hooks.err.https";
        Inside => "intern", "staff.hooks.err.inside";
        Events => "haendelser", "staff.hooks.err.events";
        Colour => "farve", "staff.embed.err_colour";
    }
}

/// Shows a new API key once, on the next page.
pub const NEW_KEY_COOKIE: &str = "sb_ny_noegle";
/// Shows a new webhook's secret once, on the next page.
pub const NEW_HOOK_COOKIE: &str = "sb_ny_webhook";
