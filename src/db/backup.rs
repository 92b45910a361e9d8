//! Online backup and restore of the SQLite database file. PostgreSQL is
//! backed up with its own tools (`pg_dump`/`pg_restore`, see README).
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the
//! database exactly as of one commit, while the writer keeps committing
//! (WAL lets readers and the writer run side by side). A restore replaces the
//! file only when no other process has the database open.

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::responses;

/// What a checked copy holds.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub responses: i64,
    pub bytes: u64,
}

/// The file an SQLite `DATABASE_URL` names.
pub fn sqlite_file(url: &str) -> PathBuf {
    PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url))
}

/// Writes a consistent copy of the live database at `url` to `out` (a new
/// file), syncs it to disk and checks it.
pub fn backup(url: &str, out: &Path) -> anyhow::Result<Summary> {
    let src = sqlite_file(url);
    ensure!(src.is_file(), "no database at {}", src.display());
    ensure!(
        !out.exists(),
        "{} already exists: choose a new file name",
        out.display()
    );
    let target = out.to_str().context("the backup path must be UTF-8")?;
    let mut conn = SqliteConnection::establish(&src.to_string_lossy())
        .with_context(|| format!("opening {}", src.display()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    conn.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .with_context(|| format!("copying the database to {target}"))?;
    // VACUUM INTO does not sync its output; a backup must survive power loss too.
    sync_file_and_dir(out)?;
    check(out)
}

/// Checks that `file` is a sound database of this app: integrity, migrations
/// table, responses.
pub fn check(file: &Path) -> anyhow::Result<Summary> {
    ensure!(file.is_file(), "no file at {}", file.display());
    let mut conn = SqliteConnection::establish(&file.to_string_lossy())
        .with_context(|| format!("opening {}", file.display()))?;
    let verdict = integrity_check(&mut conn)
        .with_context(|| format!("{} is not an SQLite database", file.display()))?;
    ensure!(
        verdict == "ok",
        "{} is damaged (integrity_check: {verdict})",
        file.display()
    );
    let responses = responses::table
        .count()
        .get_result(&mut conn)
        .with_context(|| format!("{} is not a kehou-survey database", file.display()))?;
    Ok(Summary {
        responses,
        bytes: std::fs::metadata(file)?.len(),
    })
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    v: String,
}

/// `PRAGMA integrity_check`, its lines joined ("ok" when sound).
pub fn integrity_check(conn: &mut SqliteConnection) -> QueryResult<String> {
    let rows = diesel::sql_query("SELECT integrity_check AS v FROM pragma_integrity_check()")
        .load::<Row>(conn)?;
    Ok(rows.into_iter().map(|r| r.v).collect::<Vec<_>>().join("; "))
}

/// Replaces the database at `url` with the backup `from`. Refuses while
/// another process (a running server) has the database open; the database
/// it replaces is kept beside it as `<name>.before-restore-<time>`.
/// Returns the summary of the restored file and where the old one went.
pub fn restore(
    url: &str,
    from: &Path,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<(Summary, Option<PathBuf>)> {
    let backup = check(from)?;
    let target = sqlite_file(url);
    let kept = if target.exists() {
        take_out_of_service(&target, now)?
    } else {
        None
    };
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = with_suffix(&target, ".restoring");
    std::fs::copy(from, &partial)
        .with_context(|| format!("copying {} to {}", from.display(), partial.display()))?;
    sync_file_and_dir(&partial)?;
    std::fs::rename(&partial, &target)?;
    sync_file_and_dir(&target)?;
    let restored = check(&target)?;
    ensure!(
        restored.responses == backup.responses,
        "the restored copy differs"
    );
    Ok((restored, kept))
}

/// Makes sure no other process uses the database, folds its WAL into it and
/// moves it aside. A server holds a shared lock on the file for as long as it
/// runs; the exclusive lock asked for here is then refused at once.
fn take_out_of_service(
    target: &Path,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<Option<PathBuf>> {
    let mut conn = SqliteConnection::establish(&target.to_string_lossy())
        .with_context(|| format!("opening {}", target.display()))?;
    let locked = conn.batch_execute(
        "PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; \
         BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master; COMMIT;",
    );
    if let Err(e) = locked {
        bail!(
            "{} is in use ({e}): stop the server, then restore",
            target.display()
        );
    }
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    drop(conn);
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let kept = with_suffix(target, &format!(".before-restore-{stamp}"));
    std::fs::rename(target, &kept)?;
    for side in ["-wal", "-shm"] {
        let file = with_suffix(target, side);
        if file.exists() {
            // A WAL belongs with its database: keep it under the new name.
            std::fs::rename(&file, with_suffix(&kept, side))?;
        }
    }
    Ok(Some(kept))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn sync_file_and_dir(file: &Path) -> anyhow::Result<()> {
    std::fs::File::open(file)?.sync_all()?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
