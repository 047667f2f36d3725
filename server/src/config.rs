//! Typed configuration, read once from environment variables. [`SETTINGS`] names every one with
//! its default and meaning; the parser, `server --help` and the README's table are made from it.
//! The defaults run on a SQLite file under `data/`.

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
    /// `SKOLEBAENK_PAGE_CACHE_SECS`: the longest a public page is kept as rendered (zero: not
    /// kept).
    pub page_cache: std::time::Duration,
    /// Staff sessions: `SKOLEBAENK_STAFF_IDLE_MINUTES` (default 60) without a request ends a
    /// session, `SKOLEBAENK_STAFF_SESSION_HOURS` (default 12) after sign-in at the latest.
    /// Cookies are `Secure` with the `__Host-` prefix when the public address is https, or
    /// when `SKOLEBAENK_SECURE_COOKIES=true`.
    pub staff_sessions: app::services::staff::auth::SessionSettings,
    /// Webhook deliveries; see [`WebhookConfig`].
    pub webhooks: WebhookConfig,
    /// `SKOLEBAENK_DRAIN_SECS`: how long to go on serving after SIGTERM with readiness failing.
    pub drain: std::time::Duration,
    /// `SKOLEBAENK_MIGRATE`: whether `serve` may change the schema.
    pub migrate: Migrate,
    /// `SKOLEBAENK_LOG`: the log filter.
    pub log_filter: String,
    /// `SKOLEBAENK_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `SKOLEBAENK_METRICS_ADDR`: where `/metrics` is served apart from the site, if anywhere.
    pub metrics_addr: Option<SocketAddr>,
    /// Staff single sign-on, when an issuer is set.
    pub oidc: Option<OidcConfig>,
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

/// When the schema may be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrate {
    /// `SKOLEBAENK_MIGRATE=never` (the default): only `server migrate` changes the schema; `serve`
    /// refuses to start on an outdated one, so the everyday database user needs no DDL rights.
    Never,
    /// `SKOLEBAENK_MIGRATE=auto` (`make run`): `serve` brings the schema up to date first.
    Auto,
}

/// Single sign-on for staff through the region's OpenID Connect provider.
#[derive(Clone)]
pub struct OidcConfig {
    /// `SKOLEBAENK_OIDC_ISSUER`: the provider's issuer URL (its discovery document is read from
    /// `/.well-known/openid-configuration` below it).
    pub issuer: String,
    /// `SKOLEBAENK_OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `SKOLEBAENK_OIDC_CLIENT_SECRET` (or `…_FILE`).
    pub client_secret: String,
    /// `SKOLEBAENK_OIDC_MFA_AMR`: `amr` values that mean the provider checked a second factor.
    pub mfa_amr: Vec<String>,
    /// `SKOLEBAENK_OIDC_MFA_ACR`: `acr` values that mean the same (for example an NSIS level).
    pub mfa_acr: Vec<String>,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("mfa_amr", &self.mfa_amr)
            .field("mfa_acr", &self.mfa_acr)
            .finish_non_exhaustive()
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text, with colours only on a terminal (and never with `NO_COLOR`).
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// A configuration value that could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("{name}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    name: String,
    value: String,
    reason: String,
}

impl ConfigError {
    fn new(name: &str, value: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            name: name.to_string(),
            value: value.into(),
            reason: reason.into(),
        }
    }
}

/// Default database: a SQLite file in `data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/skolebaenk.db?mode=rwc";

/// One setting: its environment variable, default and meaning. [`SETTINGS`] is the one list
/// that the parser, `server --help` and the README's table are made from.
#[derive(Debug)]
pub struct Setting {
    pub env: &'static str,
    /// Older or tool-given names read when `env` is not set.
    pub also: &'static [&'static str],
    /// The value used when unset, or `""` for none; see `default_note` for computed defaults.
    pub default: &'static str,
    /// Said instead of `default` where the default is worked out from other settings.
    pub default_note: &'static str,
    /// A secret: it may be given as a file (`…_FILE`), and is never printed.
    pub secret: bool,
    pub help: &'static str,
}

const fn setting(env: &'static str, default: &'static str, help: &'static str) -> Setting {
    Setting {
        env,
        also: &[],
        default,
        default_note: "",
        secret: false,
        help,
    }
}

