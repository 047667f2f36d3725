//! Signing in, the authenticator app and single-use links.

use serde::{Deserialize, Serialize};

/// What the sign-in page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInPageDto {
    pub email: String,
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
