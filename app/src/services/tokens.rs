//! Random tokens for links and receipts. A token is 32 random bytes in URL-safe base64; only its
//! SHA-256 is stored, so a copy of the database opens nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::access_token;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::rules::retention::{
    EVALUATION_LINK_DAYS, FEED_LINK_DAYS, MANAGE_LINK_DAYS, REPLY_LINK_DAYS,
};

/// A fresh random token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// True if `s` has the shape of a token (43 URL-safe characters); anything else is refused
/// before it reaches the database.
pub fn looks_like_token(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// SHA-256 of a token, as lower-case hex.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a link token opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// "Mine tilmeldinger" for an e-mail key.
    Manage,
    /// The reminder's "Kommer du?" answers for one booking.
    Reply,
    /// The evaluation of one booking's run; spent when used.
    Evaluation,
    /// The person's private calendar feed.
    Feed,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Manage => "manage",
            Purpose::Reply => "reply",
            Purpose::Evaluation => "evaluation",
            Purpose::Feed => "feed",
        }
    }

    /// How long a token of this kind works.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Manage => Duration::days(MANAGE_LINK_DAYS),
            Purpose::Reply => Duration::days(REPLY_LINK_DAYS),
            Purpose::Evaluation => Duration::days(EVALUATION_LINK_DAYS),
            Purpose::Feed => Duration::days(FEED_LINK_DAYS),
        }
    }
}

/// Creates a token of `purpose` for an e-mail key (and a booking, for the kinds bound to one)
/// and returns the token; only its hash is stored.
pub async fn issue(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    email_key: &str,
    booking_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = new_token();
    access_token::ActiveModel {
        purpose: Set(purpose.as_str().into()),
        email_key: Set(email_key.into()),
        token_hash: Set(hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        booking_id: Set(booking_id),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The stored row of a token of `purpose`, if it is known, unexpired and unspent.
pub async fn resolve(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<access_token::Model>, DbErr> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    access_token::Entity::find()
        .filter(access_token::Column::TokenHash.eq(hash(token)))
        .filter(access_token::Column::Purpose.eq(purpose.as_str()))
        .filter(access_token::Column::ExpiresAt.gt(now))
        .filter(access_token::Column::UsedAt.is_null())
        .one(db)
        .await
}

/// Spends a single-use token and makes it forget whose it was: the booking and the e-mail key
/// go, and the moment of spending is recorded as the moment of issuing, so the row says only
/// "this link is used". `false` if it was spent already (a second submit).
pub async fn spend(db: &impl ConnectionTrait, token_id: i32) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    Ok(access_token::Entity::update_many()
        .col_expr(
            access_token::Column::UsedAt,
            Expr::col(access_token::Column::CreatedAt),
        )
        .col_expr(access_token::Column::BookingId, Expr::value(None::<i32>))
        .col_expr(access_token::Column::EmailKey, Expr::value(""))
        .filter(access_token::Column::Id.eq(token_id))
        .filter(access_token::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Creates a "Mine tilmeldinger" link token for an e-mail key and returns the token.
pub async fn issue_manage_token(
    db: &impl ConnectionTrait,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    issue(db, Purpose::Manage, email_key, None, now).await
}

/// The e-mail key a "Mine tilmeldinger" token opens, if it is known and has not expired.
pub async fn resolve_manage_token(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    Ok(resolve(db, Purpose::Manage, token, now)
        .await?
        .map(|t| t.email_key))
}

/// Removes expired link tokens.
pub async fn delete_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(access_token::Entity::delete_many()
        .filter(access_token::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_well_formed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(looks_like_token(&a));
        assert!(!looks_like_token("../../etc/passwd"));
        assert!(!looks_like_token(&format!("{a}x")));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
