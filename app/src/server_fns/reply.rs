//! Server functions behind links in e-mails: the reminder's "Kommer du?" answers and the
//! private calendar feed link on "Mine tilmeldinger" (the evaluation link is in `evaluation`).
//! Each token is checked here: the functions are public endpoints.

#[allow(unused_imports)]
use crate::dto::reply::*;
use leptos::prelude::*;

use crate::error::AppError;

/// The booking a reminder's link is about.
#[server(endpoint = "svar_side")]
pub async fn reply_page(token: String) -> Result<ReplyPageDto, AppError> {
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};
    use entity::booking;
    use sea_orm::EntityTrait;

    let state = request::state()?;
    let now = chrono::Utc::now();
    request::no_store();
    let Some(t) = tokens::resolve(&state.db, Purpose::Reply, &token, now).await? else {
        return Ok(ReplyPageDto::Invalid);
    };
    let Some(b) = booking::Entity::find_by_id(t.booking_id.unwrap_or_default())
        .one(&state.db)
        .await?
        .filter(|b| b.email_key == t.email_key)
    else {
        return Ok(ReplyPageDto::Invalid);
    };
    let coming = b.rsvp.is_some();
    let mut views = request::booking_views(&state.db, vec![b], now).await?;
    Ok(match views.pop() {
        Some(booking) => ReplyPageDto::Valid {
            booking: Box::new(booking),
            coming,
        },
        None => ReplyPageDto::Invalid,
    })
}

/// Answers a reminder: `ja` ("Ja, jeg kommer") or `nej` ("Jeg kan ikke alligevel", which gives
/// the seat to the next in line at once). Shows the page again with the outcome.
#[server(endpoint = "svar")]
pub async fn answer_reminder(
    token: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::services::booking::store::{self, Actor, BookingError};
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let back = |outcome: &str| {
        leptos_axum::redirect(&format!("/kommer/{token}?udfald={outcome}#udfald"));
    };
    let Some(booking_id) = tokens::resolve(&state.db, Purpose::Reply, &token, now)
        .await?
        .and_then(|t| t.booking_id)
    else {
        // The page itself explains that the link no longer works.
        leptos_axum::redirect(&format!("/kommer/{token}"));
        return Ok(());
    };
    let result = match answer.as_str() {
        "ja" => store::confirm_coming(&state.db, booking_id, now)
            .await
            .map(|()| "kommer"),
        "nej" => store::cancel(&state.db, booking_id, &Actor::Reply { booking_id }, now)
            .await
            .map(|_| "afbud"),
        _ => Err(BookingError::SessionNotPossible),
    };
    match result {
        Ok(outcome) => back(outcome),
        Err(BookingError::TooLate) => back("for-sent"),
        Err(BookingError::Db(e)) => {
            tracing::error!(error = %e, "reminder answer failed");
            back("fejl");
        }
        Err(_) => back("ikke-muligt"),
    }
    Ok(())
}

/// Makes a private calendar feed link for the person a "Mine tilmeldinger" link belongs to,
/// replacing any earlier one, and shows it once on their page.
#[server(endpoint = "mine_tilmeldinger_kalender")]
pub async fn make_calendar_link(token: String) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};
    use entity::access_token;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = request::link_owner(&state, &token, now).await? else {
        return Ok(());
    };
    access_token::Entity::delete_many()
        .filter(access_token::Column::EmailKey.eq(email_key.as_str()))
        .filter(access_token::Column::Purpose.eq(Purpose::Feed.as_str()))
        .exec(&state.db)
        .await?;
    let feed = tokens::issue(&state.db, Purpose::Feed, &email_key, None, now).await?;
    request::set_flash(request::FEED_COOKIE, &feed, "/mine-tilmeldinger", 600);
    leptos_axum::redirect(&format!("/mine-tilmeldinger/{token}#kalender"));
    Ok(())
}
