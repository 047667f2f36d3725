//! The person's own account: who they are, their roles, the authenticator app and recovery
//! codes, changing the password, and signing out everywhere.

use leptos::prelude::*;

use crate::dto::staff::MeDto;
use crate::dto::staff::account::AccountDto;
use crate::error::AppError;

/// Who is signed in. Every staff page loads this for its header.
#[server(endpoint = "personale_mig")]
pub async fn me() -> Result<MeDto, AppError> {
    let ctx = crate::services::staff::guard::signed_in().await?;
    crate::services::staff::guard::me_dto(&ctx).await
}

#[server(endpoint = "personale_konto_side")]
pub async fn account_page() -> Result<AccountDto, AppError> {
    use crate::services::staff::auth;
    let ctx = crate::services::staff::guard::signed_in().await?;
    Ok(AccountDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
        recovery_codes_left: auth::recovery_codes_left(&ctx.state.db, ctx.me.account.id).await?,
        totp_required: ctx.me.grants.requires_second_factor(),
    })
}

/// New recovery codes, shown once (from the cookie `enable_totp` or `new_recovery_codes` set).
#[server(endpoint = "personale_koder_side")]
pub async fn recovery_codes_page() -> Result<Vec<String>, AppError> {
    use crate::dto::staff::sign_in::RECOVERY_COOKIE;
    use crate::services::request;
    let _ctx = crate::services::staff::guard::signed_in().await?;
    let codes = request::cookie(RECOVERY_COOKIE)
        .map(|c| c.split('.').map(str::to_string).collect())
        .unwrap_or_default();
    request::set_flash(RECOVERY_COOKIE, "", "/personale/konto/koder", 0);
    Ok(codes)
}

/// Replaces the recovery codes (the old ones stop working) and shows the new ones once; needs
/// the password, so a session left open cannot be turned into a way back in.
#[server(endpoint = "personale_nye_koder")]
pub async fn new_recovery_codes(#[server(default)] password: String) -> Result<(), AppError> {
    use crate::dto::staff::account::AccountRefusal;
    use crate::dto::staff::sign_in::RECOVERY_COOKIE;
    use crate::services::request;
    use crate::services::staff::{auth, password as pw};
    let ctx = crate::services::staff::guard::signed_in().await?;
    if !ctx.me.account.totp_enabled {
        leptos_axum::redirect("/personale/konto");
        return Ok(());
    }
    if !pw::account_password_is(&ctx.me.account, &password).await {
        request::refuse("/personale/konto", &[AccountRefusal::WrongPassword], "totp");
        return Ok(());
    }
    let codes = auth::new_recovery_codes(&ctx.state.db, ctx.me.account.id).await?;
    request::set_flash(
        RECOVERY_COOKIE,
        &codes.join("."),
        "/personale/konto/koder",
        600,
    );
    leptos_axum::redirect("/personale/konto/koder");
    Ok(())
}

/// Turns the authenticator app off, for people whose roles do not require it; needs the
/// password.
#[server(endpoint = "personale_totp_fra")]
pub async fn disable_totp(#[server(default)] password: String) -> Result<(), AppError> {
    use crate::dto::staff::account::AccountRefusal;
    use crate::services::request;
    use crate::services::staff::{auth, password as pw};

    let ctx = crate::services::staff::guard::signed_in().await?;
    if ctx.me.grants.requires_second_factor() {
        request::refuse("/personale/konto", &[AccountRefusal::TotpRequired], "");
        return Ok(());
    }
    if !pw::account_password_is(&ctx.me.account, &password).await {
        request::refuse("/personale/konto", &[AccountRefusal::WrongPassword], "totp");
        return Ok(());
    }
    auth::disable_totp(&ctx.state.db, ctx.me.account.id).await?;
    leptos_axum::redirect("/personale/konto?totp=fra");
    Ok(())
}

/// Changes the password: the current one, and the new one twice. Every other session ends.
#[server(endpoint = "personale_skift_adgangskode")]
pub async fn change_password(
    #[server(default)] current: String,
    #[server(default)] password: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    use crate::dto::staff::account::AccountRefusal;
    use crate::rules::password::check_new;
    use crate::services::request;
    use crate::services::staff::auth::{self, Stage};
    use crate::services::staff::guard;
    use crate::services::staff::password as pw;

    let ctx = guard::signed_in().await?;
    if !pw::account_password_is(&ctx.me.account, &current).await {
        request::refuse(
            "/personale/konto",
            &[AccountRefusal::WrongPassword],
            "adgangskode",
        );
        return Ok(());
    }
    if let Err(refusal) = check_new(&password, &repeat, &ctx.me.account.email) {
        request::refuse("/personale/konto", &[refusal], "adgangskode");
        return Ok(());
    }
    auth::set_password(&ctx.state.db, ctx.me.account.id, &password).await?;
    let token = auth::start_session(
        &ctx.state.db,
        ctx.me.account.id,
        Stage::Full,
        ctx.now,
        &ctx.state.staff_sessions,
    )
    .await?;
    guard::set_session_cookie(&ctx.state, &token);
    leptos_axum::redirect("/personale/konto?adgangskode=skiftet");
    Ok(())
}
