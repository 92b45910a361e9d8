//! Survey definitions: the linter's `file:line:column: message` report, and
//! a published round pinning the exact version it was published with.

use crate::helpers::{copy_survey_dir, spawn_app, spawn_app_with, survey_dir};

/// Four problems, at known positions: show_if referring to a later question
/// (12:24), an unknown category (17:12), a duplicate question id (20:6), and
/// a multi whose min is above its max (23:7).
const BROKEN: &str = r#"id = "broken"
title = "有问题的问卷"
kind = "needs"
letter = "尊敬的家长：{{学校}}"
consent = "我已阅读上述说明，自愿填写本问卷。"
closing = "提交成功。"

[[questions]]
id = "need"
title = "是否需要课后服务？"
type = "single"
show_if = { question = "later", any_of = ["x"] }

[[questions.options]]
id = "yes"
label = "需要"
category = "sciense"

[[questions]]
id = "need"
title = "重复的题号"
type = "multi"
min = 3
max = 2

[[questions.options]]
id = "a"
label = "甲"

[[questions.options]]
id = "b"
label = "乙"

[[questions.options]]
id = "c"
label = "丙"

[[questions]]
id = "later"
title = "后面的题目"
type = "single"

[[questions.options]]
id = "x"
label = "某项"
"#;

/// `(line, column, message)` of every `file:line:column: message` line.
fn lint_lines(stdout: &str, file: &str) -> Vec<(usize, usize, String)> {
    stdout
        .lines()
        .map(|l| {
            let rest = l
                .strip_prefix(&format!("{file}:"))
                .unwrap_or_else(|| panic!("not file:line:column: {l}"));
            let mut parts = rest.splitn(3, ':');
            let line = parts.next().unwrap().parse().expect("line number");
            let col = parts.next().unwrap().parse().expect("column number");
            let msg = parts.next().unwrap().trim_start().to_string();
            (line, col, msg)
        })
        .collect()
}

#[tokio::test]
async fn lint_reports_every_problem_with_its_position() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, BROKEN).unwrap();
    let file = file.to_str().unwrap();

    let out = app.cli(&["lint", file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = lint_lines(&stdout, file);
    let find = |needle: &str| {
        lines
            .iter()
            .find(|(_, _, m)| m.contains(needle))
            .unwrap_or_else(|| panic!("no “{needle}” in\n{stdout}"))
            .clone()
    };
    let (line, col, _) = find("unknown category \"sciense\"");
    assert_eq!((line, col), (17, 12), "at the value");
    let (line, col, msg) = find("duplicate question id \"need\"");
    assert_eq!((line, col), (20, 6), "at the repeated id");
    assert!(msg.contains("first defined at line 9"), "{msg}");
    let (line, col, msg) = find("refers to question \"later\" defined later");
    assert_eq!((line, col), (12, 24), "at the referred question");
    assert!(msg.contains("line 39"), "{msg}");
    let (line, col, _) = find("min (3) of question \"need\" is above max (2)");
    assert_eq!((line, col), (23, 7), "at the min");
    assert_eq!(lines.len(), 4, "exactly these problems:\n{stdout}");
    let positions: Vec<_> = lines.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert!(positions.is_sorted(), "sorted by position: {positions:?}");
    assert!(lines.iter().all(|(l, c, _)| *l >= 1 && *c >= 1));

    // Several files: the good ones say ok, the exit code is still 1.
    let good = survey_dir().join("after-school-needs.toml");
    let out = app.cli(&["lint", good.to_str().unwrap(), file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok (after-school-needs"), "{stdout}");
}

#[tokio::test]
async fn lint_of_the_shipped_folder_passes() {
    let app = spawn_app().await;
    let out = app.cli(&["lint"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ok (after-school-needs"));
    assert!(stdout.contains("ok (parent-satisfaction"));
}

#[tokio::test]
async fn a_round_keeps_the_version_it_was_published_with() {
    const OLD: &str = "您的孩子本学期是否需要参加学校课后服务？";
    const NEW: &str = "本学期您的孩子需要参加学校的课后服务吗？";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("surveys");
    copy_survey_dir(&dir);
    let app = spawn_app_with(|s| s.survey_dir = dir.clone()).await;
    app.import_standard_roster();
    let old_round = app.publish_in(&dir, "after-school-needs", "-1", "+30");
    let old_slug = app.slug(old_round, "3505820001");

    // The bureau edits the question's wording for the next round.
    let file = dir.join("after-school-needs.toml");
    let src = std::fs::read_to_string(&file).unwrap();
    assert!(src.contains(OLD));
    std::fs::write(&file, src.replace(OLD, NEW)).unwrap();
    assert!(app.cli_in(&dir, &["lint"]).status.success());

    // After a restart on the same database, the open round is unchanged.
    let restarted = app.second_app(|s| s.survey_dir = dir.clone());
    let (form, _) = restarted.open_form(&old_slug, None).await;
    assert!(form.contains(OLD), "the open round shows the old wording");
    assert!(!form.contains(NEW));

    // A round published after the edit shows the new wording, on both servers.
    let new_round = restarted.publish_in(&dir, "after-school-needs", "-1", "+30");
    let new_slug = restarted.slug(new_round, "3505820001");
    for server in [&restarted, &app] {
        let (form, _) = server.open_form(&new_slug, None).await;
        assert!(form.contains(NEW), "the new round shows the new wording");
        assert!(!form.contains(OLD));
    }

    // Responses are stored against the version of their round.
    let idem_old = restarted
        .submit(&old_slug, &crate::helpers::valid_needs_answers())
        .await;
    let idem_new = restarted
        .submit(&new_slug, &crate::helpers::valid_needs_answers())
        .await;
    let mut conn = app.conn();
    let mut hash = |idem: &str| {
        kehou_survey::db::responses::find_by_key(&mut conn, idem)
            .unwrap()
            .unwrap()
            .survey_hash
    };
    let (h_old, h_new) = (hash(&idem_old), hash(&idem_new));
    assert_ne!(h_old, h_new);
    let mut conn = app.conn();
    let mut round_hash = |r: i64| {
        kehou_survey::db::rounds::find(&mut conn, r)
            .unwrap()
            .unwrap()
            .survey_hash
    };
    assert_eq!(round_hash(old_round), h_old);
    assert_eq!(round_hash(new_round), h_new);
    assert_eq!(app.response_count(old_round), 1);
    assert_eq!(app.response_count(new_round), 1);
}
