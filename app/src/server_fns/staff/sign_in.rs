//! Signing in and out: e-mail and password, then the authenticator code (or a recovery code),
//! setting up the authenticator app, and the single-use links for invitations and password
//! resets. Failures are counted per account and per address (see `staff::auth`), and every
//! answer is a redirect to a page that says what happened.

use leptos::prelude::*;

use crate::dto::staff::sign_in::{LinkPageDto, SignInPageDto, TotpSetupDto};

use crate::error::AppError;

/// Remembers the e-mail typed on a failed sign-in, for the form to show again.
#[cfg(feature = "ssr")]
const EMAIL_COOKIE: &str = "sb_personale_epost";

/// The sign-in page: sends a signed-in person on to the workspace.
#[server(endpoint = "personale_log_ind_side")]
pub async fn sign_in_page() -> Result<SignInPageDto, AppError> {
    use crate::services::request;
    use crate::services::staff::auth::Stage;
    use crate::services::staff::guard;

    let state = request::state()?;
    request::no_store();
    if let Some(me) = guard::session(&state, chrono::Utc::now()).await?
        && me.stage == Stage::Full
    {
        leptos_axum::redirect("/personale");
    }
    Ok(SignInPageDto {
        email: request::cookie(EMAIL_COOKIE)
            .and_then(|e| urlencoding::decode(&e).ok().map(|e| e.into_owned()))
            .unwrap_or_default(),
        sso: state.sso.is_some(),
    })
}

/// E-mail and password.
#[server(endpoint = "personale_log_ind")]
pub async fn sign_in(
    #[server(default)] email: String,
    #[server(default)] password: String,
    #[server(default)] til: String,
) -> Result<(), AppError> {
    use crate::dto::staff::sign_in::SignInRefusal;
    use crate::services::request;
    use crate::services::staff::auth::{self, PasswordCheck, Stage};
    use crate::services::staff::guard;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let ip = request::client_ip(&state).await;
    let back = if guard::safe_staff_path(&til) {
        til
    } else {
        "/personale".to_string()
    };
    let again = |refusal: crate::dto::staff::sign_in::SignInRefusal| {
        request::set_flash(
            EMAIL_COOKIE,
            &urlencoding::encode(email.trim().chars().take(254).collect::<String>().as_str()),
            "/personale/log-ind",
            300,
        );
        let til = if back == "/personale" {
            String::new()
        } else {
            format!("&til={}", urlencoding::encode(&back))
        };
        let page = crate::rules::forms::back_to("/personale/log-ind", &[refusal], "");
        leptos_axum::redirect(&format!("{page}{til}"));
    };
    if email.trim().is_empty() || password.is_empty() {
        again(SignInRefusal::Missing);
        return Ok(());
    }
    match auth::check_password(&state.db, &email, &password, &ip, now).await? {
        PasswordCheck::Accepted { account_id, stage } => {
            let token =
                auth::start_session(&state.db, account_id, stage, now, &state.staff_sessions)
                    .await?;
            guard::set_session_cookie(&state, &token);
            tracing::info!(account = account_id, ?stage, "staff password accepted");
            leptos_axum::redirect(match stage {
                Stage::Full => back.as_str(),
                Stage::Password => "/personale/log-ind/kode",
                Stage::Setup => "/personale/totp",
            });
        }
        PasswordCheck::Wrong => again(SignInRefusal::Wrong),
        PasswordCheck::Throttled => again(SignInRefusal::Throttled),
    }
    Ok(())
}

