//! Staff single sign-on with the region's OpenID Connect provider (authorization code flow with
//! PKCE, `state` and `nonce`). A sign-in is a row in `sso_login` between the two legs: the
//! provider's answer must carry a state that is on file, come back to the browser that started
//! it, within ten minutes, and only once; the ID token must be signed by the provider, be meant
//! for this client and carry the nonce on file. What the answer then allows is
//! [`crate::rules::sso::decide`]'s call.

use std::sync::Mutex;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use entity::{sso_login, staff_account};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::rules::sso::{self, Account, Claims, Next, SecondFactor};
use crate::services::staff::auth;
use crate::services::tokens;

/// How long a started sign-in may take at the provider.
pub const LOGIN_MINUTES: i64 = 10;
/// The cookie that ties the provider's answer to the browser that asked.
pub const BROWSER_COOKIE: &str = "sb_sso";
/// Where the provider sends the person back.
pub const CALLBACK_PATH: &str = "/personale/log-ind/sso/svar";
/// How long the provider's discovery document and keys are kept before they are read again.
const METADATA_TTL: StdDuration = StdDuration::from_secs(3600);

/// The configured provider.
pub struct Provider {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_url: String,
    second_factor: SecondFactor,
    http: reqwest::Client,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Why a sign-in through the provider did not happen. `Failed` details go to the log only.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("{0:?}")]
    Refused(sso::Refusal),
    #[error("single sign-on failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A sign-in sent to the provider: where to send the browser, and the cookie value that
/// must come back with the answer.
pub struct Begun {
    pub url: String,
    pub browser_secret: String,
}

/// A sign-in the provider vouched for.
#[derive(Debug, PartialEq, Eq)]
pub struct Finished {
    pub account_id: i32,
    pub next: Next,
    pub return_to: String,
}

impl Provider {
    /// `public_url` is the site's address; the provider must have
    /// `{public_url}/personale/log-ind/sso/svar` registered as the client's redirect URI.
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        public_url: &str,
        second_factor: SecondFactor,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            // The provider's endpoints must answer directly (no redirects to elsewhere).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(StdDuration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        IssuerUrl::new(issuer.to_string()).map_err(|e| e.to_string())?;
        let redirect_url = format!("{}{CALLBACK_PATH}", public_url.trim_end_matches('/'));
        RedirectUrl::new(redirect_url.clone()).map_err(|e| e.to_string())?;
        Ok(Provider {
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            redirect_url,
            second_factor,
            http,
            metadata: Mutex::new(None),
        })
    }

    /// Where the sign-in form's redirect may lead (the issuer's origin, and the authorization
    /// endpoint's once it is known), for the pages' `form-action` policy.
    pub fn form_origins(&self) -> Vec<String> {
        let mut origins = vec![origin_of(&self.issuer)];
        if let Some((_, m)) = self
            .metadata
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            let auth = origin_of(m.authorization_endpoint().as_str());
            if !origins.contains(&auth) {
                origins.push(auth);
            }
        }
        origins.retain(|o| !o.is_empty());
        origins
    }

    /// The provider's discovery document and signing keys, read at most once an hour (or
    /// again at once when `fresh`, after a token failed to verify: keys may have rotated).
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, SsoError> {
        if !fresh
            && let Some((at, m)) = self
                .metadata
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.issuer.clone()).map_err(|e| fail("issuer", e))?;
        let m = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| fail("discovery", e))?;
        *self
            .metadata
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        SsoError,
    > {
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(self.client_secret.clone())),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.redirect_url.clone()).map_err(|e| fail("redirect", e))?,
        ))
    }
}

/// `scheme://host[:port]` of a URL, or nothing if it is not one.
fn origin_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .ok()
        .filter(|o| o != "null")
        .unwrap_or_default()
}

fn fail(step: &str, e: impl std::fmt::Display) -> SsoError {
    SsoError::Failed(format!("{step}: {e}"))
}

