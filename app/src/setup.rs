//! Start-up (ssr only): configuration, tracing, database, schema, reference and demo data,
//! and the axum router. `server/src/main.rs` only calls [`run`].

use crate::auth::session::{SESSION_COOKIE, SESSION_IDLE_HOURS, SurrealSessionStore};
use crate::config::{BODY_LIMIT_BYTES, Config};
use crate::db::{self, Db, reference};
use crate::error::AppError;
use crate::state::{AppState, Catalog};
use crate::{App, auth, shell, standardization};
use anyhow::{Context, bail};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeader;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Opens the database, applies the schema, loads reference data (validated; an invalid
/// file stops start-up) and, in demo mode, demo users and missing demo progress.
pub async fn init_state(
    config: &Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = db::connect(&config.database).await?;
    init_state_on(db, config, leptos_options).await
}

/// [`init_state`] on a database already opened and migrated (`config.database` is not used):
/// for a store just restored from a backup.
pub async fn init_state_on(
    db: Db,
    config: &Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let (orgs_csv, systems_csv) = match &config.reference_dir {
        Some(dir) => (
            std::fs::read_to_string(dir.join("tokyo_local_governments.csv")).with_context(
                || format!("reading {}/tokyo_local_governments.csv", dir.display()),
            )?,
            std::fs::read_to_string(dir.join("standard_systems.csv"))
                .with_context(|| format!("reading {}/standard_systems.csv", dir.display()))?,
        ),
        None => (
            reference::LOCAL_GOVERNMENTS_CSV.to_owned(),
            reference::STANDARD_SYSTEMS_CSV.to_owned(),
        ),
    };
    reference::load(&db, &orgs_csv, &systems_csv)
        .await
        .context("loading reference data")?;
    standardization::repo::ensure_template(&db)
        .await
        .map_err(|e| anyhow::anyhow!("writing the step template: {e}"))?;
    let catalog = load_catalog(&db)
        .await
        .map_err(|e| anyhow::anyhow!("reading reference data: {e}"))?;
    if config.demo {
        auth::repo::ensure_demo_users(&db)
            .await
            .map_err(|e| anyhow::anyhow!("creating demo users: {e}"))?;
        let template_len = standardization::repo::steps(&db)
            .await
            .map_err(|e| anyhow::anyhow!("reading the step template: {e}"))?
            .len();
        let cells =
            standardization::demo::generate(&catalog.organisations, &catalog.systems, template_len);
        standardization::repo::insert_missing(&db, &cells)
            .await
            .map_err(|e| anyhow::anyhow!("writing demo data: {e}"))?;
        let municipalities: Vec<_> = catalog.municipalities().cloned().collect();
        let systems: Vec<String> = catalog.systems.iter().map(|s| s.code.clone()).collect();
        let projects = crate::projects::demo::generate(
            config.demo_projects,
            &municipalities,
            &systems,
            chrono::Utc::now(),
        );
        let advisor = crate::ids::UserId::from("demo_govtech_advisor");
        let stored = crate::projects::repo::insert_demo(&db, &projects, &advisor)
            .await
            .map_err(|e| anyhow::anyhow!("writing demo projects: {e}"))?;
        if stored > 0 {
            tracing::info!(projects = stored, "demo projects stored");
        }
        for advisor in crate::consultations::demo::advisors() {
            crate::consultations::repo::insert_advisor(&db, &advisor)
                .await
                .map_err(|e| anyhow::anyhow!("writing demo advisors: {e}"))?;
        }
        // Refused (already stored, or the time is held) on a later start: nothing to do.
        let held = crate::consultations::demo::held_session(chrono::Utc::now());
        crate::consultations::repo::book(&db, &held)
            .await
            .map_err(|e| anyhow::anyhow!("writing the demo consultation: {e}"))?
            .ok();
        crate::council::demo::insert(&db, chrono::Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("writing the demo council: {e}"))?;
        if config.demo_tenfold {
            let started = std::time::Instant::now();
            let added = crate::volume::add(&db, &catalog, crate::volume::TENFOLD)
                .await
                .map_err(|e| anyhow::anyhow!("writing the tenfold volume: {e}"))?;
            if added {
                tracing::info!(
                    seconds = started.elapsed().as_secs(),
                    "tenfold volume stored"
                );
            }
        }
    }
    SurrealSessionStore::new(db.clone())
        .delete_expired()
        .await
        .ok();
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", leptos_options.site_addr));
    Ok(AppState {
        leptos_options,
        db: Arc::new(db),
        catalog: Arc::new(catalog),
        demo: config.demo,
        oidc: Arc::new(config.oidc.clone()),
        public_url,
        ocds_prefix: config.ocds_prefix.clone(),
        import_lock: Arc::new(tokio::sync::Mutex::new(())),
        caches: crate::db::counter::Caches::default(),
    })
}

/// Reads the reference catalog (organisations, standard systems) from the database.
pub async fn load_catalog(db: &Db) -> Result<Catalog, AppError> {
    Ok(Catalog {
        organisations: crate::orgs::repo::all(db).await?,
        systems: standardization::repo::systems(db).await?,
    })
}

/// Every room's plain routes (uploads, downloads, sign-in redirects), merged.
pub fn room_routes() -> crate::http::Routes {
    auth::routes()
        .merge(crate::attachments::routes())
        .merge(standardization::routes())
        .merge(crate::projects::routes())
        .merge(crate::consultations::routes())
        .merge(crate::council::routes())
}

/// Every endpoint the router serves besides pages and static files, as "METHOD path": the
/// server functions (each a POST under `/api/`), the rooms' routes and `GET /healthz`.
/// `policy::SERVER_FUNCTIONS` must list exactly these (tested in `app/tests/it`).
pub fn endpoints() -> Vec<String> {
    let mut all: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| format!("{method} {path}"))
        .chain(room_routes().endpoints().iter().cloned())
        .chain(std::iter::once("GET /healthz".to_owned()))
        .collect();
    all.sort();
    all
}

