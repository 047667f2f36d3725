//! `server`: runs Skolebænk. `server --help` lists the commands and every setting; each
//! command has its own `--help`. Usage errors exit 2, configuration errors 2, failures 1.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use server::{config::Config, db, demo, observe, startup};

/// Skolebænk: course catalogue and booking for recovery schools.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Skolebænk: the course catalogue and booking system for recovery schools.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app (the default). Migrates first only with SKOLEBAENK_MIGRATE=auto; loads demo
    /// data into an empty database with SKOLEBAENK_DEMO_DATA=true.
    Serve,
    /// Bring the database schema up to date and exit: the one command that changes the schema.
    Migrate,
    /// Load demo data into an empty, migrated database and exit.
    Seed,
    /// Print a fresh "Mine tilmeldinger" link for a participant who lost theirs.
    Link {
        /// The participant's e-mail address.
        email: String,
    },
    /// List the e-mails in the outbox with their state, oldest first.
    Outbox,
    /// Run the timed jobs once (offers, reminders, evaluation invitations, clean-up).
    Jobs,
    /// Make the participants of runs past their school's retention period anonymous.
    Retention {
        /// Only list the runs that would be made anonymous.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create an administrator (or give an account the role) and print a single-use link,
    /// valid 7 days, where they choose a password.
    CreateAdmin {
        /// Their e-mail address.
        email: String,
        /// Their name (several words allowed).
        name: Vec<String>,
    },
    /// Create an API key for a school and print it; it is shown once.
    ApiKey {
        /// The school's slug, for example `randers`.
        school: String,
        /// What the key may do.
        scope: KeyScope,
        /// A name for the key (several words allowed).
        name: Vec<String>,
    },
    /// Write an online, consistent copy of a SQLite database to PATH while it serves (on
    /// PostgreSQL use pg_dump; see the README).
    Backup {
        /// Where the copy goes; the file must not exist yet.
        path: std::path::PathBuf,
    },
    /// Print the settings as the README's Markdown table.
    Settings,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KeyScope {
    Read,
    Write,
}

/// Exit code for usage and configuration errors (as clap uses for usage errors).
const USAGE: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    let settings = server::config::settings_help();
    let matches = Cli::command()
        .after_long_help(settings.clone())
        .mut_subcommand("serve", |c| c.after_long_help(settings))
        .after_help("Settings are environment variables; `server --help` lists them.")
        .get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Settings = command {
        print!("{}", server::config::settings_markdown());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("Configuration error: {err}");
            return ExitCode::from(USAGE);
        }
    };
    if let Err(err) = observe::init_logging(&config) {
        eprintln!("Configuration error: {err}");
        return ExitCode::from(USAGE);
    }
    let result = match command {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(config).await,
        Command::Seed => seed(config).await,
        Command::Link { email } => link(config, email).await,
        Command::Outbox => outbox(config).await,
        Command::Jobs => jobs(config).await,
        Command::Retention { dry_run } => retention(config, dry_run).await,
        Command::CreateAdmin { email, name } => create_admin(config, email, name.join(" ")).await,
        Command::ApiKey {
            school,
            scope,
            name,
        } => api_key(config, school, scope, name.join(" ")).await,
        Command::Backup { path } => backup(config, path).await,
        Command::Settings => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A connection for a command: the schema must be current, unless SKOLEBAENK_MIGRATE=auto lets
/// the command bring it up to date first.
async fn connect(config: &Config) -> Result<sea_orm::DatabaseConnection, String> {
    match config.migrate {
        server::config::Migrate::Auto => db::connect_and_migrate(&config.database_url, 1).await,
        server::config::Migrate::Never => db::connect_current(&config.database_url, 1).await,
    }
    .map_err(|e| e.to_string())
}

async fn serve(config: Config) -> Result<(), String> {
    tracing::info!(database = %db::redact(&config.database_url), "starting");
    let state = startup::prepare(&config).await.map_err(|e| e.to_string())?;
    let listener = startup::bind(&config).await.map_err(|e| e.to_string())?;
    let background = startup::spawn_background(&config, &state).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut background = background;
    if let Some(metrics_addr) = config.metrics_addr {
        background.push(
            startup::serve_metrics(metrics_addr, state.clone())
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    tracing::info!("Skolebænk is running at http://{addr}/");
    println!("Skolebænk is running at http://{addr}/  (stop with Ctrl-C)");
    let stopping = state.stopping.clone();
    let drain = config.drain;
    let shutdown = async move {
        startup::shutdown_signal().await;
        stopping.store(true, std::sync::atomic::Ordering::SeqCst);
        server::lifecycle::begin_stopping();
        if !drain.is_zero() {
            tracing::info!(
                seconds = drain.as_secs(),
                "readiness fails; still serving while load balancers notice"
            );
            tokio::time::sleep(drain).await;
        }
    };
    startup::serve(listener, startup::router(state), shutdown)
        .await
        .map_err(|e| e.to_string())?;
    // The workers finish the round they are in (a mail being sent is sent and recorded).
    for task in background {
        let abort = task.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(30), task)
            .await
            .is_err()
        {
            tracing::warn!("a background task did not finish in 30 seconds; stopping it");
            abort.abort();
        }
    }
    tracing::info!("stopped");
    Ok(())
}

async fn migrate(config: Config) -> Result<(), String> {
    db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    println!("Database schema is up to date.");
    Ok(())
}

async fn seed(config: Config) -> Result<(), String> {
    let conn = connect(&config).await?;
    let lock = db::schema_lock(&conn, &config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let seeded = demo::seed_if_empty(&conn, demo::today_in_copenhagen()).await;
    lock.release().await;
    if seeded.map_err(|e| e.to_string())? {
        println!("Demo data loaded.");
        Ok(())
    } else {
        Err("the database already has data; demo data is only loaded into an empty database".into())
    }
}

/// Prints a fresh "Mine tilmeldinger" link, for staff helping a participant who lost theirs.
async fn link(config: Config, email: String) -> Result<(), String> {
    let key = app::rules::signup::email_key(&email);
    if !app::rules::signup::email_is_valid(&key) {
        return Err(format!("{email:?} is not an e-mail address"));
    }
    let conn = connect(&config).await?;
    let token = app::services::tokens::issue_manage_token(&conn, &key, chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    println!("{}/mine-tilmeldinger/{token}", config.public_url);
    Ok(())
}

/// Lists the outbox: one line per message, oldest first.
async fn outbox(config: Config) -> Result<(), String> {
    use sea_orm::{EntityTrait, QueryOrder};
    let conn = connect(&config).await?;
    let messages = entity::outbox_message::Entity::find()
        .order_by_asc(entity::outbox_message::Column::Id)
        .all(&conn)
        .await
        .map_err(|e| e.to_string())?;
    for m in &messages {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            m.id,
            m.created_at.format("%Y-%m-%d %H:%M:%S"),
            m.status,
            m.attempts,
            m.kind,
            m.recipient,
            m.last_error.as_deref().unwrap_or("")
        );
    }
    println!("{} message(s)", messages.len());
    Ok(())
}

/// Runs the timed jobs once, for operators and tests: offers that ran out, reminders and
/// evaluation invitations that are due, old mail and expired links.
async fn jobs(config: Config) -> Result<(), String> {
    let conn = connect(&config).await?;
    server::jobs::run_once(&conn, &config).await;
    println!("Jobs done.");
    Ok(())
}

/// Makes the participants of runs past their school's retention period anonymous, or with
/// `--dry-run` only lists them: one line per run.
async fn retention(config: Config, dry_run: bool) -> Result<(), String> {
    let conn = connect(&config).await?;
    let now = chrono::Utc::now();
    let runs = if dry_run {
        app::services::retention::due(&conn, now).await
    } else {
        app::services::retention::apply(&conn, now).await
    }
    .map_err(|e| e.to_string())?;
    for r in &runs {
        println!(
            "hold {}\t{}\t{}\tsidste gang {}\t{} måneder\t{} tilmeldinger",
            r.run_id,
            r.school,
            r.course,
            r.last_session_end.format("%Y-%m-%d"),
            r.months,
            r.bookings
        );
    }
    let verb = if dry_run { "would be made" } else { "made" };
    println!("{} runs {verb} anonymous.", runs.len());
    Ok(())
}

/// Creates the first administrator (or gives an existing account the role) and prints a
/// single-use link, valid for 7 days, where they choose their password. The password never
/// passes through the command line or its history. The administrator sets up an
/// authenticator app at first sign-in.
async fn create_admin(config: Config, email: String, name: String) -> Result<(), String> {
    use app::rules::access::Role;
    use app::services::staff::auth::{self, LinkPurpose};
    let key = app::rules::signup::email_key(&email);
    if !app::rules::signup::email_is_valid(&key) {
        return Err(format!("{email:?} is not an e-mail address"));
    }
    let name = if name.trim().is_empty() {
        key.split('@').next().unwrap_or("Administrator").to_string()
    } else {
        name
    };
    let conn = connect(&config).await?;
    let now = chrono::Utc::now();
    let id = auth::ensure_account(&conn, &key, &name, &[(None, Role::Admin)], now)
        .await
        .map_err(|e| e.to_string())?;
    let token = auth::issue_link(&conn, id, LinkPurpose::Invite, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Administrator {key} is ready. Choose the password here (the link works once, for {} days):",
        app::rules::retention::INVITE_DAYS
    );
    println!("{}/personale/invitation/{token}", config.public_url);
    Ok(())
}

/// `server api-key SCHOOL read|write NAME`: for setting up an integration (or a test) without
/// the staff pages. The key is printed once; only its hash is stored.
async fn api_key(
    config: Config,
    slug: String,
    scope: KeyScope,
    name: String,
) -> Result<(), String> {
    use app::services::api_keys::{self, Scope};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let scope = match scope {
        KeyScope::Read => Scope::Read,
        KeyScope::Write => Scope::Write,
    };
    let name = if name.trim().is_empty() {
        "Nøgle fra kommandolinjen".to_string()
    } else {
        name
    };
    let conn = connect(&config).await?;
    let school = entity::school::Entity::find()
        .filter(entity::school::Column::Slug.eq(slug.as_str()))
        .one(&conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no school with the slug {slug:?}"))?;
    let (_, key) = api_keys::create(&conn, school.id, &name, scope, None, 0, chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    println!("{key}");
    Ok(())
}

/// `server backup PATH`: a consistent copy of a SQLite database, taken while it serves.
async fn backup(config: Config, path: std::path::PathBuf) -> Result<(), String> {
    let conn = connect(&config).await?;
    db::backup_sqlite(&conn, &path)
        .await
        .map_err(|e| e.to_string())?;
    println!("Backup written to {}.", path.display());
    Ok(())
}
