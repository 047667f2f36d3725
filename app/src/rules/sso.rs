//! Staff single sign-on through the region's OpenID Connect provider: what a verified answer
//! from the provider lets the person do. No account is made by signing in, and roles stay in
//! Skolebænk: the provider only vouches for the e-mail address and, if it says so, for a
//! second factor.

/// What the provider's ID token says about the person (its signature, issuer, audience, expiry
/// and nonce already checked).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    pub email: Option<String>,
    pub email_verified: bool,
    /// `amr`: how the person authenticated at the provider.
    pub amr: Vec<String>,
    /// `acr`: the assurance level the provider gives the sign-in.
    pub acr: Option<String>,
}

/// The `amr` and `acr` values this installation accepts as a second factor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecondFactor {
    pub amr: Vec<String>,
    pub acr: Vec<String>,
}

impl SecondFactor {
    /// Whether the provider says it checked a second factor: only an `amr` or `acr` value on
    /// the configured list counts (a missing claim does not).
    pub fn checked_by_provider(&self, claims: &Claims) -> bool {
        claims.amr.iter().any(|m| self.amr.contains(m))
            || claims.acr.as_ref().is_some_and(|a| self.acr.contains(a))
    }
}

/// The staff account the verified e-mail belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account {
    None,
    Disabled,
    Active {
        totp_enabled: bool,
        /// One of the person's roles requires a second factor.
        requires_second_factor: bool,
    },
}

/// Where the sign-in goes from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Signed in.
    SignedIn,
    /// The provider checked no second factor, and the person has an authenticator app: its
    /// code comes next, as after a password.
    AuthenticatorCode,
    /// The provider checked no second factor, a role needs one, and no app is set up yet.
    SetUpAuthenticator,
}

/// Why the provider's answer signs nobody in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No e-mail, or one the provider has not verified.
    Unverified,
    /// No active staff account has this e-mail.
    Unknown,
}

/// Decides what a verified answer from the provider leads to.
pub fn decide(claims: &Claims, account: Account, second: &SecondFactor) -> Result<Next, Refusal> {
    if claims.email.as_deref().is_none_or(str::is_empty) || !claims.email_verified {
        return Err(Refusal::Unverified);
    }
    let Account::Active {
        totp_enabled,
        requires_second_factor,
    } = account
    else {
        return Err(Refusal::Unknown);
    };
    Ok(if second.checked_by_provider(claims) {
        Next::SignedIn
    } else if totp_enabled {
        Next::AuthenticatorCode
    } else if requires_second_factor {
        Next::SetUpAuthenticator
    } else {
        Next::SignedIn
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(amr: &[&str], acr: Option<&str>) -> Claims {
        Claims {
            email: Some("koordinator@example.dk".into()),
            email_verified: true,
            amr: amr.iter().map(|s| s.to_string()).collect(),
            acr: acr.map(str::to_string),
        }
    }

    fn policy() -> SecondFactor {
        SecondFactor {
            amr: vec!["mfa".into(), "otp".into()],
            acr: vec!["https://data.gov.dk/concept/core/nsis/Substantial".into()],
        }
    }

    const COORDINATOR: Account = Account::Active {
        totp_enabled: false,
        requires_second_factor: true,
    };

    #[test]
    fn the_providers_second_factor_counts_only_when_it_says_so() {
        assert_eq!(
            decide(&claims(&["pwd", "mfa"], None), COORDINATOR, &policy()),
            Ok(Next::SignedIn)
        );
        assert_eq!(
            decide(
                &claims(
                    &["pwd"],
                    Some("https://data.gov.dk/concept/core/nsis/Substantial")
                ),
                COORDINATOR,
                &policy()
            ),
            Ok(Next::SignedIn)
        );
        // A password alone at the provider leaves the second factor to Skolebænk.
        assert_eq!(
            decide(&claims(&["pwd"], None), COORDINATOR, &policy()),
            Ok(Next::SetUpAuthenticator)
        );
        assert_eq!(
            decide(
                &claims(&[], None),
                Account::Active {
                    totp_enabled: true,
                    requires_second_factor: false
                },
                &policy()
            ),
            Ok(Next::AuthenticatorCode)
        );
        // A teacher's role needs no second factor.
        assert_eq!(
            decide(
                &claims(&["pwd"], None),
                Account::Active {
                    totp_enabled: false,
                    requires_second_factor: false
                },
                &policy()
            ),
            Ok(Next::SignedIn)
        );
    }

    #[test]
    fn an_unverified_or_unknown_e_mail_signs_nobody_in() {
        let mut unverified = claims(&["mfa"], None);
        unverified.email_verified = false;
        assert_eq!(
            decide(&unverified, COORDINATOR, &policy()),
            Err(Refusal::Unverified)
        );
        let mut none = claims(&["mfa"], None);
        none.email = None;
        assert_eq!(
            decide(&none, COORDINATOR, &policy()),
            Err(Refusal::Unverified)
        );
        assert_eq!(
            decide(&claims(&["mfa"], None), Account::None, &policy()),
            Err(Refusal::Unknown)
        );
        assert_eq!(
            decide(&claims(&["mfa"], None), Account::Disabled, &policy()),
            Err(Refusal::Unknown)
        );
    }
}
