//! Server functions for signing up and for "Mine tilmeldinger". The forms post straight to these
//! endpoints (no JavaScript needed); each one checks its input and the person's right to act,
//! then answers with a redirect to a page that shows the new state.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::dto::{RunDto, SchoolDto};
use crate::error::AppError;
use crate::rules::signup::{FieldError, SignupForm};

/// Where a booking stands, as the person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingState {
    Confirmed,
    /// In the queue, as number `position`.
    Waiting {
        position: u32,
    },
    /// Offered a seat until this local time.
    Offered {
        until: NaiveDateTime,
    },
    Cancelled,
    /// An offer that ran out.
    Expired,
}

/// A rejected form coming back to the page: what was typed and what to fix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupDraft {
    pub form: SignupForm,
    pub errors: Vec<FieldError>,
    /// A message about the whole form (a translation key), e.g. the run just closed.
    pub notice: Option<String>,
}

/// What the sign-up page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignupPageDto {
    /// The run, if it is listed in the catalogue now.
    pub run: Option<RunDto>,
    pub school: Option<SchoolDto>,
    pub draft: Option<SignupDraft>,
    /// Fresh random key for the form (see `SignupForm::key`).
    pub key: String,
}

/// The confirmation page after signing up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptDto {
    pub state: BookingState,
    pub name: String,
    pub email: String,
    pub on_behalf: bool,
    pub run: RunDto,
    pub school: SchoolDto,
    /// Until when the person may cancel themselves (local time), if there is a deadline.
    pub cancel_until: Option<NaiveDateTime>,
}

/// One booking on "Mine tilmeldinger".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyBookingDto {
    pub id: i32,
    pub state: BookingState,
    pub run: RunDto,
    pub school: SchoolDto,
    /// The seat may be cancelled now (before the deadline).
    pub can_cancel: bool,
    pub cancel_until: Option<NaiveDateTime>,
    /// Sessions the person has given afbud for.
    pub absent_sessions: Vec<i32>,
    pub on_behalf: bool,
}

/// "Mine tilmeldinger" for a link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MyBookingsDto {
    /// The link is unknown or has expired.
    Invalid,
    Valid {
        bookings: Vec<MyBookingDto>,
        /// A calendar feed link made just now, shown once.
        calendar_feed: Option<String>,
    },
}

/// The sign-up page's data: the run, and a rejected form if one is coming back.
#[server(endpoint = "tilmelding_side")]
pub async fn signup_page(run_id: i32) -> Result<SignupPageDto, AppError> {
    let state = web::state()?;
    let now = chrono::Utc::now();
    let run = crate::api::catalogue::load::listed_run(&state.db, run_id, now).await?;
    let school = match &run {
        Some(r) => web::school_by_slug(&state.db, &r.school.slug).await?,
        None => None,
    };
    let draft = web::take_draft(run_id);
    Ok(SignupPageDto {
        run,
        school,
        draft,
        key: crate::booking::token::new_token(),
    })
}

/// Signs up for a run. Always answers with a redirect: to the confirmation, or back to the form
/// with what was typed and what to fix.
#[server(endpoint = "tilmeld")]
pub async fn sign_up(#[server(flatten)] form: SignupForm) -> Result<(), AppError> {
    use crate::booking::limit::Kind as Limit;
    use crate::booking::store::{self, BookingError, NewBooking, SignupOutcome};
    use crate::booking::token;
    use crate::rules::signup::validate;

    let state = web::state()?;
    let now = chrono::Utc::now();
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let form_url = format!("/hold/{run_id}/tilmelding");

    if !form.website.is_empty() {
        // Only robots fill the hidden field: thank them and store nothing.
        leptos_axum::redirect("/tilmelding/modtaget");
        return Ok(());
    }
    let back_with = |errors: Vec<FieldError>, notice: Option<&str>| {
        web::put_draft(&SignupDraft {
            form: crate::rules::signup::trimmed_for_redisplay(&form),
            errors,
            notice: notice.map(str::to_string),
        });
        leptos_axum::redirect(&format!("{form_url}#tilmeld-fejl"));
    };

    let ip = web::client_ip(&state).await;
    let email_key = crate::rules::signup::email_key(&form.email);
    if !state
        .limiter
        .allow(Limit::SignupPerIp, &ip, std::time::Instant::now())
        || (!email_key.is_empty()
            && !state
                .limiter
                .allow(Limit::SignupPerEmail, &email_key, std::time::Instant::now()))
    {
        back_with(Vec::new(), Some("signup.err.rate_limited"));
        return Ok(());
    }

    let signup = match validate(&form) {
        Ok(signup) => signup,
        Err(_) if run_id <= 0 => {
            leptos_axum::redirect("/hold/0/tilmelding");
            return Ok(());
        }
        Err(errors) => {
            back_with(errors, None);
            return Ok(());
        }
    };

    let key = if token::looks_like_token(&form.key) {
        form.key.clone()
    } else {
        token::new_token()
    };
    let mut known_receipts = vec![token::hash(&key)];
    if let Some(cookie) = web::cookie(web::RECEIPT_COOKIE).filter(|c| token::looks_like_token(c)) {
        known_receipts.push(token::hash(&cookie));
    }
    let locale = crate::i18n::detect_locale();
    let request = NewBooking {
        signup: &signup,
        locale: locale.code(),
        source: "web",
        receipt_hash: Some(token::hash(&key)),
        known_receipts,
    };
    match store::sign_up(&state.db, &request, now).await {
        Ok(SignupOutcome::Created { booking_id, .. })
        | Ok(SignupOutcome::Existing {
            booking_id,
            same_browser: true,
        }) => {
            web::set_receipt_cookie(&key);
            leptos_axum::redirect(&format!("/tilmelding/{booking_id}"));
        }
        Ok(SignupOutcome::Existing {
            same_browser: false,
            ..
        }) => leptos_axum::redirect(&format!("{form_url}/allerede")),
        Err(BookingError::Db(e)) => {
            // Logged; the person keeps what they typed and can simply try again.
            tracing::error!(error = %e, "sign-up failed");
            back_with(Vec::new(), Some("signup.err.try_again"));
        }
        Err(BookingError::NoSuchRun) => leptos_axum::redirect(&form_url),
        Err(e) => back_with(Vec::new(), Some(web::booking_error_key(&e))),
    }
    Ok(())
}

