//! The layers stay apart: handlers call use cases (never the database), the
//! domain knows no web framework or database, the storage layer knows no
//! handler or use case, and no source file grows past what a reader takes in.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("source folder") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// Every (file, line) under `dir` that mentions one of `forbidden`.
fn offences(dir: &str, forbidden: &[&str]) -> Vec<String> {
    sources(dir)
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path).expect("source file");
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//"))
                .filter(|(_, l)| forbidden.iter().any(|f| l.contains(f)))
                .map(|(i, l)| format!("{}:{}: {}", path.display(), i + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn handlers_call_use_cases_never_the_database() {
    let found = offences("routes", &["diesel::", "crate::db", "use diesel"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_domain_knows_no_web_framework_database_or_outer_layer() {
    let found = offences(
        "domain",
        &[
            "actix",
            "diesel",
            "crate::db",
            "crate::routes",
            "crate::app",
            "crate::startup",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn storage_knows_no_handler_use_case_or_catalog() {
    let found = offences(
        "db",
        &[
            "crate::routes",
            "crate::app",
            "crate::catalog",
            "crate::startup",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn use_cases_know_no_handler() {
    let found = offences("app", &["crate::routes", "actix_web::HttpResponse"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn only_commands_import_startup() {
    let mut found = Vec::new();
    for dir in [
        "routes", "app", "auth", "analysis", "email", "publish", "views",
    ] {
        found.extend(offences(dir, &["crate::startup"]));
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_source_file_is_longer_than_a_reader_takes_in() {
    let long: Vec<String> = sources("")
        .into_iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).expect("source").lines().count();
            (n > 450).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}