/// The application router: pages, server functions, import/export routes, static files,
/// sessions, body limit and security headers.
pub fn router(state: AppState, config: &Config) -> Router {
    let secure_cookies = config.secure_cookies;
    let routes = generate_route_list(App);
    let sessions = SessionManagerLayer::new(SurrealSessionStore::new(Db::clone(&state.db)))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(
            SESSION_IDLE_HOURS,
        )));
    let options = state.leptos_options.clone();
    // The build's files, served by tower-http: `Last-Modified`, 304 on `If-Modified-Since`,
    // ranges (leptos_axum's file handler forwards none of the conditional headers), and the
    // `.br` / `.gz` files `make release` writes next to them (`scripts/precompress.sh`) to a
    // browser that accepts them, with `Content-Encoding`; `Vary: Accept-Encoding` on all.
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let router = Router::new()
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            // ServeDir picks the encoding by `Accept-Encoding` but says nothing of it.
            SetResponseHeader::overriding(
                tower_http::services::ServeDir::new(pkg_dir)
                    .precompressed_br()
                    .precompressed_gzip(),
                http::header::VARY,
                http::HeaderValue::from_static("accept-encoding"),
            ),
        )
        .route("/healthz", get(healthz))
        .merge(room_routes().into_router())
        .leptos_routes(&state, routes, move || shell::shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            shell::shell,
        ))
        .layer(axum::middleware::from_fn(crate::error::server_fn_status))
        .layer(axum::middleware::from_fn(auth::request::remember_caller))
        .layer(axum::middleware::from_fn(auth::flash::keep_form_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::server::same_origin_posts,
        ))
        .layer(axum::middleware::from_fn_with_state(
            auth::rate_limit::Limiters::new(config.rate_limits)
                .behind(config.trusted_proxies.clone()),
            auth::rate_limit::limit,
        ))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            BODY_LIMIT_BYTES,
            crate::error::refuse_large_bodies,
        ))
        .with_state(state);
    auth::headers::with_security_headers(router, secure_cookies).layer(crate::http::compression())
}