/// Every setting, in the order `--help` and the README list them.
pub const SETTINGS: &[Setting] = &[
    Setting {
        secret: true,
        ..setting(
            "SKOLEBAENK_DATABASE_URL",
            DEFAULT_DATABASE_URL,
            "`sqlite://…` or `postgres://user:password@host/db`",
        )
    },
    setting(
        "SKOLEBAENK_MIGRATE",
        "never",
        "`auto`: `serve` brings the schema up to date first (`make run`); `never`: only `server migrate` changes it, and `serve` refuses an outdated schema",
    ),
    setting("SKOLEBAENK_MAX_DB_CONNECTIONS", "10", "database pool size"),
    Setting {
        also: &["LEPTOS_SITE_ADDR"],
        ..setting("SKOLEBAENK_ADDR", "127.0.0.1:3000", "address to listen on")
    },
    Setting {
        default_note: "`http://` + `SKOLEBAENK_ADDR`",
        ..setting(
            "SKOLEBAENK_PUBLIC_URL",
            "",
            "the site's address in links (e-mails, `server link`, single sign-on)",
        )
    },
    Setting {
        also: &["LEPTOS_SITE_ROOT"],
        ..setting(
            "SKOLEBAENK_SITE_ROOT",
            "target/site",
            "the built site (`pkg/` with WASM, JS, CSS)",
        )
    },
    setting(
        "SKOLEBAENK_DEMO_DATA",
        "false",
        "load demo data into an empty database at start; never on a real installation, since the demo's staff passwords are public",
    ),
    setting(
        "SKOLEBAENK_PROXY_HOPS",
        "0",
        "how many trusted reverse proxies add to `X-Forwarded-For`; the client's address is that many entries from the right (`SKOLEBAENK_BEHIND_PROXY=true`, the older setting, means 1)",
    ),
    setting(
        "SKOLEBAENK_RATE_LIMITS",
        "30,10,20,5",
        "per hour: sign-ups per address, sign-ups per e-mail, link requests per address, link requests per e-mail",
    ),
    setting(
        "SKOLEBAENK_DRAIN_SECS",
        "0",
        "on SIGTERM, readiness (`/healthz`) fails at once and the server goes on serving this many seconds before it closes its listener, so a load balancer stops sending first (10 is usual behind one); requests and mail sends in flight always finish",
    ),
    setting(
        "SKOLEBAENK_PAGE_CACHE_SECS",
        "10",
        "public pages (catalogue, course and school pages, the API's lists) are kept as rendered until the next change to the database, and at most this many seconds; 0 renders every request",
    ),
    setting(
        "SKOLEBAENK_JOBS_INTERVAL_SECS",
        "60",
        "how often offers, reminders, evaluation invitations and clean-up run",
    ),
    setting(
        "SKOLEBAENK_STAFF_IDLE_MINUTES",
        "60",
        "a staff session ends after this long without a request",
    ),
    setting(
        "SKOLEBAENK_STAFF_SESSION_HOURS",
        "12",
        "and this long after sign-in at the latest",
    ),
    Setting {
        default_note: "`true` when the public URL is https",
        ..setting(
            "SKOLEBAENK_SECURE_COOKIES",
            "",
            "`Secure` staff cookie with the `__Host-` prefix",
        )
    },
    setting(
        "SKOLEBAENK_MAIL_BACKEND",
        "file",
        "`file` (`.eml` files, listed at `/udbakke` from this machine) or `smtp`",
    ),
    setting(
        "SKOLEBAENK_MAIL_DIR",
        "data/mail",
        "folder of the file backend",
    ),
    setting(
        "SKOLEBAENK_MAIL_FROM",
        "skolebaenk@localhost",
        "sender address; the sender's name is the school's",
    ),
    setting(
        "SKOLEBAENK_SMTP_HOST",
        "",
        "SMTP server, required for `smtp`",
    ),
    Setting {
        default_note: "587, 465 with `tls`, 25 with `none`",
        ..setting("SKOLEBAENK_SMTP_PORT", "", "SMTP port")
    },
    setting(
        "SKOLEBAENK_SMTP_TLS",
        "starttls",
        "`starttls`, `tls` or `none` (only for a server on the same machine)",
    ),
    setting("SKOLEBAENK_SMTP_USER", "", "SMTP user name"),
    Setting {
        secret: true,
        ..setting("SKOLEBAENK_SMTP_PASSWORD", "", "SMTP password")
    },
    setting("SKOLEBAENK_SMTP_TIMEOUT_SECS", "30", "per SMTP command"),
    setting(
        "SKOLEBAENK_MAIL_RETRY",
        "10,30,60,300,900,3600",
        "seconds to wait after each failed attempt; the last repeats",
    ),
    setting(
        "SKOLEBAENK_MAIL_GIVE_UP_HOURS",
        "24",
        "a message not sent by then is marked failed",
    ),
    setting(
        "SKOLEBAENK_MAIL_LEASE_SECS",
        "300",
        "a message claimed by a worker that died is taken over after this",
    ),
    setting(
        "SKOLEBAENK_MAIL_POLL_MS",
        "500",
        "how often the worker looks for mail queued by other instances",
    ),
    setting(
        "SKOLEBAENK_MAIL_RETENTION_DAYS",
        "30",
        "sent mail is deleted after this; failed after three times as long",
    ),
    setting(
        "SKOLEBAENK_WEBHOOK_RETRY",
        "10,60,300,1800,3600",
        "seconds to wait after each failed webhook delivery; the last repeats, for up to 24 hours",
    ),
    setting(
        "SKOLEBAENK_WEBHOOK_DISABLE_AFTER",
        "15",
        "failed attempts in a row after which a webhook is switched off",
    ),
    setting(
        "SKOLEBAENK_WEBHOOK_TIMEOUT_SECS",
        "10",
        "how long a webhook receiver may take to answer",
    ),
    setting(
        "SKOLEBAENK_WEBHOOK_ALLOW_PRIVATE",
        "false",
        "let webhooks go to loopback and private addresses (a receiver under development)",
    ),
    Setting {
        also: &["RUST_LOG"],
        ..setting(
            "SKOLEBAENK_LOG",
            "info,sqlx=warn,sea_orm=warn",
            "log filter (tracing `EnvFilter` syntax); an access line per request at `info`",
        )
    },
    setting(
        "SKOLEBAENK_LOG_FORMAT",
        "text",
        "`text` (colours only on a terminal, never with `NO_COLOR`) or `json` (one object per line)",
    ),
    Setting {
        default_note: "(none: `/metrics` on the main address, to loopback clients only)",
        ..setting(
            "SKOLEBAENK_METRICS_ADDR",
            "",
            "a separate address for Prometheus' `/metrics`, for example `10.0.0.5:9100`",
        )
    },
    setting(
        "SKOLEBAENK_OIDC_ISSUER",
        "",
        "staff single sign-on: the region's OpenID Connect issuer URL (unset: local sign-in only)",
    ),
    setting(
        "SKOLEBAENK_OIDC_CLIENT_ID",
        "",
        "this installation's client id at the provider",
    ),
    Setting {
        secret: true,
        ..setting("SKOLEBAENK_OIDC_CLIENT_SECRET", "", "its client secret")
    },
    setting(
        "SKOLEBAENK_OIDC_MFA_AMR",
        "mfa,otp,hwk,swk,sms",
        "`amr` values from the provider that count as the second factor",
    ),
    setting(
        "SKOLEBAENK_OIDC_MFA_ACR",
        "",
        "`acr` values that count as the second factor too (for example an NSIS level)",
    ),
];

