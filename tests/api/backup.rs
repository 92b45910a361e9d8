//! `backup` copies the SQLite database while the server takes
//! submissions; the copy holds every response acknowledged before the backup
//! began, and `restore` brings it back — refused while a server uses the
//! database. On PostgreSQL the commands print the pg_dump procedure.

use std::sync::{Arc, Mutex};

use crate::crash::{check_store, integrity_check, start_load, Load};
use crate::helpers::{backend, encode, spawn_app, valid_needs_answers, with_meta};
use crate::process::ServerProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_every_earlier_acknowledgement() {
    let app = spawn_app().await;
    let file = app.temp_path("backup.db");
    let file = file.to_str().unwrap();
    if backend() != "sqlite" {
        let out = app.cli(&["backup", "--out", file]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump --format=custom"));
        return;
    }
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let school = app.school_id("3505820001");
    let stop = Arc::new(Mutex::new(false));
    let running = start_load(&app.address, &slug, stop.clone());
    running.wait_for_acks(50).await;
    let before = running.seen.lock().unwrap().acked.clone();
    let out = tokio::task::block_in_place(|| app.cli(&["backup", "--out", file]));
    let acked_after = running.acked();
    *stop.lock().unwrap() = true;
    let load = running.finish().await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        acked_after > before.len(),
        "the server took no submission during the backup"
    );

    // A server is using the database: restore refuses and changes nothing.
    let refused = app.cli(&["restore", "--from", file]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop the server"));
    let all = Load {
        sent: load.sent.clone(),
        acked: load.acked.clone(),
        refused: 0,
    };
    check_store(&mut app.conn(), round, school, &all);

    // Restored elsewhere (twice: onto nothing, then over a stopped database),
    // the copy is sound and holds every response acknowledged before it began.
    let restored = app.temp_path("restored/survey.db");
    let restored = restored.to_str().unwrap();
    for _ in 0..2 {
        app.cli_ok(&["--database-url", restored, "restore", "--from", file]);
        assert_eq!(integrity_check(restored), "ok");
        let earlier = Load {
            sent: load.sent.clone(),
            acked: before.clone(),
            refused: 0,
        };
        let rows = check_store(
            &mut kehou_survey::db::establish(restored).unwrap(),
            round,
            school,
            &earlier,
        );
        println!(
            "backup under load: {} acknowledged before it began, {rows} in the copy, {} acknowledged during it, 0 lost",
            before.len(),
            acked_after - before.len()
        );
        // The server runs on the restored database and takes submissions.
        let server = ServerProcess::start(restored).await;
        let key = "RESTORED0000000000000000AA";
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{}/s/{slug}", server.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encode(&with_meta(key, &valid_needs_answers())))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        drop(server);
    }
    let kept = std::fs::read_dir(app.temp_path("restored"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.contains(".before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .count();
    assert_eq!(
        kept, 1,
        "the replaced database is kept beside the restored one"
    );
}