/// How long the health check waits for the database.
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// `GET /healthz`, for a load balancer or an orchestrator: 200 `ok` when the database answers a
/// trivial query within 2 s, else 503 `database unavailable` (the server itself is up, so
/// the balancer sends its requests elsewhere until the database is back).
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (http::StatusCode, &'static str) {
    if db::answers(&state.db, HEALTH_WAIT).await {
        (http::StatusCode::OK, "ok")
    } else {
        (
            http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        )
    }
}

/// Starts Kyodo: reads configuration, opens the database and serves until Ctrl-C.
///
/// `kyodo replace-steps <file>` instead replaces the step template from a CSV file (the same
/// check as the upload at `/admin/steps`), prints what changed and exits; errors exit non-zero.
/// `kyodo backup FILE` and `kyodo restore [--force] FILE` write and read a backup of the store
/// (`db::backup`); `kyodo digest [DAY]` sends a day's e-mail digest.
pub async fn run() -> anyhow::Result<()> {
    tracing_subscriber_init();
    let config = Config::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, file] = args.as_slice()
        && command == "replace-steps"
    {
        return replace_steps_command(&config, std::path::Path::new(file)).await;
    }
    if args.first().is_some_and(|c| c == "digest") {
        return digest_command(&config, args.get(1).map(String::as_str)).await;
    }
    let file_arg = |f: &str| !f.starts_with("--");
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["backup", file] if file_arg(file) => return backup_command(&config, file).await,
        ["restore", file] if file_arg(file) => {
            return restore_command(&config, file, false).await;
        }
        ["restore", "--force", file] | ["restore", file, "--force"] if file_arg(file) => {
            return restore_command(&config, file, true).await;
        }
        ["backup" | "restore", ..] => {
            bail!("usage: kyodo backup FILE | kyodo restore [--force] FILE")
        }
        _ => {}
    }
    let mut conf = get_configuration(None).context("reading Leptos configuration")?;
    conf.leptos_options.hash_files = build_files_hashed(&conf.leptos_options);
    let addr: SocketAddr = conf.leptos_options.site_addr;
    check_demo_address(config.demo, addr)?;
    ensure_data_dir(&config)?;
    let state = init_state(&config, conf.leptos_options.clone()).await?;
    match &config.mail {
        Some(mail) => {
            println!("Mail: the daily digest goes out at 07:00 JST");
            tokio::spawn(crate::notifications::digest::daily(
                state.db.clone(),
                mail.clone(),
                state.public_url.clone(),
            ));
        }
        None => println!("Mail: off (set KYODO_SMTP_URL to send the daily digest)"),
    }
    let app = router(state, &config);
    let listener = listen(addr).with_context(|| format!("binding {addr}"))?;
    println!("Kyodo is running at http://{addr}");
    println!("Database: {}", config.database.url);
    if config.demo {
        println!("Demo mode: sign in at http://{addr}/login as one of:");
        for p in auth::model::PERSONAS {
            println!("  {:<16} {}", p.key, p.name_ja);
        }
    }
    // On SIGTERM or Ctrl-C: no new connections; requests under way finish (for at most
    // SHUTDOWN_GRACE); then the process ends, and the embedded store, which writes each commit
    // through before acknowledging it, has nothing left to flush.
    let (stopping, mut stop_seen) = tokio::sync::watch::channel(false);
    let serve = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        stopping.send_replace(true);
    });
    tokio::select! {
        served = serve => {
            served.context("serving")?;
            tracing::info!("stopped: the requests under way are finished");
        }
        _ = async {
            let _ = stop_seen.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => tracing::warn!(seconds = SHUTDOWN_GRACE.as_secs(), "requests still under way after the grace period; stopping anyway"),
    }
    Ok(())
}

/// How long a shutdown waits for requests under way.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// Creates the data folder of an embedded store (a command may run before the server ever has).
fn ensure_data_dir(config: &Config) -> anyhow::Result<()> {
    if config.database.url.starts_with("surrealkv://") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    Ok(())
}