/// The confirmation of a booking, for the browser that made it (proved by the receipt cookie),
/// for a few hours. `None` otherwise.
#[server(endpoint = "kvittering")]
pub async fn receipt(booking_id: i32) -> Result<Option<ReceiptDto>, AppError> {
    use crate::booking::token;
    use entity::booking;
    use sea_orm::EntityTrait;

    let state = web::state()?;
    let now = chrono::Utc::now();
    web::no_store();
    let Some(key) = web::cookie(web::RECEIPT_COOKIE).filter(|c| token::looks_like_token(c)) else {
        return Ok(None);
    };
    let Some(b) = booking::Entity::find_by_id(booking_id)
        .one(&state.db)
        .await?
        .filter(|b| b.receipt_hash.as_deref() == Some(token::hash(&key).as_str()))
        .filter(|b| {
            now - b.created_at < chrono::Duration::hours(crate::rules::retention::RECEIPT_HOURS)
        })
    else {
        return Ok(None);
    };
    let mut views = web::booking_views(&state.db, vec![b.clone()], now).await?;
    let Some(view) = views.pop() else {
        return Ok(None);
    };
    Ok(Some(ReceiptDto {
        state: view.state,
        name: b.name,
        email: b.email,
        on_behalf: b.booked_by_email.is_some(),
        run: view.run,
        school: view.school,
        cancel_until: view.cancel_until,
    }))
}

/// Sends a fresh "Mine tilmeldinger" link to an address that has bookings. The answer is the
/// same whether or not the address is known.
#[server(endpoint = "mine_tilmeldinger_link")]
pub async fn request_link(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::booking::limit::Kind as Limit;
    use crate::outbox::{self, Kind, Message};
    use crate::rules::signup::{email_is_valid, email_key};
    use entity::booking;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let state = web::state()?;
    let now = chrono::Utc::now();
    let email = email.trim();
    if !email_is_valid(email) {
        leptos_axum::redirect("/mine-tilmeldinger?fejl=email");
        return Ok(());
    }
    let key = email_key(email);
    let ip = web::client_ip(&state).await;
    let instant = std::time::Instant::now();
    if !state.limiter.allow(Limit::LinkPerIp, &ip, instant)
        || !state.limiter.allow(Limit::LinkPerEmail, &key, instant)
    {
        leptos_axum::redirect("/mine-tilmeldinger?fejl=mange");
        return Ok(());
    }
    let latest = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(key.as_str()))
        .order_by_desc(booking::Column::Id)
        .one(&state.db)
        .await?;
    if let Some(b) = latest {
        outbox::enqueue(
            &state.db,
            Message {
                kind: Kind::ManageLink,
                recipient: &b.email,
                locale: crate::i18n::detect_locale().code(),
                booking_id: None,
                payload: serde_json::json!({ "email_key": key }),
            },
            now,
        )
        .await?;
    }
    leptos_axum::redirect("/mine-tilmeldinger?sendt=1");
    Ok(())
}