/// Starts a sign-in: stores state, nonce and PKCE verifier, and returns the provider's address.
pub async fn begin(
    db: &DatabaseConnection,
    provider: &Provider,
    return_to: &str,
    now: DateTime<Utc>,
) -> Result<Begun, SsoError> {
    let client = provider.client(provider.metadata(false).await?)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let browser_secret = tokens::new_token();
    sso_login::ActiveModel {
        state_hash: Set(tokens::hash(state.secret())),
        browser_hash: Set(tokens::hash(&browser_secret)),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier: Set(verifier.secret().clone()),
        return_to: Set(return_to.chars().take(500).collect()),
        expires_at: Set(now + Duration::minutes(LOGIN_MINUTES)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Begun {
        url: url.to_string(),
        browser_secret,
    })
}

/// Takes the provider's answer: the started sign-in is used up whatever happens next.
pub async fn finish(
    db: &DatabaseConnection,
    provider: &Provider,
    state: &str,
    code: &str,
    browser_secret: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Finished, SsoError> {
    let Some(login) = sso_login::Entity::find()
        .filter(sso_login::Column::StateHash.eq(tokens::hash(state)))
        .one(db)
        .await?
    else {
        return Err(SsoError::Failed("unknown or used state".into()));
    };
    // Used once: of two answers with the same state, only the one that deletes the row goes on.
    let deleted = sso_login::Entity::delete_by_id(login.id).exec(db).await?;
    if deleted.rows_affected != 1 {
        return Err(SsoError::Failed("state used twice".into()));
    }
    if login.expires_at <= now {
        return Err(SsoError::Failed("the sign-in took too long".into()));
    }
    if browser_secret.map(tokens::hash).as_deref() != Some(login.browser_hash.as_str()) {
        return Err(SsoError::Failed("answer came to another browser".into()));
    }
    let claims = match verified_claims(provider, &login, code, false).await {
        Err(SsoError::Failed(e)) if e.starts_with("id token") => {
            // Perhaps the provider rotated its keys: the code is spent, so the person starts
            // again, but with fresh keys.
            provider.metadata(true).await?;
            return Err(SsoError::Failed(e));
        }
        other => other?,
    };
    let email = claims
        .email
        .as_deref()
        .map(crate::rules::signup::email_key)
        .unwrap_or_default();
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let facts = match &account {
        None => Account::None,
        Some(a) if a.disabled_at.is_some() => Account::Disabled,
        Some(a) => Account::Active {
            totp_enabled: a.totp_enabled,
            requires_second_factor: auth::grants(db, a.id).await?.requires_second_factor(),
        },
    };
    let next = sso::decide(&claims, facts, &provider.second_factor).map_err(SsoError::Refused)?;
    Ok(Finished {
        account_id: account.map(|a| a.id).unwrap_or_default(),
        next,
        return_to: login.return_to,
    })
}

/// Exchanges the code and verifies the ID token against the nonce on file.
async fn verified_claims(
    provider: &Provider,
    login: &sso_login::Model,
    code: &str,
    fresh: bool,
) -> Result<Claims, SsoError> {
    let client = provider.client(provider.metadata(fresh).await?)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| fail("token endpoint", e))?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
        .request_async(&provider.http)
        .await
        .map_err(|e| fail("code exchange", e))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| fail("id token", "none in the answer"))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(login.nonce.clone()))
        .map_err(|e| fail("id token", e))?;
    let mut found = Claims {
        email: claims.email().map(|e| e.as_str().to_string()),
        email_verified: claims.email_verified() == Some(true),
        amr: claims
            .auth_method_refs()
            .map(|v| v.iter().map(|m| m.as_str().to_string()).collect())
            .unwrap_or_default(),
        acr: claims.auth_context_ref().map(|a| a.as_str().to_string()),
    };
    if found.email.is_none() {
        // Many providers put the e-mail only in the userinfo answer (for the same subject).
        let info: openidconnect::core::CoreUserInfoClaims = client
            .user_info(
                response.access_token().clone(),
                Some(claims.subject().clone()),
            )
            .map_err(|e| fail("userinfo endpoint", e))?
            .request_async(&provider.http)
            .await
            .map_err(|e| fail("userinfo", e))?;
        found.email = info.email().map(|e| e.as_str().to_string());
        found.email_verified = info.email_verified() == Some(true);
    }
    Ok(found)
}

/// Deletes sign-ins that never came back.
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(sso_login::Entity::delete_many()
        .filter(sso_login::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}