/// The settings as text for `server --help`.
pub fn settings_help() -> String {
    let mut out = String::from(
        "Settings (environment variables; a secret may instead be given as the path of a file \
         holding it, in NAME_FILE):\n",
    );
    for s in SETTINGS {
        let default = if !s.default_note.is_empty() {
            s.default_note.to_string()
        } else if s.default.is_empty() {
            "(none)".to_string()
        } else {
            s.default.to_string()
        };
        let secret = if s.secret { " [secret]" } else { "" };
        out.push_str(&format!(
            "  {}{secret}\n      {}\n      default: {}\n",
            s.env,
            s.help.replace('`', ""),
            default.replace('`', "")
        ));
    }
    out
}

/// The settings as the README's Markdown table (`server settings --markdown`).
pub fn settings_markdown() -> String {
    let mut out = String::from("| Variable | Default | Meaning |\n|---|---|---|\n");
    for s in SETTINGS {
        let default = if !s.default_note.is_empty() {
            s.default_note.to_string()
        } else if s.default.is_empty() {
            "(none)".to_string()
        } else {
            format!("`{}`", s.default)
        };
        let name = if s.secret {
            format!("`{}` (or `{}_FILE`)", s.env, s.env)
        } else {
            format!("`{}`", s.env)
        };
        out.push_str(&format!("| {name} | {default} | {} |\n", s.help));
    }
    out
}