/// The bookings a "Mine tilmeldinger" link opens.
#[server(endpoint = "mine_tilmeldinger")]
pub async fn my_bookings(token: String) -> Result<MyBookingsDto, AppError> {
    use entity::booking;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let state = web::state()?;
    let now = chrono::Utc::now();
    web::no_store();
    let Some(email_key) =
        crate::booking::token::resolve_manage_token(&state.db, &token, now).await?
    else {
        return Ok(MyBookingsDto::Invalid);
    };
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key.as_str()))
        .all(&state.db)
        .await?;
    let mut views = web::booking_views(&state.db, bookings, now).await?;
    // Runs that are over are not news; the school keeps their figures.
    views.retain(|v| v.run.next_session.is_some());
    views.sort_by_key(|v| v.run.next_session.as_ref().map(|s| s.starts));
    // A feed link made a moment ago, if it belongs to this person.
    let mut calendar_feed = None;
    if let Some(feed) = web::cookie(web::FEED_COOKIE) {
        use crate::booking::token::{Purpose, resolve};
        if resolve(&state.db, Purpose::Feed, &feed, now)
            .await?
            .is_some_and(|t| t.email_key == email_key)
        {
            calendar_feed = Some(format!("{}/kalender/{feed}.ics", state.public_url));
        }
    }
    Ok(MyBookingsDto::Valid {
        bookings: views,
        calendar_feed,
    })
}

/// What the person asked for on "Mine tilmeldinger".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManageAction {
    /// Afbud for the whole run, leaving the waiting list, or turning down an offer.
    Cancel,
    Accept,
    SessionAfbud,
    SessionUndo,
}

/// Acts on one booking from "Mine tilmeldinger", then shows the page again with a message.
#[server(endpoint = "mine_tilmeldinger_handling")]
pub async fn manage_booking(
    token: String,
    action: ManageAction,
    booking: i32,
    #[server(default)] session: Option<i32>,
) -> Result<(), AppError> {
    use crate::booking::store::{self, Actor, BookingError, CancelOutcome};
    use entity::BookingStatus;

    let state = web::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = web::link_owner(&state, &token, now).await? else {
        return Ok(());
    };
    let actor = Actor::Participant { email_key };
    let db = &state.db;
    let result = match (action, session) {
        (ManageAction::Cancel, _) => {
            store::cancel(db, booking, &actor, now)
                .await
                .map(|o| match o {
                    CancelOutcome::Cancelled {
                        was: BookingStatus::Confirmed,
                    } => "afbud",
                    CancelOutcome::Cancelled {
                        was: BookingStatus::Offered,
                    } => "tilbud_afslaaet",
                    CancelOutcome::Cancelled { .. } => "venteliste_forladt",
                    CancelOutcome::AlreadyGone => "allerede",
                })
        }
        (ManageAction::Accept, _) => store::accept_offer(db, booking, &actor, now)
            .await
            .map(|()| "tilbud_accepteret"),
        (ManageAction::SessionAfbud, Some(s)) => store::session_afbud(db, booking, s, &actor, now)
            .await
            .map(|()| "gang_afbud"),
        (ManageAction::SessionUndo, Some(s)) => {
            store::withdraw_session_afbud(db, booking, s, &actor, now)
                .await
                .map(|()| "gang_fortrudt")
        }
        (_, None) => Err(BookingError::SessionNotPossible),
    };
    let message = match result {
        Ok(code) => code,
        Err(BookingError::Db(e)) => {
            tracing::error!(error = %e, "booking action failed");
            "proev_igen"
        }
        Err(BookingError::TooLate) => "for_sent",
        Err(BookingError::OfferExpired) => "tilbud_udloebet",
        Err(_) => "ikke_muligt",
    };
    leptos_axum::redirect(&format!(
        "/mine-tilmeldinger/{token}?besked={message}&booking={booking}#besked"
    ));
    Ok(())
}

/// Deletes what is stored about the person a "Mine tilmeldinger" link belongs to, once they
/// have ticked that they mean it.
#[server(endpoint = "mine_tilmeldinger_slet")]
pub async fn forget_me(token: String, #[server(default)] confirm: String) -> Result<(), AppError> {
    use crate::booking::store::{self, BookingError};

    let state = web::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = web::link_owner(&state, &token, now).await? else {
        return Ok(());
    };
    if confirm != "ja" {
        leptos_axum::redirect(&format!(
            "/mine-tilmeldinger/{token}?besked=slet_bekraeft#besked"
        ));
        return Ok(());
    }
    match store::forget(&state.db, &email_key, now).await {
        Ok(_) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(e) => {
            tracing::error!(error = %e, "could not delete a person's data");
            return Err(AppError::Internal);
        }
    }
    leptos_axum::redirect("/mine-tilmeldinger?slettet=1");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod web {
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

    use super::{BookingState, MyBookingDto, SignupDraft};
    use crate::api::dto::SchoolDto;
    use crate::booking::store::{self, BookingError};
    use crate::error::AppError;
    use crate::rules::seats;
    use crate::rules::time::to_local;
    use crate::state::AppState;

    /// Proves which browser made a booking, so its confirmation can be shown again.
    pub const RECEIPT_COOKIE: &str = "sb_kvittering";
    /// Carries a rejected sign-up form back to the page, once.
    pub const DRAFT_COOKIE: &str = "sb_udkast";

    pub fn state() -> Result<AppState, AppError> {
        crate::api::catalogue::load::state()
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
        let owner = crate::booking::token::resolve_manage_token(&state.db, token, now).await?;
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
        let runs = crate::api::catalogue::load::runs_by_id(db, &run_ids, now).await?;
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
}
