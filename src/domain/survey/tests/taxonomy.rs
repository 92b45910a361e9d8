//! Tests of the shipped taxonomy and the taxonomy linter.

use super::super::*;
use super::taxonomy;

#[test]
fn shipped_taxonomy_is_science_first_with_plan_subcategories() {
    let tax = taxonomy();
    let ids: Vec<&str> = tax.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "science",
            "sports",
            "arts",
            "reading",
            "homework",
            "labor",
            "rural_local",
            "heritage",
            "psychology",
            "study_tour"
        ]
    );
    let science = tax.category("science").unwrap();
    assert_eq!(science.name, "科学教育");
    let subs: Vec<&str> = science
        .subcategories
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        subs,
        [
            "science.lecture",
            "science.experiment",
            "science.creation",
            "science.maker",
            "science.observation"
        ]
    );
    for c in &tax {
        assert!((2..=6).contains(&c.subcategories.len()), "{}", c.id);
    }
}

#[test]
fn lookups() {
    let tax = taxonomy();
    assert!(tax.contains("science"));
    assert!(tax.contains("science.maker"));
    assert!(!tax.contains("science.cooking"));
    assert!(!tax.contains("sciense"));
    assert!(!tax.contains(""));
    assert_eq!(
        tax.category_of("rural_local.farm").unwrap().id,
        "rural_local"
    );
    assert_eq!(tax.category_of("arts").unwrap().name, "艺术素养");
    assert!(tax.category_of("arts.farm").is_none());
    assert_eq!(tax.name_of("science.observation"), Some("观测研究"));
    assert_eq!(tax.name_of("homework"), Some("作业辅导"));
    assert_eq!(
        tax.subcategory("reading.speech").unwrap().name,
        "演讲与主持"
    );
}

#[test]
fn iteration_follows_order_not_file_order() {
    let src = r#"
[[categories]]
id = "b"
name = "乙"
order = 2
[[categories]]
id = "a"
name = "甲"
order = 1
"#;
    let tax = Taxonomy::parse(src).unwrap();
    let ids: Vec<&str> = tax.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn taxonomy_lint_reports_every_problem() {
    let src = r#"[[categories]]
id = "science"
name = "科学"
order = 1
[[categories.subcategories]]
id = "sports.ball"
name = ""
[[categories]]
id = "science"
name = "重复"
order = 1
[[categories]]
id = "Art"
name = "艺术"
order = 3
"#;
    let errs: Vec<String> = Taxonomy::parse(src)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        [
            "6:6: sub-category id \"sports.ball\" must be \"science.<name>\" with <name> matching [a-z][a-z0-9_]*",
            "7:8: sub-category \"sports.ball\" has an empty name",
            "9:6: duplicate category id \"science\" (first defined at line 2)",
            "11:9: duplicate order 1 (first used at line 4)",
            "13:6: category id \"Art\" must match [a-z][a-z0-9_]*",
        ]
    );
}

#[test]
fn taxonomy_syntax_and_unknown_field_errors_are_located() {
    let errs =
        Taxonomy::parse("[[categories]]\nid = \"a\"\nname = \"甲\"\norder = 1\ncolour = \"red\"\n")
            .unwrap_err();
    assert_eq!((errs[0].line, errs[0].column), (5, 1));
    assert!(errs[0].message.contains("colour"), "{}", errs[0].message);
    let errs = Taxonomy::parse("[[categories]\n").unwrap_err();
    assert_eq!(errs[0].line, 1);
    assert!(errs[0].message.starts_with("TOML"));
}
