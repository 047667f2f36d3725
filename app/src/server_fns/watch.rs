//! "Giv mig besked": leaving an address on a course page with no open run, and the "no thanks"
//! link from the receipt. The page answers the same whether or not the address already waited.

use leptos::prelude::*;

use crate::dto::watch::WatchPageDto;
use crate::error::AppError;

/// Leaves an address to be told once about the course's next run.
#[server(endpoint = "giv_besked")]
pub async fn watch_course(
    course: String,
    #[server(default)] email: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use crate::dto::watch::WatchRefusal;
    use crate::rules::signup::{email_is_valid, email_key};
    use crate::services::rate_limit::Kind as Limit;
    use crate::services::{catalogue, request, watch};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some((course_id, _)) = catalogue::published_course(&state.db, &course).await? else {
        return Err(AppError::NotFound);
    };
    let back = format!("/kurser/{course}");
    let mut refusals = Vec::new();
    if !email_is_valid(email.trim()) {
        refusals.push(WatchRefusal::Email);
    }
    if consent != "ja" {
        refusals.push(WatchRefusal::Consent);
    }
    if !refusals.is_empty() {
        request::refuse(&back, &refusals, "giv-besked");
        return Ok(());
    }
    let ip = request::client_ip(&state).await;
    let key = email_key(&email);
    let checks = [
        (Limit::LinkPerIp, ip.as_str()),
        (Limit::LinkPerEmail, key.as_str()),
    ];
    if !state.limiter.allow(&state.db, &checks, now).await? {
        request::refuse(&back, &[WatchRefusal::RateLimited], "giv-besked");
        return Ok(());
    }
    let locale = crate::i18n::detect_locale();
    watch::add(&state.db, course_id, &email, locale.code(), now).await?;
    leptos_axum::redirect(&format!("{back}?besked=ja#giv-besked"));
    Ok(())
}

/// What a "no thanks" link opens.
#[server(endpoint = "giv_besked_side")]
pub async fn watch_page(token: String) -> Result<WatchPageDto, AppError> {
    use crate::services::{request, watch};
    let state = request::state()?;
    Ok(
        match watch::course_of_token(&state.db, &token, chrono::Utc::now()).await? {
            Some((course, school)) => WatchPageDto::Waiting { course, school },
            None => WatchPageDto::Invalid,
        },
    )
}

/// "No thanks": the address is deleted at once.
#[server(endpoint = "giv_besked_afmeld")]
pub async fn stop_watching(token: String) -> Result<(), AppError> {
    use crate::services::{request, watch};
    let state = request::state()?;
    watch::remove(&state.db, &token, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/giv-besked/{token}?afmeldt=1"));
    Ok(())
}