/// Why an embedded store may not open for a command.
const IN_USE: &str = "a running Kyodo keeps its data folder locked: stop it first (or download a backup at /admin/users)";

/// The database settings of a backup command: the embedded store on disk only (a remote
/// server has its own `export` and `import`; a `mem://` store ends with the command), and no
/// long wait (a store that does not open is locked by a running server).
fn command_database(
    config: &Config,
    command: &str,
    server_command: &str,
) -> anyhow::Result<db::DbConfig> {
    if !config.database.url.starts_with("surrealkv://") {
        bail!(
            "kyodo {command} works on the embedded store (surrealkv://); for {} use the SurrealDB server's own `kyodo-surrealdb {server_command}` (README, Backups)",
            config.database.url
        );
    }
    let mut database = config.database.clone();
    database.wait = std::time::Duration::from_secs(2);
    Ok(database)
}

/// `kyodo backup FILE`: writes a backup of the configured store to FILE (`db::backup`).
async fn backup_command(config: &Config, file: &str) -> anyhow::Result<()> {
    let database = command_database(config, "backup", "export")?;
    if !config.data_dir.is_dir() {
        bail!(
            "no data folder at {} (KYODO_DATA_DIR): nothing to back up",
            config.data_dir.display()
        );
    }
    let db = db::open(&database).await.context(IN_USE)?;
    db::backup::backup_to(&db, std::path::Path::new(file)).await?;
    println!("Backup of {} written to {file}.", config.database.url);
    Ok(())
}

/// `kyodo restore [--force] FILE`: checks that FILE is a whole Kyodo backup, then restores it
/// into the configured store; a store that is not empty is refused unless `--force` (then
/// everything in it is replaced). Stop the servers first: their caches would not know.
async fn restore_command(config: &Config, file: &str, force: bool) -> anyhow::Result<()> {
    let database = command_database(config, "restore", "import")?;
    // Before the store is opened (or created): a file that is not a whole backup changes nothing.
    db::backup::verify(std::path::Path::new(file))?;
    ensure_data_dir(config)?;
    let db = db::open(&database).await.context(IN_USE)?;
    let existing = if force {
        db::backup::Existing::Replace
    } else {
        db::backup::Existing::Refuse
    };
    db::backup::restore(&db, std::path::Path::new(file), existing).await?;
    // A backup of an older Kyodo is brought up to this one's schema now, not at the next start.
    db::migrate(&db).await?;
    println!("{file} restored into {}.", config.database.url);
    Ok(())
}

/// `kyodo digest [YYYY-MM-DD]`: sends the daily e-mail digest of that JST day (default:
/// yesterday) now, to whoever has not had it yet; for a cron job or to catch up.
async fn digest_command(config: &Config, day: Option<&str>) -> anyhow::Result<()> {
    let mail = config
        .mail
        .as_ref()
        .context("mail is off: set KYODO_SMTP_URL (and KYODO_MAIL_FROM)")?;
    let day = match day {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("{d} is not a date like 2026-12-01"))?,
        None => crate::i18n::today_jst() - chrono::Duration::days(1),
    };
    let db = db::connect(&config.database).await?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let sent = crate::notifications::digest::send_day(&db, mail, &public_url, day)
        .await
        .map_err(|e| anyhow::anyhow!("sending the digest: {e}"))?;
    println!("Digest of {day}: {sent} mails sent.");
    Ok(())
}