/// Reads settings through a lookup, with the defaults and secret files of [`SETTINGS`].
struct Reader<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Reader<F> {
    fn definition(name: &str) -> &'static Setting {
        SETTINGS
            .iter()
            .find(|s| s.env == name)
            .unwrap_or_else(|| panic!("{name} is not in SETTINGS"))
    }

    /// The value given, if any (a secret may come from `NAME_FILE`; both set is an error).
    fn given(&self, name: &str) -> Result<Option<String>, ConfigError> {
        let s = Self::definition(name);
        let direct = std::iter::once(s.env)
            .chain(s.also.iter().copied())
            .find_map(|n| (self.lookup)(n))
            .filter(|v| !v.is_empty());
        if !s.secret {
            return Ok(direct);
        }
        let file_var = format!("{name}_FILE");
        match ((self.lookup)(&file_var).filter(|v| !v.is_empty()), direct) {
            (Some(_), Some(_)) => Err(ConfigError::new(
                name,
                "***",
                format!("set either {name} or {file_var}, not both"),
            )),
            (Some(path), None) => std::fs::read_to_string(&path)
                .map(|text| Some(text.trim_end_matches(['\n', '\r']).to_string()))
                .map_err(|e| {
                    ConfigError::new(&file_var, path, format!("the file could not be read: {e}"))
                }),
            (None, direct) => Ok(direct),
        }
    }

    /// The value given, or the table's default.
    fn text(&self, name: &str) -> Result<String, ConfigError> {
        Ok(self
            .given(name)?
            .unwrap_or_else(|| Self::definition(name).default.to_string()))
    }

    fn flag(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.given(name)? {
            None => Ok(default),
            Some(text) => match text.as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(ConfigError::new(name, text, "expected true or false")),
            },
        }
    }

    /// A positive whole number (the table's default when unset).
    fn number(&self, name: &str) -> Result<u64, ConfigError> {
        let text = self.text(name)?;
        text.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ConfigError::new(name, text, "expected a positive whole number"))
    }

    /// A whole number of seconds, zero allowed.
    fn seconds_or_none(&self, name: &str) -> Result<std::time::Duration, ConfigError> {
        let text = self.text(name)?;
        text.trim()
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|_| ConfigError::new(name, text, "expected a whole number of seconds"))
    }

    fn seconds(&self, name: &str) -> Result<std::time::Duration, ConfigError> {
        Ok(std::time::Duration::from_secs(self.number(name)?))
    }

    /// Pauses in seconds separated by commas.
    fn pauses(&self, name: &str) -> Result<Vec<chrono::Duration>, ConfigError> {
        let text = self.text(name)?;
        text.split(',')
            .map(|n| n.trim().parse::<i64>().ok().filter(|n| *n > 0))
            .collect::<Option<Vec<_>>>()
            .filter(|v| !v.is_empty())
            .map(|v| v.into_iter().map(chrono::Duration::seconds).collect())
            .ok_or_else(|| {
                ConfigError::new(
                    name,
                    text,
                    "expected seconds separated by commas, for example 10,30,60",
                )
            })
    }

    /// One of a few words, each standing for a value.
    fn choice<T: Copy>(&self, name: &str, options: &[(&str, T)]) -> Result<T, ConfigError> {
        let text = self.text(name)?;
        if let Some((_, value)) = options.iter().find(|(word, _)| *word == text) {
            return Ok(*value);
        }
        let words: Vec<&str> = options.iter().map(|(word, _)| *word).collect();
        let expected = match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => words.concat(),
        };
        Err(ConfigError::new(name, text, format!("expected {expected}")))
    }

    /// An address to listen on, if one is given (or the table has a default).
    fn address(&self, name: &str) -> Result<Option<SocketAddr>, ConfigError> {
        let text = self.text(name)?;
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            ConfigError::new(
                name,
                text.clone(),
                "expected host:port, for example 127.0.0.1:3000",
            )
        })
    }

    /// A list separated by commas, empty entries dropped.
    fn list(&self, name: &str) -> Result<Vec<String>, ConfigError> {
        Ok(self
            .text(name)?
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect())
    }
}

