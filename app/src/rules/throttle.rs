//! Slowing down guessing at staff sign-in, without locking the owner out.
//!
//! Failures are counted in a window, per kind: wrong passwords per account *and address* (so
//! someone typing wrong passwords from one place does not stop the owner signing in from
//! another), with a higher cap per account from anywhere (a spread-out attack); wrong
//! second-factor codes per account from anywhere (whoever is at that step has the password).
//! A correct password does not wipe the count: only time does. Addresses are counted by
//! network: a whole IPv4 address, an IPv6 /64 (one household or office gets a whole /64).

use std::net::IpAddr;

/// Failures are counted over this many minutes.
pub const WINDOW_MINUTES: i64 = 15;
/// Wrong passwords for one account from one address.
pub const PAIR_LIMIT: u64 = 5;
/// Wrong passwords for one account from anywhere.
pub const ACCOUNT_CAP: u64 = 50;
/// Failures from one address, whatever the account (offices share addresses).
pub const ADDRESS_LIMIT: u64 = 20;
/// Wrong second-factor codes for one account.
pub const CODE_LIMIT: u64 = 5;

/// What was tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    Password,
    Code,
}

impl Attempt {
    pub fn as_str(self) -> &'static str {
        match self {
            Attempt::Password => "password",
            Attempt::Code => "code",
        }
    }
}

/// Failures in the window, counted before an attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    /// Wrong passwords for this account from this address.
    pub pair: u64,
    /// Wrong passwords for this account from anywhere.
    pub account: u64,
    /// Failures of any kind from this address.
    pub address: u64,
    /// Wrong codes for this account from anywhere.
    pub codes: u64,
}

/// Whether the attempt must wait.
pub fn paused(attempt: Attempt, f: Failures) -> bool {
    if f.address >= ADDRESS_LIMIT {
        return true;
    }
    match attempt {
        Attempt::Password => f.pair >= PAIR_LIMIT || f.account >= ACCOUNT_CAP,
        Attempt::Code => f.codes >= CODE_LIMIT,
    }
}

/// The network an address is counted by: the address itself for IPv4 (and IPv4 written as
/// IPv6), the first 64 bits for IPv6. Anything unparsable counts as itself.
pub fn network(address: &str) -> String {
    match address.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => address.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passwords_from_one_place_do_not_stop_another() {
        let here = Failures {
            pair: PAIR_LIMIT,
            account: PAIR_LIMIT,
            address: PAIR_LIMIT,
            codes: 0,
        };
        assert!(paused(Attempt::Password, here));
        // The owner elsewhere: nothing from their address, the account's total under the cap.
        let elsewhere = Failures {
            pair: 0,
            address: 0,
            ..here
        };
        assert!(!paused(Attempt::Password, elsewhere));
        // A spread-out attack reaches the cap.
        let spread = Failures {
            account: ACCOUNT_CAP,
            ..elsewhere
        };
        assert!(paused(Attempt::Password, spread));
    }

    #[test]
    fn wrong_codes_count_per_account_from_anywhere() {
        let f = Failures {
            codes: CODE_LIMIT - 1,
            ..Failures::default()
        };
        assert!(!paused(Attempt::Code, f));
        let f = Failures {
            codes: CODE_LIMIT,
            ..f
        };
        assert!(paused(Attempt::Code, f));
        // Wrong codes do not block passwords, and the other way round.
        assert!(!paused(Attempt::Password, f));
        let f = Failures {
            pair: PAIR_LIMIT,
            ..Failures::default()
        };
        assert!(!paused(Attempt::Code, f));
    }

    #[test]
    fn a_busy_address_waits_whatever_it_tries() {
        let f = Failures {
            address: ADDRESS_LIMIT,
            ..Failures::default()
        };
        assert!(paused(Attempt::Password, f));
        assert!(paused(Attempt::Code, f));
    }

    #[test]
    fn ipv6_counts_by_its_64_bit_network() {
        assert_eq!(network("203.0.113.9"), "203.0.113.9");
        assert_eq!(network("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(
            network("2001:db8:1:2:aaaa::1"),
            network("2001:db8:1:2:bbbb:cccc:dddd:eeee")
        );
        assert_eq!(network("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(network("2001:db8:1:2::1"), network("2001:db8:1:3::1"));
        assert_eq!(network(" unknown "), "unknown");
    }
}
