//! The few rules a new staff password must meet: long enough (length matters more than mixing
//! character classes), not absurdly long (hashing stays quick), typed the same twice, and not
//! the person's own e-mail or the product's name.

/// Shortest password accepted.
pub const MIN_LEN: usize = 12;
/// Longest password accepted.
pub const MAX_LEN: usize = 200;

crate::refusals! {
    /// Why a new password was not taken.
    pub enum PasswordRefusal {
        TooShort => "too_short", "staff.password.too_short";
        TooLong => "too_long", "staff.password.too_long";
        Mismatch => "mismatch", "staff.password.mismatch";
        TooGuessable => "too_guessable", "staff.password.too_guessable";
    }
}

/// Checks a new password.
pub fn check_new(password: &str, repeated: &str, email: &str) -> Result<(), PasswordRefusal> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(PasswordRefusal::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PasswordRefusal::TooLong);
    }
    if password != repeated {
        return Err(PasswordRefusal::Mismatch);
    }
    let lower = password.to_lowercase();
    if lower == email.trim().to_lowercase()
        || lower.contains("skolebaenk")
        || lower.contains("skolebænk")
    {
        return Err(PasswordRefusal::TooGuessable);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_checked() {
        assert_eq!(
            check_new("kort", "kort", "a@b.dk"),
            Err(PasswordRefusal::TooShort)
        );
        assert_eq!(
            check_new("en god lang sætning", "en god lang saetning", "a@b.dk"),
            Err(PasswordRefusal::Mismatch)
        );
        assert_eq!(
            check_new("ane@skole.dk", "ane@skole.dk", " Ane@Skole.dk"),
            Err(PasswordRefusal::TooGuessable)
        );
        assert_eq!(
            check_new("en god lang sætning", "en god lang sætning", "a@b.dk"),
            Ok(())
        );
    }
}
