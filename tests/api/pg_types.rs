//! PostgreSQL's native types: every instant is a `timestamptz`, and the application's
//! UTC times survive a database whose default time zone is China's (every connection works in
//! UTC: diesel sets it on connecting, and `db::configure` sets it again).
//! Runs on PostgreSQL only.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::helpers::{backend, spawn_app, valid_needs_answers};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Seconds {
    #[diesel(sql_type = BigInt)]
    secs: i64,
}

#[tokio::test]
async fn instants_are_timestamptz_and_stay_utc_in_any_time_zone() {
    if backend() != "postgres" {
        println!("skipped pg_types: set TEST_DATABASE_URL to run the PostgreSQL checks");
        return;
    }
    let app = spawn_app().await;
    let mut conn = app.conn();
    let plain: Vec<Name> = diesel::sql_query(
        "SELECT table_name || '.' || column_name AS name FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '__diesel%' \
         AND data_type = 'timestamp without time zone'",
    )
    .load(&mut conn)
    .unwrap();
    let plain: Vec<String> = plain.into_iter().map(|n| n.name).collect();
    assert!(
        plain.is_empty(),
        "columns still without time zone: {plain:?}"
    );

    // The database's default time zone is China's; connections made from now on still agree
    // with the application's UTC clock.
    diesel::sql_query(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = ''Asia/Shanghai''', \
         current_database()); END $$",
    )
    .execute(&mut conn)
    .unwrap();
    drop(conn);
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    app.submit(&slug, &valid_needs_answers()).await;
    let mut fresh = kehou_survey::db::establish(&app.db_url).unwrap();
    let zone: Name = diesel::sql_query("SELECT current_setting('TimeZone') AS name")
        .get_result(&mut fresh)
        .unwrap();
    assert_eq!(zone.name, "UTC", "every connection works in UTC");
    // The database's own default really is China's now.
    let default: Name = diesel::sql_query(
        "SELECT array_to_string(setconfig, ',') AS name FROM pg_db_role_setting \
         JOIN pg_database d ON d.oid = setdatabase WHERE d.datname = current_database()",
    )
    .get_result(&mut fresh)
    .unwrap();
    assert_eq!(default.name, "TimeZone=Asia/Shanghai");
    // Written by the writer, and by the `publish` command on a connection made after the change.
    // Both are stamped by the app's clock, here a fixed UTC instant.
    let now = app.clock.now();
    for sql in [
        "SELECT abs(extract(epoch FROM ($1::timestamptz - submitted_at)))::bigint AS secs FROM responses",
        "SELECT abs(extract(epoch FROM ($1::timestamptz - created_at)))::bigint AS secs FROM rounds",
    ] {
        let off: Seconds = diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(format!("{now}+00"))
            .get_result(&mut fresh)
            .unwrap();
        assert_eq!(off.secs, 0, "stored time is off by {} s: {sql}", off.secs);
    }
    let stored: chrono::NaiveDateTime = kehou_survey::db::schema::responses::table
        .select(kehou_survey::db::schema::responses::submitted_at)
        .first(&mut fresh)
        .unwrap();
    assert_eq!(
        stored, now,
        "read back {stored}, not the clock's {now} (UTC)"
    );
}
