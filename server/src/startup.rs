//! Building the app and running it until a shutdown signal.

use std::future::Future;
use std::sync::OnceLock;

use app::services::rate_limit::RateLimiter;
use app::services::state::AppState;
use app::{App, shell};
use axum::Router;
use leptos::prelude::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
};

use crate::config::{Config, Migrate};
use crate::db::DbStartError;
use app::http::guards;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbStartError),
    #[error("could not load demo data: {0}")]
    Demo(sea_orm::DbErr),
    #[error("could not read the database: {0}")]
    Read(sea_orm::DbErr),
    #[error(
        "could not listen on {addr}: {source}. Is another program using the port? Set SKOLEBAENK_ADDR to another address"
    )]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("e-mail is not set up right: {0}")]
    Mail(String),
    #[error("the API description could not be read: {0}")]
    ApiDocument(String),
    #[error("single sign-on is not set up right (SKOLEBAENK_OIDC_*): {0}")]
    Sso(String),
    #[error("the built site's files could not be read (SKOLEBAENK_SITE_ROOT): {0}")]
    Assets(String),
}

/// Connects to the database, migrates if allowed (or checks that the schema is current), loads
/// demo data if asked and the database is empty, and
/// returns the state the app runs on.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let db = crate::db::connect(&config.database_url, config.max_db_connections).await?;
    // Instances starting together on one database take turns at the schema and the demo data.
    let lock = if config.migrate == Migrate::Auto || config.demo_data {
        Some(crate::db::schema_lock(&db, &config.database_url).await?)
    } else {
        None
    };
    let ready = prepare_schema(config, &db).await;
    if let Some(lock) = lock {
        lock.release().await;
    }
    ready?;
    if !app::services::staff::auth::any_account(&db)
        .await
        .map_err(StartError::Read)?
    {
        tracing::warn!(
            "no staff account yet: make the first administrator with \
             `server create-admin EMAIL NAME` (demo data only with SKOLEBAENK_DEMO_DATA=true)"
        );
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("skolebaenk")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let api_reference = app::http::api_v1::doc::reference(&config.public_url)
        .map_err(|e| StartError::ApiDocument(e.to_string()))?;
    Ok(AppState {
        db,
        leptos_options,
        limiter: std::sync::Arc::new(RateLimiter::new(config.rate_limits)),
        proxy_hops: config.proxy_hops,
        webhooks_allow_private: config.webhooks.allow_private,
        public_url: config.public_url.clone(),
        staff_sessions: config.staff_sessions,
        mail_dir: match &config.mail.backend {
            crate::config::MailBackend::File { dir } => Some(dir.clone()),
            crate::config::MailBackend::Smtp(_) => None,
        },
        api_reference: std::sync::Arc::new(api_reference),
        stopping: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        assets: std::sync::Arc::new(
            app::services::assets::Assets::load(&config.site_root.join("pkg"))
                .map_err(|e| StartError::Assets(e.to_string()))?,
        ),
        page_cache: (!config.page_cache.is_zero()).then(|| {
            std::sync::Arc::new(app::services::page_cache::PageCache::new(config.page_cache))
        }),
        sso: match &config.oidc {
            None => None,
            Some(o) => Some(std::sync::Arc::new(
                app::services::staff::sso::Provider::new(
                    &o.issuer,
                    &o.client_id,
                    &o.client_secret,
                    &config.public_url,
                    app::rules::sso::SecondFactor {
                        amr: o.mfa_amr.clone(),
                        acr: o.mfa_acr.clone(),
                    },
                )
                .map_err(StartError::Sso)?,
            )),
        },
    })
}

/// Migrates if allowed (else checks the schema is current), then loads the demo data if asked
/// for and the database is empty.
async fn prepare_schema(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
) -> Result<(), StartError> {
    match config.migrate {
        Migrate::Auto => crate::db::migrate(db, &config.database_url).await?,
        Migrate::Never => crate::db::check_current(db).await?,
    }
    if config.demo_data {
        let today = crate::demo::today_in_copenhagen();
        if crate::demo::seed_if_empty(db, today)
            .await
            .map_err(StartError::Demo)?
        {
            tracing::info!("loaded demo data into the empty database");
        }
    }
    Ok(())
}

