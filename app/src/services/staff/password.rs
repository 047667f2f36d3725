//! Passwords: argon2id hashes in PHC form (the rules a new password must meet are in
//! `rules::password`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    // argon2id with the OWASP minimum: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored hash. A malformed hash matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time a real check takes, so an unknown e-mail cannot be told from a wrong
/// password by the answer's speed.
pub fn waste_time(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("skolebaenk-dummy-password").unwrap_or_default());
    let _ = verify(password, phc);
}

/// [`verify`] on a blocking thread: argon2 takes tens of milliseconds of CPU, which must not
/// hold up the async threads serving everyone else.
pub async fn verify_off_thread(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_string(), phc.to_string());
    tokio::task::spawn_blocking(move || verify(&password, &phc))
        .await
        .unwrap_or(false)
}

/// [`hash`] on a blocking thread.
pub async fn hash_off_thread(password: &str) -> Result<String, argon2::password_hash::Error> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

/// Whether `given` is the account's password (checked off the async threads).
pub async fn account_password_is(account: &entity::staff_account::Model, given: &str) -> bool {
    match account.password_hash.as_deref() {
        Some(phc) => verify_off_thread(given, phc).await,
        None => false,
    }
}

/// [`waste_time`] on a blocking thread.
pub async fn waste_time_off_thread(password: &str) {
    let password = password.to_string();
    let _ = tokio::task::spawn_blocking(move || waste_time(&password)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash("lang nok adgangskode").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(verify("lang nok adgangskode", &phc));
        assert!(!verify("lang nok adgangskodE", &phc));
        assert!(!verify("lang nok adgangskode", "not a hash"));
        // Two hashes of one password differ by their salt.
        assert_ne!(phc, hash("lang nok adgangskode").expect("hash"));
    }
}