/// The code from the authenticator app, or a recovery code, after the password.
#[server(endpoint = "personale_kode")]
pub async fn sign_in_code(#[server(default)] code: String) -> Result<(), AppError> {
    use crate::dto::staff::sign_in::{CodeRefusal, SignInRefusal};
    use crate::services::request;
    use crate::services::staff::auth::{self, CodeCheck, Stage};
    use crate::services::staff::guard;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(me) = guard::session(&state, now)
        .await?
        .filter(|s| s.stage == Stage::Password)
    else {
        request::refuse("/personale/log-ind", &[SignInRefusal::Expired], "");
        return Ok(());
    };
    let ip = request::client_ip(&state).await;
    let done = |state: &crate::services::state::AppState, token: &str, to: &str| {
        guard::set_session_cookie(state, token);
        leptos_axum::redirect(to);
    };
    match auth::check_code(&state.db, &me.account, &code, &ip, now).await? {
        outcome @ (CodeCheck::Accepted | CodeCheck::RecoveryUsed { .. }) => {
            // A new token for the full session: the one seen before the code opens nothing.
            auth::end_session(&state.db, me.session_id).await?;
            let token = auth::start_session(
                &state.db,
                me.account.id,
                Stage::Full,
                now,
                &state.staff_sessions,
            )
            .await?;
            let to = match outcome {
                CodeCheck::RecoveryUsed { left } => {
                    format!("/personale/konto?koder-tilbage={left}")
                }
                _ => "/personale".to_string(),
            };
            done(&state, &token, &to);
        }
        CodeCheck::Wrong => request::refuse("/personale/log-ind/kode", &[CodeRefusal::Wrong], ""),
        CodeCheck::Throttled => {
            request::refuse("/personale/log-ind/kode", &[CodeRefusal::Throttled], "");
        }
    }
    Ok(())
}

/// Signs this browser out.
#[server(endpoint = "personale_log_ud")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::staff::auth;
    use crate::services::staff::guard;

    let state = request::state()?;
    if let Some(me) = guard::session(&state, chrono::Utc::now()).await? {
        auth::end_session(&state.db, me.session_id).await?;
    }
    guard::clear_session_cookie(&state);
    leptos_axum::redirect("/personale/log-ind?ud=1");
    Ok(())
}

/// Signs the person out on every device.
#[server(endpoint = "personale_log_ud_overalt")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::services::staff::auth;
    use crate::services::staff::guard;

    let ctx = guard::signed_in().await?;
    let ended = auth::end_all_sessions(&ctx.state.db, ctx.me.account.id).await?;
    tracing::info!(account = ctx.me.account.id, ended, "signed out everywhere");
    guard::clear_session_cookie(&ctx.state);
    leptos_axum::redirect("/personale/log-ind?ud=alle");
    Ok(())
}

#[server(endpoint = "personale_totp_side")]
pub async fn totp_setup_page() -> Result<TotpSetupDto, AppError> {
    use crate::services::request;
    use crate::services::staff::guard;
    use crate::services::staff::totp;

    let state = request::state()?;
    request::no_store();
    let Some(me) = guard::session(&state, chrono::Utc::now())
        .await?
        .filter(|s| s.stage != crate::services::staff::auth::Stage::Password)
    else {
        leptos_axum::redirect("/personale/log-ind");
        return Err(AppError::SignInRequired);
    };
    let secret = totp::new_secret();
    let uri = totp::otpauth_uri(&secret, &me.account.email, "Skolebænk");
    Ok(TotpSetupDto {
        secret_grouped: totp::grouped(&secret),
        qr_svg: totp::qr_svg(&uri).unwrap_or_default(),
        secret,
        email: me.account.email.clone(),
        required: me.grants.requires_second_factor(),
        already_enabled: me.account.totp_enabled,
    })
}

/// Turns the authenticator app on: the code must be made from the page's secret. Makes new
/// recovery codes and shows them once. Replacing an app that is already on needs the password
/// too, so a session left open cannot be turned into a way back in.
#[server(endpoint = "personale_totp")]
pub async fn enable_totp(
    #[server(default)] secret: String,
    #[server(default)] code: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    use crate::dto::staff::sign_in::{RECOVERY_COOKIE, TotpRefusal};
    use crate::services::request;
    use crate::services::staff::auth::{self, Stage};
    use crate::services::staff::guard;
    use crate::services::staff::totp;

    let state = request::state()?;
    let now = chrono::Utc::now();
    let Some(me) = guard::session(&state, now)
        .await?
        .filter(|s| s.stage != Stage::Password)
    else {
        leptos_axum::redirect("/personale/log-ind");
        return Ok(());
    };
    if me.account.totp_enabled
        && !crate::services::staff::password::account_password_is(&me.account, &password).await
    {
        request::refuse("/personale/totp", &[TotpRefusal::WrongPassword], "");
        return Ok(());
    }
    let secret = secret.trim().to_ascii_uppercase();
    let valid_secret = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .is_ok_and(|b| b.len() == 20);
    let Some(step) = valid_secret
        .then(|| totp::verify(&secret, &code, now.timestamp(), None))
        .flatten()
    else {
        request::refuse("/personale/totp", &[TotpRefusal::Wrong], "");
        return Ok(());
    };
    let codes = auth::enable_totp(&state.db, me.account.id, &secret, step).await?;
    // Every other session of the account ends; this browser gets a new full session.
    auth::end_all_sessions(&state.db, me.account.id).await?;
    let token = auth::start_session(
        &state.db,
        me.account.id,
        Stage::Full,
        now,
        &state.staff_sessions,
    )
    .await?;
    guard::set_session_cookie(&state, &token);
    request::set_flash(
        RECOVERY_COOKIE,
        &codes.join("."),
        "/personale/konto/koder",
        600,
    );
    leptos_axum::redirect("/personale/konto/koder");
    Ok(())
}

