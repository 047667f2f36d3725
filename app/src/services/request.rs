//! Request and response details for the booking server functions: cookies, the client's
//! address, and turning bookings into what the pages show.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::{BookingStatus, booking, run, school, session, session_absence};
use http::HeaderValue;
use http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::dto::booking::{BookingState, MyBookingDto, SignupDraft};
use crate::dto::catalogue::SchoolDto;
use crate::error::AppError;
use crate::rules::seats;
use crate::rules::time::to_local;
use crate::services::booking::store::{self, BookingError};
use crate::services::state::AppState;

/// Proves which browser made a booking, so its confirmation can be shown again.
pub const RECEIPT_COOKIE: &str = "sb_kvittering";
/// Carries a rejected sign-up form back to the page, once.
pub const DRAFT_COOKIE: &str = "sb_udkast";

pub fn state() -> Result<AppState, AppError> {
    crate::services::catalogue::state()
}

/// A cookie of the current request.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// A cookie's value from request headers (for handlers outside Leptos).
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie_header(value: &str) {
    set_cookie(value.to_string());
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(header)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Marks the response as personal: not to be stored by browsers or proxies.
pub fn no_store() {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Shows a new calendar feed link once on "Mine tilmeldinger".
pub const FEED_COOKIE: &str = "sb_kalender";

/// A short-lived cookie for the next page to show once.
pub fn set_flash(name: &str, value: &str, path: &str, seconds: u32) {
    set_cookie(format!(
        "{name}={value}; Path={path}; Max-Age={seconds}; HttpOnly; SameSite=Lax"
    ));
}

pub fn set_receipt_cookie(key: &str) {
    set_cookie(format!(
        "{RECEIPT_COOKIE}={key}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        crate::rules::retention::RECEIPT_HOURS * 3600
    ));
}

/// Stores a rejected form in a short-lived cookie for the page to show once.
pub fn put_draft(draft: &SignupDraft) {
    let Ok(json) = serde_json::to_vec(draft) else {
        return;
    };
    set_cookie(format!(
        "{DRAFT_COOKIE}={}; Path=/hold; Max-Age=600; HttpOnly; SameSite=Lax",
        URL_SAFE_NO_PAD.encode(json)
    ));
}

/// Takes the rejected form for `run_id`, if one came back, and clears the cookie.
pub fn take_draft(run_id: i32) -> Option<SignupDraft> {
    let raw = cookie(DRAFT_COOKIE)?;
    set_cookie(format!(
        "{DRAFT_COOKIE}=; Path=/hold; Max-Age=0; HttpOnly; SameSite=Lax"
    ));
    let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
    let draft: SignupDraft = serde_json::from_slice(&bytes).ok()?;
    (draft.form.run.trim() == run_id.to_string()).then_some(draft)
}

/// The client's address for rate limits: the connection's, or the last hop of
/// `X-Forwarded-For` when the server is told it sits behind a proxy.
pub fn client_ip_from(
    state: &AppState,
    headers: &http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    if state.behind_proxy
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return last.trim().to_string();
    }
    peer.map_or_else(|| "unknown".into(), |p| p.ip().to_string())
}

/// [`client_ip_from`] for the request a server function answers.
pub async fn client_ip(state: &AppState) -> String {
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0);
    client_ip_from(state, &headers, peer)
}

/// The e-mail key a "Mine tilmeldinger" link opens. For an unknown or expired link the
/// browser is sent to ask for a new one, and the answer is `None`.
pub async fn link_owner(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let owner = crate::services::tokens::resolve_manage_token(&state.db, token, now).await?;
    if owner.is_none() {
        leptos_axum::redirect("/mine-tilmeldinger?udloebet=1");
    }
    Ok(owner)
}

/// Translation key of the message for a booking error shown on the form.
pub fn booking_error_key(e: &BookingError) -> &'static str {
    match e {
        BookingError::RunCancelled => "signup.err.run_cancelled",
        BookingError::DropIn => "signup.err.drop_in",
        BookingError::NotYetOpen => "signup.err.not_open",
        BookingError::Closed => "signup.err.closed",
        BookingError::Full => "signup.err.full",
        _ => "error.generic",
    }
}

pub async fn school_by_slug(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<SchoolDto>, DbErr> {
    Ok(school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(SchoolDto::from))
}

/// Bookings as "Mine tilmeldinger" and the confirmation page show them: with their run,
/// school, place in the queue, deadline and per-session afbud.
pub async fn booking_views(
    db: &DatabaseConnection,
    bookings: Vec<booking::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<MyBookingDto>, AppError> {
    let run_ids: Vec<i32> = bookings.iter().map(|b| b.run_id).collect();
    let runs = crate::services::catalogue::runs_by_id(db, &run_ids, now).await?;
    let run_models: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let schools: HashMap<i32, SchoolDto> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, SchoolDto::from(s)))
        .collect();
    let absences = session_absence::Entity::find()
        .filter(session_absence::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
        .all(db)
        .await?;
    // First session of each run (for deadlines), in one query.
    let mut firsts: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(session::Column::Cancelled.eq(false))
        .all(db)
        .await?
    {
        firsts
            .entry(s.run_id)
            .and_modify(|t| *t = (*t).min(s.starts_at))
            .or_insert(s.starts_at);
    }
    // Queue positions need every active booking of the runs involved.
    let active = booking::Entity::find()
        .filter(booking::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .all(db)
        .await?;

    let mut views = Vec::new();
    for b in bookings {
        let (Some(run), Some(model)) = (runs.get(&b.run_id), run_models.get(&b.run_id)) else {
            continue;
        };
        let Some(school) = schools.get(&model.school_id) else {
            continue;
        };
        let entries: Vec<seats::Entry> = active
            .iter()
            .filter(|x| x.run_id == b.run_id)
            .map(store::entry)
            .collect();
        let state = match b.status {
            BookingStatus::Confirmed => BookingState::Confirmed,
            BookingStatus::Waitlisted => BookingState::Waiting {
                position: seats::position(&entries, b.id).unwrap_or(1),
            },
            BookingStatus::Offered => BookingState::Offered {
                until: to_local(b.offer_expires_at.unwrap_or(now)),
            },
            BookingStatus::Cancelled => BookingState::Cancelled,
            BookingStatus::Expired => BookingState::Expired,
        };
        let first = firsts.get(&b.run_id).copied();
        let cancel_until = first
            .map(|s| s - Duration::hours(i64::from(model.cancel_deadline_hours)))
            .filter(|_| b.status == BookingStatus::Confirmed);
        views.push(MyBookingDto {
            id: b.id,
            can_cancel: b.status.is_active()
                && seats::may_self_cancel(
                    store::entry(&b).place,
                    first,
                    model.cancel_deadline_hours,
                    now,
                ),
            cancel_until: cancel_until.map(to_local),
            absent_sessions: absences
                .iter()
                .filter(|a| a.booking_id == b.id)
                .map(|a| a.session_id)
                .collect(),
            on_behalf: b.booked_by_email.is_some(),
            state,
            run: run.clone(),
            school: school.clone(),
        });
    }
    Ok(views)
}
