//! The checks every staff server function makes.

use chrono::{DateTime, Utc};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::dto::staff::MeDto;
use crate::error::AppError;
use crate::rules::access::Action;
use crate::services::query::AllInto;
use crate::services::request;
use crate::services::staff::audit;
use crate::services::staff::auth::{self, Signed, Stage};
use crate::services::state::AppState;

/// A signed-in staff member's request.
pub struct Ctx {
    pub state: AppState,
    pub me: Signed,
    pub now: DateTime<Utc>,
}

pub fn set_status(code: http::StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(code);
    }
}

/// The session of this request at any stage, without redirecting.
pub async fn session(state: &AppState, now: DateTime<Utc>) -> Result<Option<Signed>, AppError> {
    let Some(token) = request::cookie(state.staff_sessions.cookie_name()) else {
        return Ok(None);
    };
    Ok(auth::session(&state.db, &token, now, &state.staff_sessions).await?)
}

/// Where to come back to after signing in: the page asked for, if it is a staff page.
fn return_path() -> String {
    use_context::<http::request::Parts>()
        .filter(|p| p.method == http::Method::GET)
        .and_then(|p| p.uri.path_and_query().map(|pq| pq.as_str().to_string()))
        .filter(|p| safe_staff_path(p))
        .unwrap_or_default()
}

/// Only staff pages on this site are returned to after sign-in.
pub fn safe_staff_path(path: &str) -> bool {
    path.starts_with("/personale")
        && !path.starts_with("/personale/log-ind")
        && !path.contains("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() < 1000
}

/// The signed-in staff member of a plain axum handler (a file upload or download, outside
/// the server functions): `None` without a full session that may use the workspace.
pub async fn signed_in_from(
    state: AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Ctx>, AppError> {
    let now = Utc::now();
    let Some(token) = request::cookie_in(headers, state.staff_sessions.cookie_name()) else {
        return Ok(None);
    };
    Ok(
        match auth::session(&state.db, &token, now, &state.staff_sessions).await? {
            Some(me) if me.stage == Stage::Full && me.grants.may(Action::UseWorkspace) => {
                Some(Ctx { state, me, now })
            }
            _ => None,
        },
    )
}

/// The signed-in staff member. Without a full session the browser is sent to the step it
/// has reached (sign-in, the code, or setting up the app) and the answer is
/// `SignInRequired`.
pub async fn signed_in() -> Result<Ctx, AppError> {
    let state = request::state()?;
    let now = Utc::now();
    request::no_store();
    let me = session(&state, now).await?;
    match me {
        Some(me) if me.stage == Stage::Full => {
            if !me.grants.may(Action::UseWorkspace) {
                set_status(http::StatusCode::FORBIDDEN);
                return Err(AppError::Forbidden);
            }
            Ok(Ctx { state, me, now })
        }
        Some(me) => {
            leptos_axum::redirect(match me.stage {
                Stage::Setup => "/personale/totp",
                _ => "/personale/log-ind/kode",
            });
            Err(AppError::SignInRequired)
        }
        None => {
            let back = return_path();
            if back.is_empty() || back == "/personale" {
                leptos_axum::redirect("/personale/log-ind");
            } else {
                leptos_axum::redirect(&format!(
                    "/personale/log-ind?til={}",
                    urlencoding::encode(&back)
                ));
            }
            Err(AppError::SignInRequired)
        }
    }
}

/// Refuses with 403 unless the person may do `action`.
pub fn allow(ctx: &Ctx, action: Action) -> Result<(), AppError> {
    if ctx.me.grants.may(action) {
        Ok(())
    } else {
        tracing::info!(
            account = ctx.me.account.id,
            ?action,
            "refused a staff action"
        );
        set_status(http::StatusCode::FORBIDDEN);
        Err(AppError::Forbidden)
    }
}

/// 403 for something the person may not see.
pub fn forbidden<T>(ctx: &Ctx, what: &str) -> Result<T, AppError> {
    tracing::info!(account = ctx.me.account.id, what, "refused a staff request");
    set_status(http::StatusCode::FORBIDDEN);
    Err(AppError::Forbidden)
}

/// 404 for something that does not exist.
pub fn not_found<T>() -> Result<T, AppError> {
    set_status(http::StatusCode::NOT_FOUND);
    Err(AppError::NotFound)
}

/// Records an action on people's data in the audit log.
pub async fn audit(
    ctx: &Ctx,
    school_id: Option<i32>,
    action: &str,
    subject: String,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        &ctx.state.db,
        audit::Entry {
            account_id: ctx.me.account.id,
            actor: &ctx.me.account.name,
            school_id,
            action,
            subject,
            detail,
        },
        ctx.now,
    )
    .await?;
    Ok(())
}

/// Sets the session cookie.
pub fn set_session_cookie(state: &AppState, token: &str) {
    request::set_cookie(&state.staff_sessions.cookie(token));
}

pub fn clear_session_cookie(state: &AppState) {
    request::set_cookie(&state.staff_sessions.clear_cookie());
}

/// Who is signed in, as every staff page shows it.
pub async fn me_dto(ctx: &Ctx) -> Result<MeDto, AppError> {
    use entity::school;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let g = &ctx.me.grants;
    let mut query = school::Entity::find().order_by_asc(school::Column::Name);
    if !g.admin {
        query = query.filter(school::Column::Id.is_in(g.schools()));
    }
    let schools = query.all_into(&ctx.state.db, |s| (s.id, s.name)).await?;
    Ok(MeDto {
        name: ctx.me.account.name.clone(),
        email: ctx.me.account.email.clone(),
        grants: g.clone(),
        schools,
        totp_enabled: ctx.me.account.totp_enabled,
    })
}
