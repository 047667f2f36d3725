//! `server`: runs Skolebænk.
//!
//! ```text
//! server            serve the app (migrates, and loads demo data into an empty database)
//! server migrate    bring the database schema up to date and exit
//! server seed       load demo data into an empty database and exit
//! server link EMAIL print a fresh "Mine tilmeldinger" link for a participant's e-mail
//! server outbox     list the e-mails in the outbox with their state
//! server jobs       run the timed jobs once (offers, reminders, evaluation invitations)
//! server create-admin EMAIL NAME
//!                   create an administrator (or make an account one) and print a single-use
//!                   link to choose a password
//! server api-key SCHOOL read|write NAME
//!                   create an API key for a school (by slug) and print it; it is shown once
//! ```

use std::process::ExitCode;

use server::{config::Config, db, demo, startup};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("SKOLEBAENK_LOG")
                .or_else(|_| EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_target(false)
        // Logs go to stderr; stdout is for what a command prints (a link, the outbox).
        .with_writer(std::io::stderr)
        .init();

    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("Configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "serve" => serve(config).await,
        "migrate" => migrate(config).await,
        "seed" => seed(config).await,
        "link" => link(config, std::env::args().nth(2)).await,
        "outbox" => outbox(config).await,
        "jobs" => jobs(config).await,
        "retention" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            retention(config, args).await
        }
        "create-admin" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            create_admin(config, args).await
        }
        "api-key" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            api_key(config, args).await
        }
        "help" | "--help" | "-h" => {
            println!(
                "usage: server [serve|migrate|seed|link EMAIL|outbox|jobs|retention [--dry-run]|create-admin EMAIL NAME|api-key SCHOOL read|write NAME]"
            );
            Ok(())
        }
        other => Err(format!(
            "unknown command {other:?}; use serve, migrate, seed, link, outbox, jobs, retention, create-admin or api-key"
        )),
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

async fn serve(config: Config) -> Result<(), String> {
    tracing::info!(database = %db::redact(&config.database_url), "starting");
    let state = startup::prepare(&config).await.map_err(|e| e.to_string())?;
    let listener = startup::bind(&config).await.map_err(|e| e.to_string())?;
    let background = startup::spawn_background(&config, &state).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("Skolebænk is running at http://{addr}/");
    println!("Skolebænk is running at http://{addr}/  (stop with Ctrl-C)");
    startup::serve(listener, startup::router(state), startup::shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    for task in background {
        task.abort();
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
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    if demo::seed_if_empty(&conn, demo::today_in_copenhagen())
        .await
        .map_err(|e| e.to_string())?
    {
        println!("Demo data loaded.");
        Ok(())
    } else {
        Err("the database already has data; demo data is only loaded into an empty database".into())
    }
}

/// Prints a fresh "Mine tilmeldinger" link, for staff helping a participant who lost theirs.
async fn link(config: Config, email: Option<String>) -> Result<(), String> {
    let email = email.ok_or("usage: server link EMAIL")?;
    let key = app::rules::signup::email_key(&email);
    if !app::rules::signup::email_is_valid(&key) {
        return Err(format!("{email:?} is not an e-mail address"));
    }
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    let token = app::services::tokens::issue_manage_token(&conn, &key, chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    println!("{}/mine-tilmeldinger/{token}", config.public_url);
    Ok(())
}

/// Lists the outbox: one line per message, oldest first.
async fn outbox(config: Config) -> Result<(), String> {
    use sea_orm::{EntityTrait, QueryOrder};
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
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
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    server::jobs::run_once(&conn, config.mail.retention_days).await;
    println!("Jobs done.");
    Ok(())
}

/// Makes the participants of runs past their school's retention period anonymous, or with
/// `--dry-run` only lists them: one line per run.
async fn retention(config: Config, args: Vec<String>) -> Result<(), String> {
    let dry_run = match args.as_slice() {
        [] => false,
        [flag] if flag == "--dry-run" => true,
        _ => return Err("usage: server retention [--dry-run]".into()),
    };
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
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
async fn create_admin(config: Config, args: Vec<String>) -> Result<(), String> {
    use app::rules::access::Role;
    use app::services::staff::auth::{self, LinkPurpose};
    let (Some(email), name) = (args.first(), args[1.min(args.len())..].join(" ")) else {
        return Err("usage: server create-admin EMAIL NAME".into());
    };
    let key = app::rules::signup::email_key(email);
    if !app::rules::signup::email_is_valid(&key) {
        return Err(format!("{email:?} is not an e-mail address"));
    }
    let name = if name.trim().is_empty() {
        key.split('@').next().unwrap_or("Administrator").to_string()
    } else {
        name
    };
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
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
async fn api_key(config: Config, args: Vec<String>) -> Result<(), String> {
    use app::services::api_keys::{self, Scope};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let usage = "usage: server api-key SCHOOL read|write NAME";
    let (Some(slug), Some(scope)) = (args.first(), args.get(1).and_then(|s| Scope::parse(s)))
    else {
        return Err(usage.into());
    };
    let name = args[2.min(args.len())..].join(" ");
    let name = if name.trim().is_empty() {
        "Nøgle fra kommandolinjen".to_string()
    } else {
        name
    };
    let conn = db::connect_and_migrate(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
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
