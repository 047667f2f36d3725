//! Typed configuration, read once from environment variables. The defaults run the demo on a
//! SQLite file under `data/`, so `make run` needs no settings at all.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::booking::limit::Limits;

/// Everything the server can be told from outside.
#[derive(Debug, Clone)]
pub struct Config {
    /// `SKOLEBAENK_DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `SKOLEBAENK_ADDR` (or cargo-leptos' `LEPTOS_SITE_ADDR`): where to listen.
    pub addr: SocketAddr,
    /// `SKOLEBAENK_SITE_ROOT` (or `LEPTOS_SITE_ROOT`): the built site with `pkg/`.
    pub site_root: PathBuf,
    /// `SKOLEBAENK_DEMO_DATA`: load demo data into an empty database at start (`true`/`false`).
    pub demo_data: bool,
    /// `SKOLEBAENK_MAX_DB_CONNECTIONS`: database pool size.
    pub max_db_connections: u32,
    /// `SKOLEBAENK_PUBLIC_URL`: the address people reach the site at, for links in e-mails and
    /// from the command line. Defaults to `http://` and the listening address.
    pub public_url: String,
    /// `SKOLEBAENK_BEHIND_PROXY`: trust `X-Forwarded-For` for the client's address.
    pub behind_proxy: bool,
    /// `SKOLEBAENK_RATE_LIMITS`: sign-ups per address, sign-ups per e-mail, link requests per
    /// address, link requests per e-mail, each per hour, as four numbers separated by commas.
    pub rate_limits: Limits,
}

/// A configuration value that could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("{name}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: &'static str,
}

/// Default database: a SQLite file in `data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/skolebaenk.db?mode=rwc";

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| lookup(n))
                .filter(|v| !v.is_empty())
        };
        let addr_text = get(&["SKOLEBAENK_ADDR", "LEPTOS_SITE_ADDR"])
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| ConfigError {
            name: "SKOLEBAENK_ADDR",
            value: addr_text.clone(),
            reason: "expected host:port, for example 127.0.0.1:3000",
        })?;
        let flag = |name: &'static str, default: bool| match get(&[name]) {
            None => Ok(default),
            Some(text) => match text.as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(ConfigError {
                    name,
                    value: text,
                    reason: "expected true or false",
                }),
            },
        };
        let demo_data = flag("SKOLEBAENK_DEMO_DATA", true)?;
        let behind_proxy = flag("SKOLEBAENK_BEHIND_PROXY", false)?;
        let rate_limits = match get(&["SKOLEBAENK_RATE_LIMITS"]) {
            None => Limits::default(),
            Some(text) => parse_limits(&text).ok_or(ConfigError {
                name: "SKOLEBAENK_RATE_LIMITS",
                value: text,
                reason: "expected four positive whole numbers separated by commas, for example 30,10,20,5",
            })?,
        };
        let pool_text = get(&["SKOLEBAENK_MAX_DB_CONNECTIONS"]).unwrap_or_else(|| "10".into());
        let max_db_connections = pool_text
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(ConfigError {
                name: "SKOLEBAENK_MAX_DB_CONNECTIONS",
                value: pool_text,
                reason: "expected a positive whole number",
            })?;
        Ok(Config {
            database_url: get(&["SKOLEBAENK_DATABASE_URL"])
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            addr,
            site_root: get(&["SKOLEBAENK_SITE_ROOT", "LEPTOS_SITE_ROOT"])
                .unwrap_or_else(|| "target/site".into())
                .into(),
            demo_data,
            max_db_connections,
            public_url: get(&["SKOLEBAENK_PUBLIC_URL"])
                .map(|u| u.trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("http://{addr}")),
            behind_proxy,
            rate_limits,
        })
    }
}

fn parse_limits(text: &str) -> Option<Limits> {
    let numbers: Vec<u32> = text
        .split(',')
        .map(|n| n.trim().parse().ok().filter(|n| *n > 0))
        .collect::<Option<_>>()?;
    let [signup_per_ip, signup_per_email, link_per_ip, link_per_email] = numbers[..] else {
        return None;
    };
    Some(Limits {
        signup_per_ip,
        signup_per_email,
        link_per_ip,
        link_per_email,
        ..Limits::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_the_demo_on_sqlite() {
        let c = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(c.demo_data);
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::from_lookup(|n| (n == "SKOLEBAENK_ADDR").then(|| "nowhere".to_string()))
            .expect_err("bad address");
        assert!(err.to_string().contains("SKOLEBAENK_ADDR"));
        let err =
            Config::from_lookup(|n| (n == "SKOLEBAENK_DEMO_DATA").then(|| "maybe".to_string()))
                .expect_err("bad flag");
        assert!(err.to_string().contains("true or false"));
        let err =
            Config::from_lookup(|n| (n == "SKOLEBAENK_RATE_LIMITS").then(|| "1,2".to_string()))
                .expect_err("bad limits");
        assert!(err.to_string().contains("four positive"));
    }

    #[test]
    fn rate_limits_are_read_in_order() {
        let c = Config::from_lookup(|n| {
            (n == "SKOLEBAENK_RATE_LIMITS").then(|| "100, 9, 8, 7".to_string())
        })
        .expect("valid");
        assert_eq!(c.rate_limits.signup_per_ip, 100);
        assert_eq!(c.rate_limits.link_per_email, 7);
    }
}
