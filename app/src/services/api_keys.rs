//! API keys: a school's koordinator creates one with a name and a scope, sees it once, and can
//! revoke it. Only the SHA-256 of a key is stored (a key is 32 random bytes, so a fast hash is
//! enough: there is nothing to guess), with its first characters so staff can tell keys apart.

use chrono::{DateTime, Duration, Utc};
use entity::api_key;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::services::tokens::hash;

/// Every key starts with this, so a leaked one is easy to recognise in code and logs.
pub const KEY_PREFIX: &str = "sbk_";
/// How many characters of a key staff see.
pub const SHOWN_CHARS: usize = 12;
/// Longest name of a key.
pub const MAX_NAME_CHARS: usize = 80;

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Read rosters, attendance, bookings and figures.
    Read,
    /// Also record attendance.
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }
}

/// A fresh key: the prefix and 32 random bytes in lower-case base32.
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let body = data_encoding::BASE32_NOPAD
        .encode(&bytes)
        .to_ascii_lowercase();
    format!("{KEY_PREFIX}{body}")
}

/// Creates a key and returns it with the whole key, which is never shown again.
pub async fn create(
    db: &impl ConnectionTrait,
    school_id: i32,
    name: &str,
    scope: Scope,
    valid_for: Option<Duration>,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(api_key::Model, String), DbErr> {
    let key = new_key();
    let model = api_key::ActiveModel {
        school_id: Set(school_id),
        name: Set(name.chars().take(MAX_NAME_CHARS).collect()),
        prefix: Set(key.chars().take(SHOWN_CHARS).collect()),
        key_hash: Set(hash(&key)),
        scope: Set(scope.as_str().into()),
        created_by: Set(Some(by)),
        created_at: Set(now),
        expires_at: Set(valid_for.map(|d| now + d)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((model, key))
}

/// Revokes a key of `school_id`. Returns the key when it was live.
pub async fn revoke(
    db: &impl ConnectionTrait,
    school_id: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Option<api_key::Model>, DbErr> {
    let Some(found) = api_key::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|k| k.school_id == school_id && k.revoked_at.is_none())
    else {
        return Ok(None);
    };
    let mut change: api_key::ActiveModel = found.into();
    change.revoked_at = Set(Some(now));
    Ok(Some(change.update(db).await?))
}

/// The keys of the given schools, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    schools: &[i32],
) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::SchoolId.is_in(schools.iter().copied()))
        .order_by_desc(api_key::Column::Id)
        .all(db)
        .await
}

/// A caller that showed a live key.
#[derive(Clone, Debug)]
pub struct Client {
    pub key_id: i32,
    pub school_id: i32,
    pub scope: Scope,
}

impl Client {
    /// Whether the key may record (not only read).
    pub fn may_write(&self) -> bool {
        self.scope == Scope::Write
    }

    /// Whether the key is the school's own.
    pub fn owns(&self, school_id: i32) -> bool {
        self.school_id == school_id
    }
}

/// The client behind a key as shown (`Authorization: Bearer …`), or `None`: missing, unknown,
/// revoked and expired keys are all the same `None`, so a caller learns nothing about other
/// keys.
pub async fn authenticate(
    db: &sea_orm::DatabaseConnection,
    key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<Client>, DbErr> {
    let Some(key) = key.filter(|k| k.starts_with(KEY_PREFIX) && k.len() < 100) else {
        return Ok(None);
    };
    let Some(found) = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash(key)))
        .one(db)
        .await?
        .filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|at| at > now))
    else {
        return Ok(None);
    };
    // The last use is kept to the minute, so busy keys do not write on every request; a
    // failure to note it does not refuse the request.
    if found
        .last_used_at
        .is_none_or(|at| now - at > Duration::minutes(1))
    {
        let noted = crate::services::transaction::write::<_, DbErr, _, _>(db, |txn| async move {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(found.id))
                .exec(&txn)
                .await?;
            Ok(())
        })
        .await;
        if let Err(e) = noted {
            tracing::warn!(error = %e, key = found.id, "api: could not note a key's last use");
        }
    }
    Ok(Some(Client {
        key_id: found.id,
        school_id: found.school_id,
        scope: Scope::parse(&found.scope).unwrap_or(Scope::Read),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_recognisable() {
        let a = new_key();
        let b = new_key();
        assert_ne!(a, b);
        assert!(a.starts_with(KEY_PREFIX));
        assert_eq!(a.len(), KEY_PREFIX.len() + 52);
        assert!(
            a[KEY_PREFIX.len()..]
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }

    #[test]
    fn scopes_round_trip() {
        for s in [Scope::Read, Scope::Write] {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
        assert_eq!(Scope::parse("admin"), None);
    }
}