fn hours(n: u64) -> chrono::Duration {
    chrono::Duration::hours(i64::try_from(n).unwrap_or(i64::MAX / 3_600_000))
}

fn minutes(n: u64) -> chrono::Duration {
    chrono::Duration::minutes(i64::try_from(n).unwrap_or(i64::MAX / 60_000))
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let r = Reader { lookup };
        let addr = r
            .address("SKOLEBAENK_ADDR")?
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        let proxy_hops = match r.given("SKOLEBAENK_PROXY_HOPS")? {
            None => u8::from(legacy_flag(&r.lookup, "SKOLEBAENK_BEHIND_PROXY")?),
            Some(text) => text
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= 10)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SKOLEBAENK_PROXY_HOPS",
                        text,
                        "expected a whole number from 0 to 10",
                    )
                })?,
        };
        let limits_text = r.text("SKOLEBAENK_RATE_LIMITS")?;
        let rate_limits = parse_limits(&limits_text).ok_or_else(|| {
            ConfigError::new(
                "SKOLEBAENK_RATE_LIMITS",
                limits_text.clone(),
                "expected four positive whole numbers separated by commas, for example 30,10,20,5",
            )
        })?;
        let max_db_connections =
            u32::try_from(r.number("SKOLEBAENK_MAX_DB_CONNECTIONS")?).unwrap_or(u32::MAX);
        let smtp = r.choice(
            "SKOLEBAENK_MAIL_BACKEND",
            &[("file", false), ("smtp", true)],
        )?;
        let backend = if !smtp {
            MailBackend::File {
                dir: r.text("SKOLEBAENK_MAIL_DIR")?.into(),
            }
        } else {
            let tls = r.choice(
                "SKOLEBAENK_SMTP_TLS",
                &[
                    ("starttls", SmtpTls::StartTls),
                    ("tls", SmtpTls::Tls),
                    ("none", SmtpTls::None),
                ],
            )?;
            let port = match r.given("SKOLEBAENK_SMTP_PORT")? {
                None => match tls {
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                    SmtpTls::None => 25,
                },
                Some(text) => text
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| {
                        ConfigError::new("SKOLEBAENK_SMTP_PORT", text, "expected a port number")
                    })?,
            };
            let host = r.given("SKOLEBAENK_SMTP_HOST")?.ok_or_else(|| {
                ConfigError::new(
                    "SKOLEBAENK_SMTP_HOST",
                    "",
                    "must be set when SKOLEBAENK_MAIL_BACKEND=smtp",
                )
            })?;
            let credentials = match r.given("SKOLEBAENK_SMTP_USER")? {
                Some(user) => Some((user, r.text("SKOLEBAENK_SMTP_PASSWORD")?)),
                None => None,
            };
            MailBackend::Smtp(SmtpConfig {
                host,
                port,
                tls,
                credentials,
                timeout: r.seconds("SKOLEBAENK_SMTP_TIMEOUT_SECS")?,
            })
        };
        let webhooks = WebhookConfig {
            backoff: Backoff {
                steps: r.pauses("SKOLEBAENK_WEBHOOK_RETRY")?,
                give_up_after: chrono::Duration::hours(24),
            },
            disable_after: u32::try_from(r.number("SKOLEBAENK_WEBHOOK_DISABLE_AFTER")?)
                .unwrap_or(u32::MAX),
            timeout: r.seconds("SKOLEBAENK_WEBHOOK_TIMEOUT_SECS")?,
            allow_private: r.flag("SKOLEBAENK_WEBHOOK_ALLOW_PRIVATE", false)?,
        };
        let mail = MailConfig {
            backend,
            from: r.text("SKOLEBAENK_MAIL_FROM")?,
            backoff: Backoff {
                steps: r.pauses("SKOLEBAENK_MAIL_RETRY")?,
                give_up_after: hours(r.number("SKOLEBAENK_MAIL_GIVE_UP_HOURS")?),
            },
            lease: r.seconds("SKOLEBAENK_MAIL_LEASE_SECS")?,
            poll: std::time::Duration::from_millis(r.number("SKOLEBAENK_MAIL_POLL_MS")?),
            retention_days: i64::try_from(r.number("SKOLEBAENK_MAIL_RETENTION_DAYS")?)
                .unwrap_or(i64::MAX / 86_400_000),
        };
        let public_url = r
            .given("SKOLEBAENK_PUBLIC_URL")?
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
        let staff_sessions = app::services::staff::auth::SessionSettings {
            idle: minutes(r.number("SKOLEBAENK_STAFF_IDLE_MINUTES")?),
            lifetime: hours(r.number("SKOLEBAENK_STAFF_SESSION_HOURS")?),
            secure: r.flag(
                "SKOLEBAENK_SECURE_COOKIES",
                public_url.starts_with("https://"),
            )?,
        };
        let migrate = r.choice(
            "SKOLEBAENK_MIGRATE",
            &[("never", Migrate::Never), ("auto", Migrate::Auto)],
        )?;
        let log_format = r.choice(
            "SKOLEBAENK_LOG_FORMAT",
            &[("text", LogFormat::Text), ("json", LogFormat::Json)],
        )?;
        let metrics_addr = r.address("SKOLEBAENK_METRICS_ADDR")?;
        let oidc = match r.given("SKOLEBAENK_OIDC_ISSUER")? {
            None => None,
            Some(issuer) => {
                let required = |name: &str| {
                    r.given(name)?.ok_or_else(|| {
                        ConfigError::new(name, "", "must be set when SKOLEBAENK_OIDC_ISSUER is")
                    })
                };
                if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                    return Err(ConfigError::new(
                        "SKOLEBAENK_OIDC_ISSUER",
                        issuer,
                        "expected the provider's https:// address",
                    ));
                }
                Some(OidcConfig {
                    issuer,
                    client_id: required("SKOLEBAENK_OIDC_CLIENT_ID")?,
                    client_secret: required("SKOLEBAENK_OIDC_CLIENT_SECRET")?,
                    mfa_amr: r.list("SKOLEBAENK_OIDC_MFA_AMR")?,
                    mfa_acr: r.list("SKOLEBAENK_OIDC_MFA_ACR")?,
                })
            }
        };
        Ok(Config {
            database_url: r.text("SKOLEBAENK_DATABASE_URL")?,
            migrate,
            addr,
            site_root: r.text("SKOLEBAENK_SITE_ROOT")?.into(),
            demo_data: r.flag("SKOLEBAENK_DEMO_DATA", false)?,
            max_db_connections,
            public_url,
            proxy_hops,
            rate_limits,
            mail,
            jobs_interval: r.seconds("SKOLEBAENK_JOBS_INTERVAL_SECS")?,
            drain: r.seconds_or_none("SKOLEBAENK_DRAIN_SECS")?,
            page_cache: r.seconds_or_none("SKOLEBAENK_PAGE_CACHE_SECS")?,
            staff_sessions,
            webhooks,
            log_filter: r.text("SKOLEBAENK_LOG")?,
            log_format,
            metrics_addr,
            oidc,
        })
    }
}

