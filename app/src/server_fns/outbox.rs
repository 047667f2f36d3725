//! The demo outbox: what the file mail backend has written, listed for someone sitting at the
//! machine the server runs on. Until the staff area exists this is where a demo shows its mail,
//! with the state of every message (sent, waiting, failed). It answers only requests from the
//! machine itself, and only when mail goes to files.

use crate::dto::outbox::OutboxItemDto;
use leptos::prelude::*;

use crate::error::AppError;

/// The outbox, newest first; `None` when the page is not available to this request.
#[server(endpoint = "udbakke")]
pub async fn demo_outbox() -> Result<Option<Vec<OutboxItemDto>>, AppError> {
    use crate::services::request;

    let state = request::state()?;
    request::no_store();
    let Some(dir) = state.mail_dir.clone() else {
        return Ok(None);
    };
    let local = state.proxy_hops == 0
        && leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .is_ok_and(|info| info.0.ip().is_loopback());
    if !local {
        return Ok(None);
    }
    Ok(Some(
        crate::services::outbox::demo_list(&state.db, &dir).await?,
    ))
}
