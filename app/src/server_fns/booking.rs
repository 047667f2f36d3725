//! Server functions for signing up and for "Mine tilmeldinger". The forms post straight to these
//! endpoints (no JavaScript needed); each one checks its input and the person's right to act,
//! calls the booking service, and answers with a redirect to a page that shows the new state.

use leptos::prelude::*;

use crate::dto::booking::{ManageAction, MyBookingsDto, SignupPageDto};
use crate::error::AppError;
use crate::rules::signup::SignupForm;

#[cfg(feature = "ssr")]
mod web {
    //! Cookies and redirects of the booking pages.

    use chrono::{DateTime, Utc};

    use crate::error::AppError;
    use crate::services::request;
    use crate::services::state::AppState;

    /// Proves which browser made a booking, so its confirmation can be shown again.
    pub const RECEIPT_COOKIE: &str = "sb_kvittering";
    /// Shows a new calendar feed link once on "Mine tilmeldinger".
    pub const FEED_COOKIE: &str = "sb_kalender";

    pub fn set_receipt_cookie(key: &str) {
        request::set_cookie(&format!(
            "{RECEIPT_COOKIE}={key}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
            crate::rules::retention::RECEIPT_HOURS * 3600
        ));
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
}

/// The sign-up page's data: the run, and what was typed if a refused form is coming back.
#[server(endpoint = "tilmelding_side")]
pub async fn signup_page(run_id: i32) -> Result<SignupPageDto, AppError> {
    use crate::services::{catalogue, request};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let run = catalogue::listed_run(&state.db, run_id, now).await?;
    let school = match &run {
        Some(r) => catalogue::school_by_slug(&state.db, &r.school.slug).await?,
        None => None,
    };
    let typed = request::take_typed::<SignupForm>("/hold")
        .filter(|form| form.run.trim() == run_id.to_string());
    Ok(SignupPageDto {
        run,
        school,
        typed,
        key: crate::services::tokens::new_token(),
    })
}

/// Signs up for a run. Always answers with a redirect: to "Tak" (the same page, cookie and
/// timing whether or not the address was already signed up, so the answer never tells who takes
/// part; the e-mail says the rest), or back to the form with what was typed and what to fix.
#[server(endpoint = "tilmeld")]
pub async fn sign_up(#[server(flatten)] form: SignupForm) -> Result<(), AppError> {
    use crate::rules::signup::{SignupRefusal, email_key, trimmed_for_redisplay, validate};
    use crate::services::booking::BookingError;
    use crate::services::booking::signup::{self, NewBooking, SignupOutcome};
    use crate::services::rate_limit::Kind as Limit;
    use crate::services::{request, tokens};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let form_url = format!("/hold/{run_id}/tilmelding");

    if !form.website.is_empty() {
        // Only robots fill the hidden field: thank them and store nothing.
        web::set_receipt_cookie(&tokens::new_token());
        leptos_axum::redirect(&format!("{form_url}/modtaget"));
        return Ok(());
    }
    let back_with = |refusals: &[SignupRefusal]| {
        request::keep_typed(&trimmed_for_redisplay(&form), "/hold");
        request::refuse(&form_url, refusals, "tilmeld-fejl");
    };

    let ip = request::client_ip(&state).await;
    let key_of_email = email_key(&form.email);
    let checks = [
        (Limit::SignupPerIp, ip.as_str()),
        (Limit::SignupPerEmail, key_of_email.as_str()),
    ];
    if !state.limiter.allow(&state.db, &checks, now).await? {
        back_with(&[SignupRefusal::RateLimited]);
        return Ok(());
    }

    let valid = match validate(&form) {
        Ok(valid) => valid,
        Err(_) if run_id <= 0 => {
            leptos_axum::redirect("/hold/0/tilmelding");
            return Ok(());
        }
        Err(refusals) => {
            back_with(&refusals);
            return Ok(());
        }
    };

    let key = if tokens::looks_like_token(&form.key) {
        form.key.clone()
    } else {
        tokens::new_token()
    };
    let mut known_receipts = vec![tokens::hash(&key)];
    if let Some(cookie) =
        request::cookie(web::RECEIPT_COOKIE).filter(|c| tokens::looks_like_token(c))
    {
        known_receipts.push(tokens::hash(&cookie));
    }
    let locale = crate::i18n::detect_locale();
    let booking = NewBooking {
        signup: &valid,
        locale: locale.code(),
        source: crate::rules::vocabulary::source::WEB,
        receipt_hash: Some(tokens::hash(&key)),
        known_receipts,
    };
    match signup::sign_up(&state.db, &booking, now).await {
        Ok(SignupOutcome::Created { .. } | SignupOutcome::Existing { .. }) => {
            web::set_receipt_cookie(&key);
            leptos_axum::redirect(&format!("{form_url}/modtaget"));
        }
        Err(BookingError::NoSuchRun) => leptos_axum::redirect(&form_url),
        Err(e) => {
            if let BookingError::Db(e) = &e {
                // Logged; the person keeps what they typed and can simply try again.
                tracing::error!(error = %e, "sign-up failed");
            }
            back_with(&[e.signup_refusal()]);
        }
    }
    Ok(())
}

/// Sends a fresh "Mine tilmeldinger" link to an address that has bookings. The answer is the
/// same whether or not the address is known.
#[server(endpoint = "mine_tilmeldinger_link")]
pub async fn request_link(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::dto::booking::LinkRefusal;
    use crate::rules::signup::{email_is_valid, email_key};
    use crate::services::booking::mine;
    use crate::services::rate_limit::Kind as Limit;
    use crate::services::request;

    let state = request::state()?;
    let email = email.trim();
    let page = "/mine-tilmeldinger";
    if !email_is_valid(email) {
        request::refuse(page, &[LinkRefusal::Email], "");
        return Ok(());
    }
    let key = email_key(email);
    let ip = request::client_ip(&state).await;
    let checks = [
        (Limit::LinkPerIp, ip.as_str()),
        (Limit::LinkPerEmail, key.as_str()),
    ];
    if !state
        .limiter
        .allow(&state.db, &checks, chrono::Utc::now())
        .await?
    {
        request::refuse(page, &[LinkRefusal::TooMany], "");
        return Ok(());
    }
    let locale = crate::i18n::detect_locale();
    mine::send_manage_link(&state.db, &key, locale.code(), chrono::Utc::now()).await?;
    leptos_axum::redirect("/mine-tilmeldinger?sendt=1");
    Ok(())
}

/// The bookings a "Mine tilmeldinger" link opens.
#[server(endpoint = "mine_tilmeldinger")]
pub async fn my_bookings(token: String) -> Result<MyBookingsDto, AppError> {
    use crate::services::booking::mine;
    use crate::services::request;
    use crate::services::tokens::{self, Purpose};

    let state = request::state()?;
    let now = chrono::Utc::now();
    request::no_store();
    let Some(email_key) = tokens::resolve_manage_token(&state.db, &token, now).await? else {
        return Ok(MyBookingsDto::Invalid);
    };
    let bookings = mine::upcoming(&state.db, &email_key, now).await?;
    // A feed link made a moment ago, if it belongs to this person.
    let mut calendar_feed = None;
    if let Some(feed) = request::cookie(web::FEED_COOKIE)
        && tokens::resolve(&state.db, Purpose::Feed, &feed, now)
            .await?
            .is_some_and(|t| t.email_key == email_key)
    {
        calendar_feed = Some(format!("{}/kalender/{feed}.ics", state.public_url));
    }
    Ok(MyBookingsDto::Valid {
        bookings,
        calendar_feed,
    })
}

/// Acts on one booking from "Mine tilmeldinger", then shows the page again with a message.
#[server(endpoint = "mine_tilmeldinger_handling")]
pub async fn manage_booking(
    token: String,
    action: ManageAction,
    booking: i32,
    #[server(default)] session: Option<i32>,
) -> Result<(), AppError> {
    use crate::services::booking::BookingError;
    use crate::services::booking::participant::{self, Actor, CancelOutcome};
    use crate::services::request;
    use entity::BookingStatus;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = web::link_owner(&state, &token, now).await? else {
        return Ok(());
    };
    let actor = Actor::Participant { email_key };
    let db = &state.db;
    let result = match (action, session) {
        (ManageAction::Cancel, _) => participant::cancel(db, booking, &actor, now)
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
            }),
        (ManageAction::Accept, _) => participant::accept_offer(db, booking, &actor, now)
            .await
            .map(|()| "tilbud_accepteret"),
        (ManageAction::SessionAfbud, Some(s)) => {
            participant::session_afbud(db, booking, s, &actor, now)
                .await
                .map(|()| "gang_afbud")
        }
        (ManageAction::SessionUndo, Some(s)) => {
            participant::withdraw_session_afbud(db, booking, s, &actor, now)
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
    use crate::services::booking::{BookingError, privacy};
    use crate::services::request;

    let state = request::state()?;
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
    match privacy::forget(&state.db, &email_key, now).await {
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

/// Makes a private calendar feed link for the person a "Mine tilmeldinger" link belongs to,
/// replacing any earlier one, and shows it once on their page.
#[server(endpoint = "mine_tilmeldinger_kalender")]
pub async fn make_calendar_link(token: String) -> Result<(), AppError> {
    use crate::services::booking::mine;
    use crate::services::request;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = web::link_owner(&state, &token, now).await? else {
        return Ok(());
    };
    let feed = mine::renew_feed_link(&state.db, &email_key, now).await?;
    request::set_flash(web::FEED_COOKIE, &feed, "/mine-tilmeldinger", 600);
    leptos_axum::redirect(&format!("/mine-tilmeldinger/{token}#kalender"));
    Ok(())
}

/// The booking a reminder's link is about.
#[server(endpoint = "svar_side")]
pub async fn reply_page(token: String) -> Result<crate::dto::booking::ReplyPageDto, AppError> {
    use crate::dto::booking::ReplyPageDto;
    use crate::services::booking::mine;
    use crate::services::request;

    let state = request::state()?;
    request::no_store();
    Ok(
        match mine::reminder(&state.db, &token, chrono::Utc::now()).await? {
            Some((booking, coming)) => ReplyPageDto::Valid {
                booking: Box::new(booking),
                coming,
            },
            None => ReplyPageDto::Invalid,
        },
    )
}

/// Answers a reminder: `ja` ("Ja, jeg kommer") or `nej` ("Jeg kan ikke alligevel", which gives
/// the seat to the next in line at once). Shows the page again with the outcome.
#[server(endpoint = "svar")]
pub async fn answer_reminder(
    token: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::services::booking::BookingError;
    use crate::services::booking::participant::{self, Actor};
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
        "ja" => participant::confirm_coming(&state.db, booking_id, now)
            .await
            .map(|()| "kommer"),
        "nej" => participant::cancel(&state.db, booking_id, &Actor::Reply { booking_id }, now)
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