/// `kyodo replace-steps <file>`: replaces the step template and reports what changed.
async fn replace_steps_command(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    use standardization::server::TemplateOutcome;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    ensure_data_dir(config)?;
    let db = db::connect(&config.database).await?;
    standardization::repo::ensure_template(&db)
        .await
        .map_err(|e| anyhow::anyhow!("reading the step template: {e}"))?;
    match standardization::server::replace_steps(&db, &bytes, None)
        .await
        .map_err(|e| anyhow::anyhow!("replacing the step template: {e}"))?
    {
        TemplateOutcome::Applied(change) => {
            println!(
                "Step template replaced: {} → {} steps; {} records recomputed.",
                change.old_len, change.new_len, change.recomputed
            );
            if change.live_without_date > 0 {
                println!(
                    "  {} records became live without a go-live date (本番稼働日): ask for it",
                    change.live_without_date
                );
            }
            for r in &change.removed {
                println!(
                    "  step {} ({}) no longer exists; {} records had a status on it (kept, not counted)",
                    r.step.no, r.step.name_ja, r.records
                );
            }
            Ok(())
        }
        TemplateOutcome::Refused(errors) => {
            for e in &errors {
                eprintln!(
                    "{}: line {}{}: {}",
                    file.display(),
                    e.line,
                    e.column
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default(),
                    e.kind.message(crate::i18n::Lang::En)
                );
            }
            bail!(
                "the step template was not changed ({} errors)",
                errors.len()
            )
        }
    }
}

/// Refuses demo mode on a non-loopback address: anyone reaching it could sign in as any
/// persona, an administrator included.
pub fn check_demo_address(demo: bool, addr: SocketAddr) -> anyhow::Result<()> {
    if demo && !addr.ip().is_loopback() {
        bail!(
            "demo mode (KYODO_DEMO) is only allowed on a loopback address, not {addr}: anyone could sign in as any persona"
        );
    }
    Ok(())
}

/// Connections the kernel may hold for the server before it accepts them. tokio's
/// `TcpListener::bind` asks for 128: a burst of a thousand simultaneous connections (issue
/// #11's booking burst) overflowed it, and every refused SYN waited a second before the client
/// tried again. The kernel caps the number at `net.core.somaxconn` (4096 on current kernels).
pub const LISTEN_BACKLOG: u32 = 4096;

/// A TCP listener on `addr` with [`LISTEN_BACKLOG`] and `SO_REUSEADDR` (as tokio's `bind`
/// sets it), for Kyodo and for the benchmark's bare server.
/// Errors: the address is taken or cannot be bound.
pub fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Whether the build named its JS, wasm and CSS files by their content: cargo-leptos
/// (`hash-files` in `Cargo.toml`) then writes their hashes to `hash.txt` beside the server
/// binary, where Leptos reads them to name the files in each page, and the site's `pkg/`
/// holds `kyodo.<hash>.css`. Plain names are used when `hash.txt` is missing (a test binary,
/// a binary copied without it) or names a stylesheet the site does not have (a warning: pages
/// would name files nobody serves).
fn build_files_hashed(options: &LeptosOptions) -> bool {
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)))
        .and_then(|file| std::fs::read_to_string(file).ok());
    let Some(hashes) = hashes else {
        return false;
    };
    let css = hashes
        .lines()
        .find_map(|line| line.strip_prefix("css:"))
        .map(|hash| format!("{}.{}.css", options.output_name, hash.trim()));
    let pkg = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    match css {
        Some(css) if pkg.join(&css).is_file() => true,
        _ => {
            tracing::warn!(
                "hash.txt beside the binary names files that {} does not have: using plain names",
                pkg.display()
            );
            false
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM (service managers and scripts stop Kyodo with SIGTERM).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

fn tracing_subscriber_init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        // SurrealDB's background tasks report their cancellation at every exit as an error.
        tracing_subscriber::EnvFilter::new(
            "info,surrealdb=warn,surrealkv=warn,surrealdb_core::kvs::tasks=off",
        )
    });
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_mode_refuses_non_loopback_addresses() {
        assert!(check_demo_address(true, "127.0.0.1:3000".parse().unwrap()).is_ok());
        assert!(check_demo_address(true, "[::1]:3000".parse().unwrap()).is_ok());
        let err = check_demo_address(true, "0.0.0.0:3000".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        assert!(check_demo_address(true, "192.168.1.10:80".parse().unwrap()).is_err());
        assert!(check_demo_address(false, "0.0.0.0:3000".parse().unwrap()).is_ok());
    }
}
