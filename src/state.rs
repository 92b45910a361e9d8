//! What every handler receives: settings, the clock, the pool, the writer,
//! templates, the survey catalog and the mailer, shared by all workers. Its
//! own module, so that handlers and use cases need nothing from `startup`.

use actix_web::web;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db::writer::Writer;
use crate::db::DbPool;
use crate::email::Mailer;
use crate::templates::Templates;

/// Everything a handler needs, shared by all workers.
pub struct AppState {
    pub settings: Settings,
    /// What time it is, for every rule that asks (a copy of `settings.clock`).
    pub clock: crate::clock::Clock,
    pub public_base: String,
    pub pool: DbPool,
    pub writer: Writer,
    pub templates: Templates,
    pub catalog: Catalog,
    pub mailer: Mailer,
    /// The two offices that hear complaints (checked `[offices]`).
    pub offices: crate::config::Offices,
    /// Who gets the monthly ledger (checked `email.ledger_recipients`).
    pub ledger_recipients: Vec<crate::domain::account::Email>,
    /// The line for analyses on the staff pages: one at a time, a few waiting, then 503.
    pub analysis_queue: crate::analysis::queue::AnalysisQueue,
    /// Every Argon2 hash or check runs through it, a few at once.
    pub hash_gate: crate::auth::hashing::HashGate,
    /// Requests forwarded by a proxy that `trusted_proxies` does not list (shown on `/healthz`).
    pub forwarded_watch: crate::auth::client_addr::ForwardedWatch,
}

pub type State = web::Data<AppState>;