/// The work that runs beside the web server: the mail and webhook workers, the timed jobs, the
/// metrics upkeep and (on PostgreSQL) the listener that wakes the mail worker when another
/// instance queues mail. Aborting the handles stops them.
pub fn spawn_background(
    config: &Config,
    state: &AppState,
) -> Result<Vec<tokio::task::JoinHandle<()>>, StartError> {
    let mailer =
        crate::mail::transport::Mailer::from_config(&config.mail).map_err(StartError::Mail)?;
    let mut tasks = vec![
        worker(config, state.db.clone(), mailer).spawn(),
        crate::webhooks::Worker::new(state.db.clone(), &config.webhooks, config.mail.poll).spawn(),
        crate::jobs::spawn(state.db.clone(), config),
        crate::observe::spawn_upkeep(),
    ];
    tasks.extend(crate::wake::spawn(&state.db));
    Ok(tasks)
}

/// A mail worker for `db` sending through `mailer`.
pub fn worker(
    config: &Config,
    db: sea_orm::DatabaseConnection,
    mailer: crate::mail::transport::Mailer,
) -> crate::mail::worker::Worker {
    crate::mail::worker::Worker {
        db,
        mailer: std::sync::Arc::new(mailer),
        context: app::services::mail::messages::MailContext {
            public_url: config.public_url.clone(),
        },
        from: config.mail.from.clone(),
        backoff: config.mail.backoff.clone(),
        lease: config.mail.lease,
        poll: config.mail.poll,
    }
}

/// The whole HTTP app: pages, server functions, static files and the extra routes, with the
/// access log and request metrics, compression and a few protective headers. Outermost is the
/// page cache: a public page it holds is answered before any other layer runs.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let shell_options = state.leptos_options.clone();
    let guard_state = state.clone();
    let headers_state = state.clone();
    let slugs_state = state.clone();
    let cache_state = state.clone();
    crate::observe::metrics_handle();
    Router::new()
        .merge(app::http::router())
        .merge(crate::observe::loopback_routes())
        .leptos_routes(&state, routes, move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            guard_state,
            guards::reject_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            slugs_state,
            guards::redirect_old_slugs,
        ))
        .layer(axum::middleware::from_fn(guards::reject_long_uris))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            headers_state,
            guards::protective_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::X_CONTENT_TYPE_OPTIONS,
            http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(axum::middleware::from_fn(crate::observe::access_log))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            cache_state,
            app::http::page_cache::serve,
        ))
}

/// The app's routes, worked out once per process. Generating them runs the app with resource
/// loading suppressed through a process-wide flag, so a page rendering at the same moment (another
/// app instance in the same process, as in the tests) could wait forever (leptos issue 4773).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: OnceLock<Vec<leptos_axum::AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Binds the configured address, with a clear error when it is taken.
pub async fn bind(config: &Config) -> Result<TcpListener, StartError> {
    TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr.to_string(),
            source,
        })
}

/// Serves `/metrics` alone on `addr` (`SKOLEBAENK_METRICS_ADDR`) until the process stops.
pub async fn serve_metrics(
    addr: std::net::SocketAddr,
    state: AppState,
) -> Result<tokio::task::JoinHandle<()>, StartError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    tracing::info!("metrics at http://{addr}/metrics");
    let app = crate::observe::metrics_app(state);
    Ok(tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(crate::lifecycle::stopped())
            .await
        {
            tracing::error!(error = %e, "the metrics address stopped");
        }
    }))
}

/// How long a client may take to send a request's headers: a client that trickles them in
/// to hold connections open is cut off.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a client may take to send a request's body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves until `shutdown` completes, then lets requests in flight finish. Each connection
/// knows its client's address (for the rate limits) and gets [`HEADER_READ_TIMEOUT`] for its
/// headers.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once rather than waiting for more to send (as axum::serve
        // does).
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let service =
            app.clone()
                .map_request(move |mut request: http::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(remote));
                    request.map(axum::body::Body::new)
                });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
