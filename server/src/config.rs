//! Typed configuration, read once from environment variables. The defaults run the demo on a
//! SQLite file under `data/`, so `make run` needs no settings at all.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::services::outbox::Backoff;
use app::services::rate_limit::Limits;

/// Everything the server can be told from outside.
#[derive(Debug, Clone)]
pub struct Config {
    /// `SKOLEBAENK_DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `SKOLEBAENK_ADDR` (or cargo-leptos' `LEPTOS_SITE_ADDR`): where to listen.
    pub addr: SocketAddr,
    /// `SKOLEBAENK_SITE_ROOT` (or `LEPTOS_SITE_ROOT`): the built site with `pkg/`.
    pub site_root: PathBuf,
    /// `SKOLEBAENK_DEMO_DATA`: load demo data into an empty database at start (`true`/`false`,
    /// default `false`: the demo's staff passwords are public, so it must be asked for; `make
    /// run` asks for it).
    pub demo_data: bool,
    /// `SKOLEBAENK_MAX_DB_CONNECTIONS`: database pool size.
    pub max_db_connections: u32,
    /// `SKOLEBAENK_PUBLIC_URL`: the address people reach the site at, for links in e-mails and
    /// from the command line. Defaults to `http://` and the listening address.
    pub public_url: String,
    /// `SKOLEBAENK_PROXY_HOPS`: how many reverse proxies in front of the server add to
    /// `X-Forwarded-For` (0: none, the connection's address is the client's). The older
    /// `SKOLEBAENK_BEHIND_PROXY=true` means one.
    pub proxy_hops: u8,
    /// `SKOLEBAENK_RATE_LIMITS`: sign-ups per address, sign-ups per e-mail, link requests per
    /// address, link requests per e-mail, each per hour, as four numbers separated by commas.
    pub rate_limits: Limits,
    /// How e-mail is sent; see [`MailConfig`].
    pub mail: MailConfig,
    /// `SKOLEBAENK_JOBS_INTERVAL_SECS`: how often the background jobs (offers running out,
    /// reminders, evaluation invitations, clean-up) run. Default 60.
    pub jobs_interval: std::time::Duration,
    /// Staff sessions: `SKOLEBAENK_STAFF_IDLE_MINUTES` (default 60) without a request ends a
    /// session, `SKOLEBAENK_STAFF_SESSION_HOURS` (default 12) after sign-in at the latest.
    /// Cookies are `Secure` with the `__Host-` prefix when the public address is https, or
    /// when `SKOLEBAENK_SECURE_COOKIES=true`.
    pub staff_sessions: app::services::staff::auth::SessionSettings,
    /// Webhook deliveries; see [`WebhookConfig`].
    pub webhooks: WebhookConfig,
}

/// Delivering webhooks.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `SKOLEBAENK_WEBHOOK_RETRY`: pauses in seconds after each failed attempt, the last one
    /// repeating (default `10,60,300,1800,3600`); a delivery is given up after 24 hours.
    pub backoff: Backoff,
    /// `SKOLEBAENK_WEBHOOK_DISABLE_AFTER`: failed attempts in a row after which a webhook is
    /// switched off and its school's koordinatorer are told (default 15, about a day).
    pub disable_after: u32,
    /// `SKOLEBAENK_WEBHOOK_TIMEOUT_SECS`: how long a receiver may take to answer (default 10).
    pub timeout: std::time::Duration,
    /// `SKOLEBAENK_WEBHOOK_ALLOW_PRIVATE`: let webhooks go to loopback and private addresses
    /// (default false; for a receiver under development on this machine).
    pub allow_private: bool,
}

/// Where e-mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailBackend {
    /// `SKOLEBAENK_MAIL_BACKEND=file` (the default): each message becomes an `.eml` file in
    /// `SKOLEBAENK_MAIL_DIR` (default `data/mail`), and `/udbakke` lists them on this machine.
    File { dir: PathBuf },
    /// `SKOLEBAENK_MAIL_BACKEND=smtp`: sent through an SMTP server.
    Smtp(SmtpConfig),
}

/// `SKOLEBAENK_SMTP_*`: the SMTP server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `SKOLEBAENK_SMTP_HOST`.
    pub host: String,
    /// `SKOLEBAENK_SMTP_PORT`: default 587 for `starttls`, 465 for `tls`, 25 for `none`.
    pub port: u16,
    /// `SKOLEBAENK_SMTP_TLS`: `starttls` (default), `tls` or `none` (only for a server on the
    /// same machine or in tests).
    pub tls: SmtpTls,
    /// `SKOLEBAENK_SMTP_USER` and `SKOLEBAENK_SMTP_PASSWORD`, when the server wants them.
    pub credentials: Option<(String, String)>,
    /// `SKOLEBAENK_SMTP_TIMEOUT_SECS`: per SMTP command; default 30.
    pub timeout: std::time::Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    StartTls,
    Tls,
    None,
}

