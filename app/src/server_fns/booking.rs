//! Server functions for signing up and for "Mine tilmeldinger". The forms post straight to these
//! endpoints (no JavaScript needed); each one checks its input and the person's right to act,
//! then answers with a redirect to a page that shows the new state.

#[allow(unused_imports)]
use crate::dto::booking::*;
#[cfg(feature = "ssr")]
use crate::services::request;
use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::rules::signup::FieldError;
use crate::rules::signup::SignupForm;

/// The sign-up page's data: the run, and a rejected form if one is coming back.
#[server(endpoint = "tilmelding_side")]
pub async fn signup_page(run_id: i32) -> Result<SignupPageDto, AppError> {
    let state = request::state()?;
    let now = chrono::Utc::now();
    let run = crate::services::catalogue::listed_run(&state.db, run_id, now).await?;
    let school = match &run {
        Some(r) => request::school_by_slug(&state.db, &r.school.slug).await?,
        None => None,
    };
    let draft = request::take_draft(run_id);
    Ok(SignupPageDto {
        run,
        school,
        draft,
        key: crate::services::tokens::new_token(),
    })
}

/// Signs up for a run. Always answers with a redirect: to the confirmation, or back to the form
/// with what was typed and what to fix.
#[server(endpoint = "tilmeld")]
pub async fn sign_up(#[server(flatten)] form: SignupForm) -> Result<(), AppError> {
    use crate::rules::signup::validate;
    use crate::services::booking::store::{self, BookingError, NewBooking, SignupOutcome};
    use crate::services::rate_limit::Kind as Limit;
    use crate::services::tokens;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let run_id = form.run.trim().parse::<i32>().unwrap_or(0);
    let form_url = format!("/hold/{run_id}/tilmelding");

    if !form.website.is_empty() {
        // Only robots fill the hidden field: thank them and store nothing.
        leptos_axum::redirect("/tilmelding/modtaget");
        return Ok(());
    }
    let back_with = |errors: Vec<FieldError>, notice: Option<&str>| {
        request::put_draft(&SignupDraft {
            form: crate::rules::signup::trimmed_for_redisplay(&form),
            errors,
            notice: notice.map(str::to_string),
        });
        leptos_axum::redirect(&format!("{form_url}#tilmeld-fejl"));
    };

    let ip = request::client_ip(&state).await;
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

    let key = if tokens::looks_like_token(&form.key) {
        form.key.clone()
    } else {
        tokens::new_token()
    };
    let mut known_receipts = vec![tokens::hash(&key)];
    if let Some(cookie) =
        request::cookie(request::RECEIPT_COOKIE).filter(|c| tokens::looks_like_token(c))
    {
        known_receipts.push(tokens::hash(&cookie));
    }
    let locale = crate::i18n::detect_locale();
    let request = NewBooking {
        signup: &signup,
        locale: locale.code(),
        source: crate::rules::vocabulary::source::WEB,
        receipt_hash: Some(tokens::hash(&key)),
        known_receipts,
    };
    match store::sign_up(&state.db, &request, now).await {
        Ok(SignupOutcome::Created { booking_id, .. })
        | Ok(SignupOutcome::Existing {
            booking_id,
            same_browser: true,
        }) => {
            request::set_receipt_cookie(&key);
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
        Err(e) => back_with(Vec::new(), Some(request::booking_error_key(&e))),
    }
    Ok(())
}

/// The confirmation of a booking, for the browser that made it (proved by the receipt cookie),
/// for a few hours. `None` otherwise.
#[server(endpoint = "kvittering")]
pub async fn receipt(booking_id: i32) -> Result<Option<ReceiptDto>, AppError> {
    use crate::services::tokens;
    use entity::booking;
    use sea_orm::EntityTrait;

    let state = request::state()?;
    let now = chrono::Utc::now();
    request::no_store();
    let Some(key) =
        request::cookie(request::RECEIPT_COOKIE).filter(|c| tokens::looks_like_token(c))
    else {
        return Ok(None);
    };
    let Some(b) = booking::Entity::find_by_id(booking_id)
        .one(&state.db)
        .await?
        .filter(|b| b.receipt_hash.as_deref() == Some(tokens::hash(&key).as_str()))
        .filter(|b| {
            now - b.created_at < chrono::Duration::hours(crate::rules::retention::RECEIPT_HOURS)
        })
    else {
        return Ok(None);
    };
    let mut views = request::booking_views(&state.db, vec![b.clone()], now).await?;
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
    use crate::rules::signup::{email_is_valid, email_key};
    use crate::services::outbox::{self, Kind, Message};
    use crate::services::rate_limit::Kind as Limit;
    use entity::booking;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let email = email.trim();
    if !email_is_valid(email) {
        leptos_axum::redirect("/mine-tilmeldinger?fejl=email");
        return Ok(());
    }
    let key = email_key(email);
    let ip = request::client_ip(&state).await;
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

    let state = request::state()?;
    let now = chrono::Utc::now();
    request::no_store();
    let Some(email_key) =
        crate::services::tokens::resolve_manage_token(&state.db, &token, now).await?
    else {
        return Ok(MyBookingsDto::Invalid);
    };
    let bookings = booking::Entity::find()
        .filter(booking::Column::EmailKey.eq(email_key.as_str()))
        .all(&state.db)
        .await?;
    let mut views = request::booking_views(&state.db, bookings, now).await?;
    // Runs that are over are not news; the school keeps their figures.
    views.retain(|v| v.run.next_session.is_some());
    views.sort_by_key(|v| v.run.next_session.as_ref().map(|s| s.starts));
    // A feed link made a moment ago, if it belongs to this person.
    let mut calendar_feed = None;
    if let Some(feed) = request::cookie(request::FEED_COOKIE) {
        use crate::services::tokens::{Purpose, resolve};
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

/// Acts on one booking from "Mine tilmeldinger", then shows the page again with a message.
#[server(endpoint = "mine_tilmeldinger_handling")]
pub async fn manage_booking(
    token: String,
    action: ManageAction,
    booking: i32,
    #[server(default)] session: Option<i32>,
) -> Result<(), AppError> {
    use crate::services::booking::store::{self, Actor, BookingError, CancelOutcome};
    use entity::BookingStatus;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = request::link_owner(&state, &token, now).await? else {
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
    use crate::services::booking::store::{self, BookingError};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(email_key) = request::link_owner(&state, &token, now).await? else {
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
