//! Rate limits on sign-ups and link requests, per client address and per e-mail, so a robot
//! cannot fill a run or flood someone's inbox. Counts are kept in memory per server instance, in
//! fixed windows; with several instances behind a load balancer each enforces its own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    SignupPerIp,
    SignupPerEmail,
    LinkPerIp,
    LinkPerEmail,
}

/// How many attempts each key may make per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub signup_per_ip: u32,
    pub signup_per_email: u32,
    pub link_per_ip: u32,
    pub link_per_email: u32,
    pub window: Duration,
}

impl Default for Limits {
    /// Generous for a family signing up together from one home network, tight for a robot.
    fn default() -> Self {
        Limits {
            signup_per_ip: 30,
            signup_per_email: 10,
            link_per_ip: 20,
            link_per_email: 5,
            window: Duration::from_secs(3600),
        }
    }
}

impl Kind {
    /// What was throttled, as the metrics name it.
    fn what(self) -> &'static str {
        match self {
            Kind::SignupPerIp | Kind::SignupPerEmail => "signup",
            Kind::LinkPerIp | Kind::LinkPerEmail => "link",
        }
    }
}

impl Limits {
    fn max(&self, kind: Kind) -> u32 {
        match kind {
            Kind::SignupPerIp => self.signup_per_ip,
            Kind::SignupPerEmail => self.signup_per_email,
            Kind::LinkPerIp => self.link_per_ip,
            Kind::LinkPerEmail => self.link_per_email,
        }
    }
}

/// Counts attempts per key.
#[derive(Debug)]
pub struct RateLimiter {
    limits: Limits,
    windows: Mutex<HashMap<(Kind, String), (Instant, u32)>>,
}

/// Above this many keys, expired windows are swept out.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The length of a window in seconds: how long a refused caller may have to wait.
    pub fn window_secs(&self) -> u64 {
        self.limits.window.as_secs().max(1)
    }

    /// Records an attempt for `key` and says whether it is within the limit.
    pub fn allow(&self, kind: Kind, key: &str, now: Instant) -> bool {
        let window = self.limits.window;
        let max = self.limits.max(kind);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = windows.entry((kind, key.to_string())).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let allowed = entry.1 <= max;
        if !allowed {
            metrics::counter!("skolebaenk_throttled_total", "what" => kind.what()).increment(1);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_refuses_until_the_window_passes() {
        let limiter = RateLimiter::new(Limits {
            signup_per_email: 2,
            ..Limits::default()
        });
        let t0 = Instant::now();
        assert!(limiter.allow(Kind::SignupPerEmail, "a@example.dk", t0));
        assert!(limiter.allow(Kind::SignupPerEmail, "a@example.dk", t0));
        assert!(!limiter.allow(Kind::SignupPerEmail, "a@example.dk", t0));
        // Other keys and kinds are counted apart.
        assert!(limiter.allow(Kind::SignupPerEmail, "b@example.dk", t0));
        assert!(limiter.allow(Kind::LinkPerEmail, "a@example.dk", t0));
        let later = t0 + Duration::from_secs(3600);
        assert!(limiter.allow(Kind::SignupPerEmail, "a@example.dk", later));
    }
}
