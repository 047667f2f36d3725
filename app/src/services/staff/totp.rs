//! Codes from an authenticator app (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the
//! `otpauth://` link the app reads, and its QR code as SVG.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP: i64 = 30;
const DIGITS: u32 = 6;
/// Codes one step either side of now are accepted, for clocks a little off.
const SKEW: i64 = 1;

/// A fresh secret: 20 random bytes in base32, as authenticator apps expect.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    BASE32_NOPAD.encode(&bytes)
}

/// The code for one time step.
pub fn code(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    bin % 10u32.pow(DIGITS)
}

/// Checks a typed code against the secret at `unix_time`. Returns the step it matched, which
/// must be later than `last_step` (the last accepted one), so each code works once.
pub fn verify(
    secret_b32: &str,
    typed: &str,
    unix_time: i64,
    last_step: Option<i64>,
) -> Option<i64> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = digits.parse().ok()?;
    let secret = BASE32_NOPAD.decode(secret_b32.as_bytes()).ok()?;
    let now = unix_time.div_euclid(STEP);
    (now - SKEW..=now + SKEW)
        .filter(|&step| last_step.is_none_or(|last| step > last))
        .find(|&step| code(&secret, step) == typed)
}

/// The link an authenticator app reads from the QR code.
pub fn otpauth_uri(secret_b32: &str, account: &str, issuer: &str) -> String {
    let label = urlencoding::encode(&format!("{issuer}:{account}")).into_owned();
    format!(
        "otpauth://totp/{label}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        urlencoding::encode(issuer)
    )
}

/// The QR code of `uri` as an SVG image, dark on light.
pub fn qr_svg(uri: &str) -> Option<String> {
    crate::services::qr::svg(uri, 200)
}

/// The secret grouped in fours, for typing into an app by hand.
pub fn grouped(secret_b32: &str) -> String {
    secret_b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, cut to 6 digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code(secret, time / STEP), expected, "time {time}");
        }
    }

    #[test]
    fn codes_work_once_and_only_near_now() {
        let b32 = BASE32_NOPAD.encode(b"12345678901234567890");
        let step = verify(&b32, "287 082", 59, None).expect("accepted");
        assert_eq!(step, 1);
        // The same code again is refused.
        assert_eq!(verify(&b32, "287082", 59, Some(step)), None);
        // One step late still works; three steps late does not.
        assert!(verify(&b32, "287082", 89, None).is_some());
        assert_eq!(verify(&b32, "287082", 150, None), None);
        assert_eq!(verify(&b32, "28708", 59, None), None);
        assert_eq!(verify(&b32, "abcdef", 59, None), None);
    }

    #[test]
    fn the_link_names_the_issuer_and_account() {
        let uri = otpauth_uri("ABC", "ane@skole.dk", "Skolebænk");
        assert!(uri.starts_with(
            "otpauth://totp/Skoleb%C3%A6nk%3Aane%40skole.dk?secret=ABC&issuer=Skoleb%C3%A6nk"
        ));
        assert!(qr_svg(&uri).is_some_and(|svg| svg.contains("<svg")));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
