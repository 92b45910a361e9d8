//! `Application::build`: database, migrations, reference data, the writer
//! thread and the HTTP server, bound to its own listener so that tests can ask
//! for port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db::writer::{Writer, WriterConfig};
use crate::db::{self, DbConnection};
use crate::email::Mailer;
use crate::error::AppError;
pub use crate::state::{AppState, State};
use crate::templates::Templates;

pub struct Application {
    port: u16,
    server: Server,
    state: Arc<AppState>,
}

/// Creates or migrates the database and loads the reference data (townships,
/// survey definitions). Safe to run on every start and from every command.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<DbConnection> {
    let mut conn = db::establish(&settings.database_url)?;
    let townships_csv = std::fs::read_to_string(settings.survey_dir.join("townships.csv"))
        .with_context(|| format!("reading {}/townships.csv", settings.survey_dir.display()))?;
    let list = db::townships::parse_csv(&townships_csv)?;
    db::with_setup_lock(&mut conn, |conn| {
        db::run_migrations(conn)?;
        let added = db::townships::seed(conn, &list).context("seeding townships")?;
        if added > 0 {
            tracing::info!(added, "townships loaded");
        }
        Ok(())
    })?;
    Ok(conn)
}

/// What the server's handlers share, and what a command that stores answers needs: the
/// migrated database, its pool, the one writer, the survey catalogue, templates and mail.
pub fn app_state(settings: Settings) -> anyhow::Result<AppState> {
    let mut conn = prepare_database(&settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    drop(conn);
    let writer = Writer::start(
        &settings.database_url,
        WriterConfig {
            queue_capacity: settings.queue_capacity,
            max_batch: settings.max_batch,
        },
        catalog.versions(),
    )?;
    let pool = db::build_pool(&settings.database_url, settings.pool_size)?;
    Ok(AppState {
        public_base: settings.public_base(),
        templates: Templates::new()?,
        mailer: Mailer::from_settings(&settings.email)?,
        // Checked at start, so that a mistyped address stops the server, not the ledger.
        ledger_recipients: crate::email::ledger::recipients(&settings.email.ledger_recipients)?,
        offices: settings.offices.check()?,
        analysis_queue: Default::default(),
        hash_gate: crate::auth::hashing::HashGate::for_this_machine()?,
        forwarded_watch: Default::default(),
        clock: settings.clock.clone(),
        settings,
        pool,
        writer,
        catalog,
    })
}

impl Application {
    pub fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .with_context(|| format!("binding {}:{}", settings.host, settings.port))?;
        let port = listener.local_addr()?.port();
        let mut settings = settings;
        settings.port = port;
        let state = Arc::new(app_state(settings)?);
        let data = web::Data::from(state.clone());
        if state.settings.trusted_proxies.is_empty() {
            tracing::info!(
                "per-address limits count each connection's own address; behind a reverse proxy,                  list it in trusted_proxies (a warning follows the first request it forwards)"
            );
        } else {
            tracing::info!(trusted_proxies = ?state.settings.trusted_proxies, "X-Forwarded-For believed from these proxies only");
        }
        let workers = match state.settings.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let https = state.public_base.starts_with("https://");
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                // The parser's own words are English and technical: they go to the log,
                // the person reads what to do.
                .app_data(web::QueryConfig::default().error_handler(|e, req| {
                    tracing::debug!(path = req.path(), error = %e, "query string refused");
                    AppError::BadRequest(
                        "链接中的参数有误，请回到上一页，点页面上的链接重新打开。".into(),
                    )
                    .into()
                }))
                .app_data(web::PathConfig::default().error_handler(|e, req| {
                    tracing::debug!(path = req.path(), error = %e, "path refused");
                    AppError::BadRequest("链接有误，请回到上一页，点页面上的链接重新打开。".into())
                        .into()
                }))
                .wrap(middleware::Compress::default())
                .wrap(crate::routes::security_headers(https))
                .wrap(middleware::from_fn(crate::routes::metrics::track))
                .configure(crate::routes::configure)
        })
        .workers(workers)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Retention: purge rounds past their date at start, then daily.
        let pool = self.state.pool.clone();
        let versions = self.state.catalog.versions();
        let clock = self.state.clock.clone();
        let daily = async move {
            loop {
                let (pool, versions, now) = (pool.clone(), versions.clone(), clock.now());
                let run = web::block(move || db::retention::run_logged(&pool, &versions, now));
                if let Err(e) = run.await {
                    tracing::error!(error = %e, "retention task failed");
                }
                tokio::time::sleep(std::time::Duration::from_secs(24 * 60 * 60)).await;
            }
        };
        // The monthly ledger and the overdue mail: checked hourly, each sent once per month or
        // day by one instance.
        let state = self.state.clone();
        let hourly = async move {
            loop {
                let (to, now) = (&state.ledger_recipients, state.clock.now());
                let low = state.settings.analysis.low_rate_percent;
                match crate::email::ledger::send_if_due(&state.pool, &state.mailer, to, now, low)
                    .await
                {
                    Ok(Some(month)) => tracing::info!(%month, "monthly ledger sent"),
                    Ok(None) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "monthly ledger not sent; retrying in an hour")
                    }
                }
                // Overdue rectifications: one mail a day, by one instance.
                match crate::app::overdue::send_if_due(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(mails = n, "overdue rectification mail sent"),
                    Err(e) => {
                        tracing::error!(error = %e, "overdue rectification mail not sent; retrying in an hour")
                    }
                }
                tokio::time::sleep(std::time::Duration::from_secs(60 * 60)).await;
            }
        };
        tokio::select! {
            done = self.server => done,
            () = daily => Ok(()),
            () = hourly => Ok(()),
        }
    }
}
