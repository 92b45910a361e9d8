//! Every migration's `down.sql` undoes its `up.sql`: a new database, with a row in it, goes
//! all the way down to empty and up again, on both backends.

use diesel::connection::SimpleConnection;
use kehou_survey::db;

use crate::helpers::{backend, fresh_database};

#[test]
fn every_migration_goes_down_and_up_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, _pg) = fresh_database(&dir);
    let mut conn = db::establish(&url).expect("database");
    db::run_migrations(&mut conn).expect("every up.sql runs");
    conn.batch_execute(
        "INSERT INTO townships (name, kind, sort_order) VALUES ('青阳街道', '街道', 1)",
    )
    .expect("a row");
    let undone = db::revert_all_migrations(&mut conn).expect("every down.sql runs");
    let folder = format!("{}/migrations/{}", env!("CARGO_MANIFEST_DIR"), backend());
    let shipped = std::fs::read_dir(folder).expect("migrations").count();
    assert_eq!(undone, shipped, "every migration was undone");
    assert!(
        conn.batch_execute("SELECT 1 FROM townships").is_err(),
        "no table is left"
    );
    db::run_migrations(&mut conn).expect("every up.sql runs again");
    conn.batch_execute("SELECT codes_required FROM rounds")
        .expect("the newest column is back");
    conn.batch_execute("SELECT due_at FROM complaints; SELECT sha256 FROM case_files")
        .expect("the newest tables are back");
}
