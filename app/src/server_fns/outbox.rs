//! The demo outbox: what the file mail backend has written, listed for someone sitting at the
//! machine the server runs on. Until the staff area exists this is where a demo shows its mail,
//! with the state of every message (sent, waiting, failed). It answers only requests from the
//! machine itself, and only when mail goes to files.

#[allow(unused_imports)]
use crate::dto::outbox::*;
use leptos::prelude::*;

use crate::error::AppError;

/// The outbox, newest first; `None` when the page is not available to this request.
#[server(endpoint = "udbakke")]
pub async fn demo_outbox() -> Result<Option<Vec<OutboxItemDto>>, AppError> {
    use crate::rules::time::to_local;
    use crate::services::request;
    use entity::outbox_message;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

    let state = request::state()?;
    request::no_store();
    let Some(dir) = state.mail_dir.clone() else {
        return Ok(None);
    };
    let local = !state.behind_proxy
        && leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .is_ok_and(|info| info.0.ip().is_loopback());
    if !local {
        return Ok(None);
    }
    let rows = outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(|m| {
            let file = dir.join(format!("{}.eml", crate::services::outbox::file_stem(&m)));
            let parsed = std::fs::read(file).ok().and_then(|bytes| {
                let message = mail_parser::MessageParser::default().parse(&bytes)?;
                let calendar = message.parts.iter().any(|p| {
                    use mail_parser::MimeHeaders;
                    p.content_type()
                        .and_then(|c| c.subtype())
                        .is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
                });
                Some((
                    message.subject().map(str::to_string),
                    message.body_text(0).map(|t| t.into_owned()),
                    calendar,
                ))
            });
            let (subject, text, has_calendar) = parsed.unwrap_or((None, None, false));
            OutboxItemDto {
                id: m.id,
                created: to_local(m.created_at),
                recipient: m.recipient,
                kind: m.kind,
                status: m.status,
                attempts: m.attempts,
                last_error: m.last_error,
                subject,
                text,
                has_calendar,
            }
        })
        .collect();
    Ok(Some(items))
}
