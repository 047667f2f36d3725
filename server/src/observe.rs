//! What an operator sees of a running server: the log (text or JSON), one access line per
//! request, and Prometheus metrics at `/metrics`.
//!
//! The access line names the route's pattern (`/mine-tilmeldinger/{token}`), never the path
//! itself, so tokens in links and e-mail addresses in queries do not reach the log.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

use app::services::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DbBackend;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

/// Starts the log: to stderr (stdout is for what a command prints), as text or JSON lines.
/// Text has colours only on a terminal, and never with `NO_COLOR`.
pub fn init_logging(config: &Config) -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_new(&config.log_filter)
        .map_err(|e| format!("SKOLEBAENK_LOG={:?} is not valid: {e}", config.log_filter))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let result = match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .try_init(),
    };
    result.map_err(|e| format!("could not start the log: {e}"))
}

/// The route a request matched, as its pattern; static files and unknown paths are grouped.
fn route_of(request: &Request) -> String {
    if let Some(path) = request.extensions().get::<MatchedPath>() {
        return path.as_str().to_string();
    }
    if request.uri().path().starts_with("/pkg/") {
        "/pkg/{file}".into()
    } else {
        "{other}".into()
    }
}

/// One access line at INFO per request (method, route pattern, status, duration, request id),
/// and the request counters and durations for `/metrics`.
pub async fn access_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_of(&request);
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let span = tracing::info_span!("request", id = %id);
    let response = next.run(request).instrument(span).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        method = %method,
        route = %route,
        status,
        duration_ms = (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        request_id = %id,
        "request"
    );
    let labels = [
        ("method", method.as_str().to_string()),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("skolebaenk_http_requests_total", &labels).increment(1);
    metrics::histogram!("skolebaenk_http_request_duration_seconds", &labels).record(elapsed);
    response
}

/// The process's metrics recorder, installed on first use.
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics stays empty");
        }
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "skolebaenk_http_requests_total",
        "HTTP requests by method, route pattern and status"
    );
    describe_histogram!(
        "skolebaenk_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "time to answer an HTTP request"
    );
    describe_gauge!(
        "skolebaenk_outbox_pending",
        "messages waiting to be sent, by queue (mail, webhook)"
    );
    describe_gauge!(
        "skolebaenk_outbox_oldest_pending_seconds",
        metrics::Unit::Seconds,
        "age of the oldest message waiting to be sent, by queue (0 when none)"
    );
    describe_gauge!(
        "skolebaenk_calls_open",
        "calls to people without e-mail that nobody has marked as made"
    );
    describe_counter!(
        "skolebaenk_page_cache_hits_total",
        "public pages answered from the page cache (these pass no other layer and are not in skolebaenk_http_requests_total)"
    );
    describe_counter!(
        "skolebaenk_mail_total",
        "mail handled by this instance's worker, by outcome (sent, retry, failed, skipped)"
    );
    describe_counter!(
        "skolebaenk_webhook_deliveries_total",
        "webhook deliveries by outcome (delivered, retry, failed)"
    );
    describe_counter!(
        "skolebaenk_webhooks_switched_off_total",
        "webhooks this instance switched off after failing in a row"
    );
    describe_gauge!(
        "skolebaenk_webhooks_switched_off",
        "webhooks that are switched off now"
    );
    describe_counter!(
        "skolebaenk_throttled_total",
        "attempts refused by a rate limit, by what (signup, link, signin)"
    );
    describe_gauge!(
        "skolebaenk_db_pool_connections",
        "database connections by state (idle, in_use, max)"
    );
    describe_counter!("skolebaenk_job_runs_total", "rounds of the timed jobs");
    describe_histogram!(
        "skolebaenk_job_run_duration_seconds",
        metrics::Unit::Seconds,
        "time one round of the timed jobs took"
    );
    describe_gauge!(
        "skolebaenk_job_last_run_timestamp_seconds",
        "when the timed jobs last ran (Unix time)"
    );
}

/// Folds the recorded durations into the histograms every five seconds, so a server nobody
/// scrapes does not keep every sample in memory. Stops with the process.
pub fn spawn_upkeep() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let handle = metrics_handle();
        loop {
            tokio::select! {
                () = tokio::time::sleep(std::time::Duration::from_secs(5)) => handle.run_upkeep(),
                () = crate::lifecycle::stopped() => break,
            }
        }
    })
}

/// The metrics in Prometheus' text format, with the database-backed gauges read now.
pub async fn render(state: &AppState) -> Result<String, sea_orm::DbErr> {
    let handle = metrics_handle();
    let backlog = app::services::operations::backlog(&state.db).await?;
    let now = chrono::Utc::now();
    for (queue, q) in [("mail", backlog.mail), ("webhook", backlog.webhooks)] {
        metrics::gauge!("skolebaenk_outbox_pending", "queue" => queue).set(q.pending as f64);
        let age = q
            .oldest
            .map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
        metrics::gauge!("skolebaenk_outbox_oldest_pending_seconds", "queue" => queue).set(age);
    }
    metrics::gauge!("skolebaenk_calls_open").set(backlog.calls_open as f64);
    if let Some(cache) = &state.page_cache {
        metrics::counter!("skolebaenk_page_cache_hits_total").absolute(cache.hits());
    }
    metrics::gauge!("skolebaenk_webhooks_switched_off").set(backlog.webhooks_switched_off as f64);
    let (size, idle, max) = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        DbBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        _ => (0, 0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    for (what, n) in [
        ("idle", idle),
        ("in_use", size.saturating_sub(idle)),
        ("max", max),
    ] {
        metrics::gauge!("skolebaenk_db_pool_connections", "state" => what).set(f64::from(n));
    }
    handle.run_upkeep();
    Ok(handle.render())
}

async fn answer(state: &AppState) -> Response {
    match render(state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "metrics: could not read the database");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /metrics` on the site's address: only for clients on this machine (after the trusted
/// proxies are taken off), so a reverse proxy on the same host does not publish it.
async fn loopback_metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = app::services::request::client_ip_from(&state, &headers, Some(peer));
    let local = client
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if !local {
        return StatusCode::NOT_FOUND.into_response();
    }
    answer(&state).await
}

/// `GET /metrics` on `SKOLEBAENK_METRICS_ADDR`: for anyone who can reach that address.
async fn open_metrics(State(state): State<AppState>) -> Response {
    answer(&state).await
}

/// The route for the site's own address.
pub fn loopback_routes() -> Router<AppState> {
    Router::new().route("/metrics", axum::routing::get(loopback_metrics))
}

/// The whole app for `SKOLEBAENK_METRICS_ADDR`: `/metrics` and nothing else.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(open_metrics))
        .with_state(state)
}
