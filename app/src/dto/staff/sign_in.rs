//! Signing in, the authenticator app and single-use links.

use serde::{Deserialize, Serialize};

/// What the sign-in page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInPageDto {
    pub email: String,
    /// The region's login is offered beside the local form.
    pub sso: bool,
}

/// What the authenticator set-up page shows. The secret is made for this page and saved only
/// when a code made from it is typed back, so opening the page changes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpSetupDto {
    pub secret: String,
    pub secret_grouped: String,
    pub qr_svg: String,
    pub email: String,
    /// The person's role requires the app (they cannot continue without it).
    pub required: bool,
    pub already_enabled: bool,
}

/// The single-use link pages: who the link is for, if it still works.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkPageDto {
    Invalid,
    Valid { name: String, email: String },
}

crate::refusals! {
    /// Why e-mail and password did not sign the person in.
    pub enum SignInRefusal {
        Wrong => "forkert", "staff.sign_in.wrong";
        Throttled => "pause", "staff.sign_in.throttled";
        Missing => "mangler", "staff.sign_in.missing";
        Expired => "udloebet", "staff.sign_in.expired";
        SsoUnknown => "sso-ukendt", "staff.sign_in.sso_unknown";
        SsoFailed => "sso-fejl", "staff.sign_in.sso_failed";
    }
}

crate::refusals! {
    /// Why the authenticator code did not sign the person in.
    pub enum CodeRefusal {
        Wrong => "forkert", "staff.code.wrong";
        Throttled => "pause", "staff.sign_in.throttled";
    }
}

crate::refusals! {
    /// Why the authenticator app was not set up.
    pub enum TotpRefusal {
        Wrong => "forkert", "staff.totp.wrong";
        WrongPassword => "adgangskode", "staff.account.wrong_password";
    }
}

/// Carries new recovery codes to the page that shows them once.
pub const RECOVERY_COOKIE: &str = "sb_personale_koder";
