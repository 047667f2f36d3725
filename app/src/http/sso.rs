//! Staff single sign-on: `POST /personale/log-ind/sso` sends the browser to the region's
//! identity provider, and `GET /personale/log-ind/sso/svar` takes the provider's answer (an
//! OpenID Connect redirect is a GET by the protocol; what it may do is bounded by the state
//! on file, which works once). Both answer 404 when single sign-on is not configured.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::dto::staff::sign_in::SignInRefusal;
use crate::rules::sso::{Next, Refusal};
use crate::services::staff::sso::{self, BROWSER_COOKIE, SsoError};
use crate::services::staff::{auth, guard};
use crate::services::state::AppState;

#[derive(Deserialize)]
pub struct Start {
    #[serde(default)]
    til: String,
}

/// Sends the browser to the provider.
pub async fn start(State(state): State<AppState>, Form(form): Form<Start>) -> Response {
    let Some(provider) = state.sso.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = if guard::safe_staff_path(&form.til) {
        form.til
    } else {
        "/personale".to_string()
    };
    match sso::begin(&state.db, &provider, &back, chrono::Utc::now()).await {
        Ok(begun) => {
            let cookie = format!(
                "{BROWSER_COOKIE}={}; Path=/personale/log-ind/sso; Max-Age={}; HttpOnly; SameSite=Lax{}",
                begun.browser_secret,
                sso::LOGIN_MINUTES * 60,
                if state.staff_sessions.secure {
                    "; Secure"
                } else {
                    ""
                }
            );
            redirect(&begun.url, &[cookie])
        }
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on could not start");
            refused(SignInRefusal::SsoFailed)
        }
    }
}

#[derive(Deserialize)]
pub struct Answer {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// Takes the provider's answer and starts a staff session.
pub async fn answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(answer): Query<Answer>,
) -> Response {
    let Some(provider) = state.sso.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now = chrono::Utc::now();
    if !answer.error.is_empty() || answer.code.is_empty() || answer.state.is_empty() {
        tracing::info!(
            error = %answer.error.chars().take(60).collect::<String>(),
            "single sign-on: the provider sent no code"
        );
        return refused(SignInRefusal::SsoFailed);
    }
    let browser = crate::services::request::cookie_in(&headers, BROWSER_COOKIE);
    let finished = sso::finish(
        &state.db,
        &provider,
        &answer.state,
        &answer.code,
        browser.as_deref(),
        now,
    )
    .await;
    let done = match finished {
        Ok(done) => done,
        Err(SsoError::Refused(Refusal::Unknown)) => {
            tracing::info!("single sign-on: no staff account has the provider's e-mail");
            return refused(SignInRefusal::SsoUnknown);
        }
        Err(SsoError::Refused(Refusal::Unverified)) => {
            tracing::info!("single sign-on: the provider did not vouch for an e-mail");
            return refused(SignInRefusal::SsoUnknown);
        }
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on refused");
            return refused(SignInRefusal::SsoFailed);
        }
    };
    let stage = match done.next {
        Next::SignedIn => auth::Stage::Full,
        Next::AuthenticatorCode => auth::Stage::Password,
        Next::SetUpAuthenticator => auth::Stage::Setup,
    };
    let token = match auth::start_session(
        &state.db,
        done.account_id,
        stage,
        now,
        &state.staff_sessions,
    )
    .await
    {
        Ok(token) => token,
        Err(e) => {
            tracing::error!(error = %e, "single sign-on: could not start the session");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    tracing::info!(
        account = done.account_id,
        ?stage,
        "staff signed in through single sign-on"
    );
    let to = match stage {
        auth::Stage::Full => done.return_to.as_str(),
        auth::Stage::Password => "/personale/log-ind/kode",
        auth::Stage::Setup => "/personale/totp",
    };
    redirect(
        to,
        &[
            state.staff_sessions.cookie(&token),
            format!(
                "{BROWSER_COOKIE}=; Path=/personale/log-ind/sso; Max-Age=0; HttpOnly; SameSite=Lax"
            ),
        ],
    )
}

fn refused(refusal: SignInRefusal) -> Response {
    let to = crate::rules::forms::back_to("/personale/log-ind", &[refusal], "");
    redirect(&to, &[])
}

fn redirect(to: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(to) {
        headers.insert(header::LOCATION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    response
}
