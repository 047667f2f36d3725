//! Shared server state: handed to axum handlers and, through context, to server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::services::rate_limit::RateLimiter;

/// Everything a request handler may need.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// Rate limits on sign-ups and link requests.
    pub limiter: Arc<RateLimiter>,
    /// How many trusted reverse proxies add to `X-Forwarded-For` (0: none).
    pub proxy_hops: u8,
    /// Webhooks may go to loopback and private addresses (development and tests only).
    pub webhooks_allow_private: bool,
    /// Where people reach the site, for links in feeds and e-mails (no trailing slash).
    pub public_url: String,
    /// Staff session lifetimes and cookie form.
    pub staff_sessions: crate::services::staff::auth::SessionSettings,
    /// The folder the file mail backend writes to; `/udbakke` lists it to visitors on this
    /// machine. `None` when mail goes out by SMTP.
    pub mail_dir: Option<std::path::PathBuf>,
    /// The public API's operations for the `/api` page, from its OpenAPI document.
    pub api_reference: Arc<crate::dto::api_reference::ReferenceDto>,
    /// Set from the moment the server is told to stop: readiness (`/healthz`) then fails, so a
    /// load balancer sends no more, while requests in flight finish.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
    /// The bundle's files under hashed names (empty when the site is not built).
    pub assets: Arc<crate::services::assets::Assets>,
    /// Public pages kept as rendered, unless switched off.
    pub page_cache: Option<Arc<crate::services::page_cache::PageCache>>,
    /// The region's identity provider for staff sign-in, when one is configured.
    pub sso: Option<Arc<crate::services::staff::sso::Provider>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
