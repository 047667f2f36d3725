//! The account page.

use crate::dto::staff::MeDto;
use serde::{Deserialize, Serialize};

/// The account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountDto {
    pub me: MeDto,
    pub recovery_codes_left: u64,
    /// The role requires the authenticator app, so it cannot be turned off.
    pub totp_required: bool,
}

crate::refusals! {
    /// Why a change to the account was refused (a new password's own refusals are
    /// `rules::password::PasswordRefusal`).
    pub enum AccountRefusal {
        WrongPassword => "adgangskode", "staff.account.wrong_password";
        TotpRequired => "kraevet", "staff.account.totp_required";
    }
}
