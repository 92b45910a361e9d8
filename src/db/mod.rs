//! Storage: one connection type for SQLite and PostgreSQL, the pool, migrations,
//! and the queries the rest of the app uses. Nothing here knows about HTTP.

pub mod account_tokens;
pub mod analysis;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod class_sessions;
pub mod codes;
pub mod complaints;
pub mod counter_columns;
pub mod counting;
pub mod counts;
pub mod ledger;
pub mod paper;
pub mod paper_entries;
pub mod plans;
pub mod rate;
pub mod responses;
pub mod retention;
pub mod rounds;
pub mod scans;
pub mod schema;
pub mod schools;
pub mod sessions;
pub mod setup;
pub mod stats;
pub mod supplements;
pub mod survey_heads;
pub mod surveys;
pub mod townships;
pub mod users;
pub mod versions;
pub mod writer;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. `DATABASE_URL` decides which: a
/// `postgres://` URL is PostgreSQL, anything else is an SQLite file path.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    // SQLite accepts any path, so it must come last (diesel's advice).
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// SQLite settings applied to every connection.
///
/// `synchronous = FULL` in WAL mode syncs the WAL on every commit, so a
/// committed response survives power loss; the group-commit writer makes
/// that affordable by committing many responses per fsync.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000;";

#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        configure(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn configure(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute(SQLITE_PRAGMAS),
        // Times are UTC everywhere in the application and the columns are timestamptz: the
        // session must be in UTC whatever the database's default (diesel sets it on
        // connecting too; this keeps it so if that ever changes).
        DbConnection::Pg(c) => c.batch_execute("SET TIME ZONE 'UTC'"),
    }
}

/// Opens one connection, picking the backend from the URL.
pub fn establish(url: &str) -> anyhow::Result<DbConnection> {
    let mut conn = if is_postgres_url(url) {
        DbConnection::Pg(PgConnection::establish(url).context("connecting to PostgreSQL")?)
    } else {
        ensure_parent_dir(url)?;
        DbConnection::Sqlite(
            SqliteConnection::establish(url)
                .with_context(|| format!("opening SQLite database {url}"))?,
        )
    };
    configure(&mut conn).context("configuring the connection")?;
    Ok(conn)
}

fn ensure_parent_dir(path: &str) -> anyhow::Result<()> {
    let path = path.strip_prefix("sqlite://").unwrap_or(path);
    if path == ":memory:" || is_postgres_url(path) {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the database folder {}", dir.display()))?;
        }
    }
    Ok(())
}

/// Whether an insert that claims something once (a month's ledger, a day's overdue mail)
/// won: `false` when the row was already there, by this instance or another.
pub fn claimed(inserted: QueryResult<usize>) -> QueryResult<bool> {
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A transaction for work that reads before it writes. On SQLite it begins `IMMEDIATE`,
/// taking the write lock at once and waiting for it under `busy_timeout`: a deferred one
/// would read on a snapshot, and when another connection (a session, an audit row, a rate
/// event, a fold) commits before its first write, SQLite refuses that write at once with
/// SQLITE_BUSY_SNAPSHOT, which no timeout waits out. On PostgreSQL, an ordinary transaction.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Ansi = AnsiTransactionManager;
    fn on_sqlite(
        conn: &mut DbConnection,
        g: impl FnOnce(&mut SqliteConnection) -> QueryResult<()>,
    ) -> QueryResult<()> {
        match conn {
            DbConnection::Sqlite(c) => g(c),
            DbConnection::Pg(_) => Ok(()),
        }
    }
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return conn.transaction(f);
    }
    on_sqlite(conn, |c| Ansi::begin_transaction_sql(c, "BEGIN IMMEDIATE"))?;
    // The inner connection keeps the transaction's state, so a `transaction` inside `f` is a
    // savepoint, as in any other transaction.
    match f(conn) {
        Ok(value) => {
            on_sqlite(conn, Ansi::commit_transaction)?;
            Ok(value)
        }
        Err(e) => match on_sqlite(conn, Ansi::rollback_transaction) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// PostgreSQL advisory lock key held while setting up ("kehou" in ASCII).
const SETUP_LOCK: i64 = 0x006b_6568_6f75;

/// Runs start-up work (migrations, reference data, survey versions) so that
/// several app instances starting at once against one PostgreSQL database do
/// it one after another: a session-level advisory lock lets one work while
/// the others wait, then find nothing left to do. SQLite serialises writers
/// itself.
pub fn with_setup_lock<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let pg = matches!(conn, DbConnection::Pg(_));
    if pg {
        conn.batch_execute(&format!("SELECT pg_advisory_lock({SETUP_LOCK})"))
            .context("taking the set-up lock")?;
    }
    let result = f(conn);
    if pg {
        conn.batch_execute(&format!("SELECT pg_advisory_unlock({SETUP_LOCK})"))
            .context("releasing the set-up lock")?;
    }
    result
}

/// Applies pending migrations for whichever backend `conn` is.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let applied = match conn {
        DbConnection::Sqlite(c) => names(c.run_pending_migrations(SQLITE_MIGRATIONS))?,
        DbConnection::Pg(c) => names(c.run_pending_migrations(POSTGRES_MIGRATIONS))?,
    };
    for m in applied {
        tracing::info!(migration = %m, "applied migration");
    }
    Ok(())
}

/// Undoes every migration with its `down.sql`, newest first (the migration round-trip test
/// runs this, then `run_migrations` again). Returns how many were undone.
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let undone = match conn {
        DbConnection::Sqlite(c) => names(c.revert_all_migrations(SQLITE_MIGRATIONS))?,
        DbConnection::Pg(c) => names(c.revert_all_migrations(POSTGRES_MIGRATIONS))?,
    };
    Ok(undone.len())
}

type MigrationResult<'a> =
    Result<Vec<diesel::migration::MigrationVersion<'a>>, Box<dyn std::error::Error + Send + Sync>>;

fn names(r: MigrationResult<'_>) -> anyhow::Result<Vec<String>> {
    r.map(|v| v.iter().map(|m| m.to_string()).collect())
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"))
}

/// Builds the pool; the database must already be migrated.
pub fn build_pool(url: &str, max_size: u32) -> anyhow::Result<DbPool> {
    ensure_parent_dir(url)?;
    let manager = ConnectionManager::<DbConnection>::new(url);
    Pool::builder()
        .max_size(max_size)
        .connection_customizer(Box::new(ConnectionSetup))
        .build(manager)
        .context("building the connection pool")
}