/// Sending e-mail.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub backend: MailBackend,
    /// `SKOLEBAENK_MAIL_FROM`: the sender address; the sender's name is the school's.
    pub from: String,
    /// `SKOLEBAENK_MAIL_RETRY`: pauses in seconds after each failed attempt, the last one
    /// repeating (default `10,30,60,300,900,3600`), and `SKOLEBAENK_MAIL_GIVE_UP_HOURS`
    /// (default 24).
    pub backoff: Backoff,
    /// `SKOLEBAENK_MAIL_LEASE_SECS`: how long a worker may take over one message before another
    /// worker takes it over (default 300).
    pub lease: std::time::Duration,
    /// `SKOLEBAENK_MAIL_POLL_MS`: how often the worker looks for due messages (default 500).
    pub poll: std::time::Duration,
    /// `SKOLEBAENK_MAIL_RETENTION_DAYS`: sent messages are deleted after this many days
    /// (default 30); failed ones after three times as long.
    pub retention_days: i64,
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
        let demo_data = flag("SKOLEBAENK_DEMO_DATA", false)?;
        let behind_proxy = flag("SKOLEBAENK_BEHIND_PROXY", false)?;
        let proxy_hops = match get(&["SKOLEBAENK_PROXY_HOPS"]) {
            None => u8::from(behind_proxy),
            Some(text) => {
                text.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n <= 10)
                    .ok_or(ConfigError {
                        name: "SKOLEBAENK_PROXY_HOPS",
                        value: text,
                        reason: "expected a whole number from 0 to 10",
                    })?
            }
        };
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
        let number = |name: &'static str, default: u64, reason: &'static str| match get(&[name]) {
            None => Ok(default),
            Some(text) => text
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError {
                    name,
                    value: text,
                    reason,
                }),
        };
        let positive = "expected a positive whole number";
        let backend = match get(&["SKOLEBAENK_MAIL_BACKEND"]).as_deref() {
            None | Some("file") => MailBackend::File {
                dir: get(&["SKOLEBAENK_MAIL_DIR"])
                    .unwrap_or_else(|| "data/mail".into())
                    .into(),
            },
            Some("smtp") => {
                let tls = match get(&["SKOLEBAENK_SMTP_TLS"]).as_deref() {
                    None | Some("starttls") => SmtpTls::StartTls,
                    Some("tls") => SmtpTls::Tls,
                    Some("none") => SmtpTls::None,
                    Some(other) => {
                        return Err(ConfigError {
                            name: "SKOLEBAENK_SMTP_TLS",
                            value: other.into(),
                            reason: "expected starttls, tls or none",
                        });
                    }
                };
                let default_port = match tls {
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                    SmtpTls::None => 25,
                };
                let port = number(
                    "SKOLEBAENK_SMTP_PORT",
                    default_port,
                    "expected a port number",
                )?;
                MailBackend::Smtp(SmtpConfig {
                    host: get(&["SKOLEBAENK_SMTP_HOST"]).ok_or(ConfigError {
                        name: "SKOLEBAENK_SMTP_HOST",
                        value: String::new(),
                        reason: "must be set when SKOLEBAENK_MAIL_BACKEND=smtp",
                    })?,
                    port: u16::try_from(port).map_err(|_| ConfigError {
                        name: "SKOLEBAENK_SMTP_PORT",
                        value: port.to_string(),
                        reason: "expected a port number",
                    })?,
                    tls,
                    credentials: get(&["SKOLEBAENK_SMTP_USER"])
                        .map(|u| (u, get(&["SKOLEBAENK_SMTP_PASSWORD"]).unwrap_or_default())),
                    timeout: std::time::Duration::from_secs(number(
                        "SKOLEBAENK_SMTP_TIMEOUT_SECS",
                        30,
                        positive,
                    )?),
                })
            }
            Some(other) => {
                return Err(ConfigError {
                    name: "SKOLEBAENK_MAIL_BACKEND",
                    value: other.into(),
                    reason: "expected file or smtp",
                });
            }
        };
        let pauses = |name: &'static str, default: &[i64]| match get(&[name]) {
            None => Ok(default
                .iter()
                .copied()
                .map(chrono::Duration::seconds)
                .collect()),
            Some(text) => Ok(text
                .split(',')
                .map(|n| n.trim().parse::<i64>().ok().filter(|n| *n > 0))
                .collect::<Option<Vec<_>>>()
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError {
                    name,
                    value: text,
                    reason: "expected seconds separated by commas, for example 10,30,60",
                })?
                .into_iter()
                .map(chrono::Duration::seconds)
                .collect::<Vec<_>>()),
        };
        let steps = pauses("SKOLEBAENK_MAIL_RETRY", &[10, 30, 60, 300, 900, 3600])?;
        let webhooks = WebhookConfig {
            backoff: Backoff {
                steps: pauses("SKOLEBAENK_WEBHOOK_RETRY", &[10, 60, 300, 1800, 3600])?,
                give_up_after: chrono::Duration::hours(24),
            },
            disable_after: u32::try_from(number("SKOLEBAENK_WEBHOOK_DISABLE_AFTER", 15, positive)?)
                .unwrap_or(15),
            timeout: std::time::Duration::from_secs(number(
                "SKOLEBAENK_WEBHOOK_TIMEOUT_SECS",
                10,
                positive,
            )?),
            allow_private: flag("SKOLEBAENK_WEBHOOK_ALLOW_PRIVATE", false)?,
        };
        let give_up = number("SKOLEBAENK_MAIL_GIVE_UP_HOURS", 24, positive)?;
        let mail = MailConfig {
            backend,
            from: get(&["SKOLEBAENK_MAIL_FROM"]).unwrap_or_else(|| "skolebaenk@localhost".into()),
            backoff: Backoff {
                steps,
                give_up_after: chrono::Duration::hours(i64::try_from(give_up).unwrap_or(24)),
            },
            lease: std::time::Duration::from_secs(number(
                "SKOLEBAENK_MAIL_LEASE_SECS",
                300,
                positive,
            )?),
            poll: std::time::Duration::from_millis(number(
                "SKOLEBAENK_MAIL_POLL_MS",
                500,
                positive,
            )?),
            retention_days: i64::try_from(number("SKOLEBAENK_MAIL_RETENTION_DAYS", 30, positive)?)
                .unwrap_or(30),
        };
        let jobs_interval =
            std::time::Duration::from_secs(number("SKOLEBAENK_JOBS_INTERVAL_SECS", 60, positive)?);
        let public_url = get(&["SKOLEBAENK_PUBLIC_URL"])
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
        let staff_sessions = app::services::staff::auth::SessionSettings {
            idle: chrono::Duration::minutes(
                i64::try_from(number("SKOLEBAENK_STAFF_IDLE_MINUTES", 60, positive)?).unwrap_or(60),
            ),
            lifetime: chrono::Duration::hours(
                i64::try_from(number("SKOLEBAENK_STAFF_SESSION_HOURS", 12, positive)?)
                    .unwrap_or(12),
            ),
            secure: flag(
                "SKOLEBAENK_SECURE_COOKIES",
                public_url.starts_with("https://"),
            )?,
        };
        Ok(Config {
            database_url: get(&["SKOLEBAENK_DATABASE_URL"])
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            addr,
            site_root: get(&["SKOLEBAENK_SITE_ROOT", "LEPTOS_SITE_ROOT"])
                .unwrap_or_else(|| "target/site".into())
                .into(),
            demo_data,
            max_db_connections,
            public_url,
            proxy_hops,
            rate_limits,
            mail,
            jobs_interval,
            staff_sessions,
            webhooks,
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
    fn defaults_serve_sqlite_without_the_demo() {
        let c = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(
            !c.demo_data,
            "the demo's passwords are public: it must be asked for"
        );
        let asked = Config::from_lookup(|n| (n == "SKOLEBAENK_DEMO_DATA").then(|| "true".into()))
            .expect("valid");
        assert!(asked.demo_data);
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
    fn mail_defaults_to_files_and_smtp_is_checked() {
        let c = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(
            c.mail.backend,
            MailBackend::File {
                dir: "data/mail".into()
            }
        );
        let err = Config::from_lookup(|n| (n == "SKOLEBAENK_MAIL_BACKEND").then(|| "smtp".into()))
            .expect_err("smtp needs a host");
        assert!(err.to_string().contains("SKOLEBAENK_SMTP_HOST"));
        let c = Config::from_lookup(|n| match n {
            "SKOLEBAENK_MAIL_BACKEND" => Some("smtp".into()),
            "SKOLEBAENK_SMTP_HOST" => Some("mail.example.org".into()),
            "SKOLEBAENK_SMTP_TLS" => Some("tls".into()),
            "SKOLEBAENK_MAIL_RETRY" => Some("1, 2".into()),
            _ => None,
        })
        .expect("valid");
        let MailBackend::Smtp(smtp) = c.mail.backend else {
            panic!("smtp expected")
        };
        assert_eq!(smtp.port, 465);
        assert_eq!(c.mail.backoff.steps.len(), 2);
        let err = Config::from_lookup(|n| (n == "SKOLEBAENK_MAIL_RETRY").then(|| "soon".into()))
            .expect_err("bad retry");
        assert!(err.to_string().contains("SKOLEBAENK_MAIL_RETRY"));
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
