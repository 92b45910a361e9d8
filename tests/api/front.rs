//! The front page at `/`, and the links the CLI prints: they start with `public_url`.

use crate::helpers::{html_of, spawn_app, TestApp};

#[tokio::test]
async fn the_front_page_says_what_this_is_and_where_to_turn() {
    let app = spawn_app().await;
    let resp = app.get("/").await;
    assert_eq!(resp.status(), 200);
    let html = html_of(resp).await;
    assert!(html.contains("<h1>课后服务需求调查平台</h1>"), "{html}");
    // The complaint channel and the typical cases come from their own module; here
    // only the links are checked, not what they lead to.
    for href in ["/feedback", "/cases", "/login"] {
        assert!(
            html.contains(&format!("href=\"{href}\"")),
            "no link to {href}"
        );
    }
    assert!(!html.contains("<script"), "the front page runs no script");
    // The staff sign-in it links to answers.
    assert_eq!(app.get("/login").await.status(), 200);
}

/// Runs `args` with the CLI, `public_url` coming from `file` (a settings file) and
/// `env` (SURVEY_PUBLIC_URL), either of them absent.
fn cli_with_public_url(
    app: &TestApp,
    file: Option<&str>,
    env: Option<&str>,
    args: &[&str],
) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kehou-survey"));
    if let Some(url) = file {
        let path = app.temp_path("settings.toml");
        std::fs::write(&path, format!("public_url = \"{url}\"\nport = 8123\n")).unwrap();
        cmd.arg("--config").arg(path);
    }
    cmd.args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("SURVEY_DIR", &app.survey_dir)
        .env("SURVEY_CLOCK", app.clock.to_rfc3339())
        .env("RUST_LOG", "warn")
        .env_remove("SURVEY_PUBLIC_URL")
        .env_remove("SURVEY_HOST")
        .env_remove("SURVEY_PORT");
    if let Some(url) = env {
        cmd.env("SURVEY_PUBLIC_URL", url);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn printed_links_start_with_the_public_url_from_the_settings() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    let from_file =
        cli_with_public_url(&app, Some("https://survey.example.cn/"), None, &["rounds"]);
    assert!(
        from_file.contains(&format!("https://survey.example.cn/s/{slug}")),
        "{from_file}"
    );
    let from_env = cli_with_public_url(
        &app,
        Some("https://survey.example.cn"),
        Some("https://kehou.example.edu.cn"),
        &["rounds"],
    );
    assert!(
        from_env.contains(&format!("https://kehou.example.edu.cn/s/{slug}")),
        "the environment wins over the file: {from_env}"
    );
    // Unset: the address the server listens on, as before.
    let unset = cli_with_public_url(&app, None, None, &["rounds"]);
    assert!(
        unset.contains(&format!("http://127.0.0.1:8080/s/{slug}")),
        "{unset}"
    );

    // The letters and QR codes written to a folder carry the same address.
    let dir = app.temp_path("letters");
    let round_arg = round.to_string();
    cli_with_public_url(
        &app,
        Some("https://survey.example.cn"),
        None,
        &[
            "letters",
            "--round",
            &round_arg,
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    let letter = std::fs::read_to_string(dir.join("3505820001.letter.html")).unwrap();
    assert!(
        letter.contains(&format!("https://survey.example.cn/s/{slug}")),
        "{letter}"
    );
    assert!(!letter.contains("127.0.0.1"), "{letter}");
}