/// `SKOLEBAENK_BEHIND_PROXY`, the older form of `SKOLEBAENK_PROXY_HOPS=1` (not in the table).
fn legacy_flag(lookup: &impl Fn(&str) -> Option<String>, name: &str) -> Result<bool, ConfigError> {
    match lookup(name).filter(|v| !v.is_empty()) {
        None => Ok(false),
        Some(text) => match text.as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(ConfigError::new(name, text, "expected true or false")),
        },
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
    fn a_secret_may_come_from_a_file_but_not_from_both() {
        let path =
            std::env::temp_dir().join(format!("skolebaenk_secret_{}", rand::random::<u64>()));
        std::fs::write(&path, "hemmelig-adgangskode\n").expect("write");
        let file = path.display().to_string();
        let smtp = |extra: &'static str, value: String| {
            move |n: &str| match n {
                "SKOLEBAENK_MAIL_BACKEND" => Some("smtp".to_string()),
                "SKOLEBAENK_SMTP_HOST" => Some("mail.example.org".into()),
                "SKOLEBAENK_SMTP_USER" => Some("skole".into()),
                n if n == extra => Some(value.clone()),
                _ => None,
            }
        };
        let c = Config::from_lookup(smtp("SKOLEBAENK_SMTP_PASSWORD_FILE", file.clone()))
            .expect("read from the file");
        let MailBackend::Smtp(smtp_config) = c.mail.backend else {
            panic!("smtp expected")
        };
        assert_eq!(
            smtp_config.credentials,
            Some(("skole".into(), "hemmelig-adgangskode".into())),
            "the file's text without its line ending"
        );
        let both = Config::from_lookup(|n| match n {
            "SKOLEBAENK_DATABASE_URL" => Some("sqlite::memory:".into()),
            "SKOLEBAENK_DATABASE_URL_FILE" => Some(file.clone()),
            _ => None,
        })
        .expect_err("both set");
        assert!(both.to_string().contains("not both"), "{both}");
        assert!(
            !both.to_string().contains("memory"),
            "the secret is not repeated: {both}"
        );
        let missing = Config::from_lookup(smtp(
            "SKOLEBAENK_SMTP_PASSWORD_FILE",
            "/nowhere/secret".into(),
        ))
        .expect_err("no such file");
        assert!(
            missing
                .to_string()
                .contains("SKOLEBAENK_SMTP_PASSWORD_FILE")
        );
        std::fs::remove_file(&path).expect("remove");
    }

    /// Every variable the parser reads is in [`SETTINGS`] (or it would panic), and every entry
    /// in [`SETTINGS`] is read: the table, `--help` and the README cannot drift from the parser.
    #[test]
    fn the_table_and_the_parser_name_the_same_settings() {
        let asked = std::cell::RefCell::new(std::collections::BTreeSet::new());
        // Once with every optional part on (SMTP, single sign-on), once with the defaults.
        for everything in [true, false] {
            Config::from_lookup(|n| {
                asked.borrow_mut().insert(n.to_string());
                if !everything {
                    return None;
                }
                match n {
                    "SKOLEBAENK_MAIL_BACKEND" => Some("smtp".into()),
                    "SKOLEBAENK_SMTP_HOST" => Some("mail.example.org".into()),
                    "SKOLEBAENK_SMTP_USER" => Some("skole".into()),
                    "SKOLEBAENK_OIDC_ISSUER" => Some("https://login.region.example".into()),
                    "SKOLEBAENK_OIDC_CLIENT_ID" => Some("skolebaenk".into()),
                    "SKOLEBAENK_OIDC_CLIENT_SECRET" => Some("hemmelig".into()),
                    _ => None,
                }
            })
            .expect("valid");
        }
        let asked = asked.into_inner();
        for s in SETTINGS {
            assert!(asked.contains(s.env), "{} is listed but never read", s.env);
        }
        let markdown = settings_markdown();
        assert_eq!(markdown.lines().count(), SETTINGS.len() + 2);
        assert!(settings_help().contains("SKOLEBAENK_MIGRATE"));
    }

    #[test]
    fn single_sign_on_needs_its_client() {
        let err = Config::from_lookup(|n| {
            (n == "SKOLEBAENK_OIDC_ISSUER").then(|| "https://login.region.example".into())
        })
        .expect_err("client id missing");
        assert!(
            err.to_string().contains("SKOLEBAENK_OIDC_CLIENT_ID"),
            "{err}"
        );
        let c = Config::from_lookup(|_| None).expect("defaults");
        assert!(c.oidc.is_none());
        assert_eq!(c.migrate, Migrate::Never);
        assert_eq!(c.log_format, LogFormat::Text);
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