/// `/personale/invitation/:token` and `/personale/nulstil/:token`: checks the link without
/// spending it.
#[server(endpoint = "personale_link_side")]
pub async fn link_page(token: String, reset: bool) -> Result<LinkPageDto, AppError> {
    use crate::services::request;
    use crate::services::staff::auth::{self, LinkPurpose};

    let state = request::state()?;
    request::no_store();
    let purpose = if reset {
        LinkPurpose::Reset
    } else {
        LinkPurpose::Invite
    };
    Ok(
        match auth::peek_link(&state.db, purpose, &token, chrono::Utc::now()).await? {
            Some(a) => LinkPageDto::Valid {
                name: a.name,
                email: a.email,
            },
            None => {
                request::set_status(http::StatusCode::NOT_FOUND);
                LinkPageDto::Invalid
            }
        },
    )
}

/// Sets a password from an invitation or reset link. The link works once; a reset ends every
/// session of the account.
#[server(endpoint = "personale_adgangskode")]
pub async fn set_password_by_link(
    token: String,
    reset: bool,
    #[server(default)] password: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    use crate::rules::password::check_new;
    use crate::services::request;
    use crate::services::staff::auth::{self, LinkPurpose};

    let state = request::state()?;
    let now = chrono::Utc::now();
    let (purpose, page) = if reset {
        (LinkPurpose::Reset, "nulstil")
    } else {
        (LinkPurpose::Invite, "invitation")
    };
    let Some(account) = auth::peek_link(&state.db, purpose, &token, now).await? else {
        leptos_axum::redirect(&format!("/personale/{page}/{token}"));
        return Ok(());
    };
    if let Err(refusal) = check_new(&password, &repeat, &account.email) {
        request::refuse(&format!("/personale/{page}/{token}"), &[refusal], "fejl");
        return Ok(());
    }
    // Spent only now, so a typing mistake above does not cost the link.
    let Some(account) = auth::spend_link(&state.db, purpose, &token, now).await? else {
        leptos_axum::redirect(&format!("/personale/{page}/{token}"));
        return Ok(());
    };
    auth::set_password(&state.db, account.id, &password).await?;
    auth::clear_password_failures(&state.db, account.id).await?;
    tracing::info!(account = account.id, ?purpose, "staff password set by link");
    request::no_store();
    leptos_axum::redirect(if reset {
        "/personale/log-ind?nulstillet=1"
    } else {
        "/personale/log-ind?klar=1"
    });
    Ok(())
}

/// Asks for a password reset link. The answer is the same whether or not the address has an
/// account, so the form tells no one who works here.
#[server(endpoint = "personale_glemt")]
pub async fn request_reset(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::services::rate_limit::Kind as Limit;
    use crate::services::request;
    use crate::services::staff::auth;

    let state = request::state()?;
    let ip = request::client_ip(&state).await;
    let key = email.trim().to_lowercase();
    let staff_key = format!("staff:{key}");
    let checks = [
        (Limit::LinkPerIp, ip.as_str()),
        (Limit::LinkPerEmail, staff_key.as_str()),
    ];
    if state
        .limiter
        .allow(&state.db, &checks, chrono::Utc::now())
        .await?
    {
        auth::queue_reset_link(&state.db, &key, chrono::Utc::now()).await?;
    }
    leptos_axum::redirect("/personale/glemt?sendt=1");
    Ok(())
}
