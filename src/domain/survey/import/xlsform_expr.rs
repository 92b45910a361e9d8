//! The two kinds of XLSForm expression a survey definition can express: a numeric range in
//! `constraint` (`. >= 0 and . <= 10`) and display logic in `relevant` that asks whether one
//! earlier choice question has one of some answers (`${q} = 'x' or selected(${q}, 'y')`).

/// What a `relevant` expression comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relevant {
    /// Shown when question `question` has any of `values`.
    Any {
        question: String,
        values: Vec<String>,
    },
    /// Cannot be expressed, and why (Chinese).
    Unsupported(&'static str),
}

/// Splits on a keyword surrounded by spaces (`and`, `or`), ignoring case.
fn split_word<'a>(s: &'a str, word: &str) -> Vec<&'a str> {
    let lower = s.to_ascii_lowercase();
    let needle = format!(" {word} ");
    let mut parts = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let at = from + i;
        parts.push(&s[start..at]);
        start = at + needle.len();
        from = start;
    }
    parts.push(&s[start..]);
    parts
}

/// Removes one pair of enclosing parentheses, repeatedly.
fn unwrap_parens(mut s: &str) -> &str {
    loop {
        let t = s.trim();
        if t.starts_with('(') && t.ends_with(')') && balanced(&t[1..t.len() - 1]) {
            s = &t[1..t.len() - 1];
        } else {
            return t;
        }
    }
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `${name}` → `name`.
fn reference(s: &str) -> Option<String> {
    let name = s.trim().strip_prefix("${")?.strip_suffix('}')?.trim();
    (!name.is_empty() && !name.contains(['{', '}', '$'])).then(|| name.to_string())
}

/// `'x'`, `"x"` or a bare number → `x`.
fn literal(s: &str) -> Option<String> {
    let t = s.trim();
    for q in ['\'', '"'] {
        if let Some(v) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return (!v.contains(q)).then(|| v.to_string());
        }
    }
    (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())).then(|| t.to_string())
}

/// One comparison: `${q} = 'x'` or `selected(${q}, 'x')`.
fn condition(s: &str) -> Option<(String, String)> {
    let t = unwrap_parens(s);
    if let Some(args) = t
        .strip_prefix("selected")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
    {
        let (q, v) = args.split_once(',')?;
        return Some((reference(q)?, literal(v)?));
    }
    if t.contains("!=") || t.contains("<=") || t.contains(">=") {
        return None;
    }
    let (q, v) = t.split_once('=')?;
    Some((reference(q)?, literal(v)?))
}

/// Reads a `relevant` expression.
pub fn parse_relevant(expr: &str) -> Relevant {
    let expr = unwrap_parens(expr);
    if split_word(expr, "and").len() > 1 {
        return Relevant::Unsupported(
            "本平台的显示条件只能依据一道题，不支持用“and”同时满足几个条件",
        );
    }
    if expr.to_ascii_lowercase().starts_with("not") {
        return Relevant::Unsupported("本平台不支持“not”（不等于、未选）这样的条件");
    }
    let mut question: Option<String> = None;
    let mut values = Vec::new();
    for part in split_word(expr, "or") {
        let Some((q, v)) = condition(part) else {
            return Relevant::Unsupported(
                "只能转换“${题目} = '选项'”或“selected(${题目}, '选项')”这样的条件",
            );
        };
        if question.as_ref().is_some_and(|known| *known != q) {
            return Relevant::Unsupported("用“or”连接的条件必须都依据同一道题");
        }
        question = Some(q);
        if !values.contains(&v) {
            values.push(v);
        }
    }
    match question {
        Some(question) => Relevant::Any { question, values },
        None => Relevant::Unsupported("条件是空的"),
    }
}

/// Reads a numeric range (`. >= 0 and . <= 10`, `. > 0`, `.<=99`) into whole-number bounds;
/// `None` when any part of it is something else.
pub fn parse_constraint(expr: &str) -> Option<(Option<i64>, Option<i64>)> {
    let (mut min, mut max) = (None, None);
    for part in split_word(unwrap_parens(expr), "and") {
        let t: String = unwrap_parens(part).split_whitespace().collect();
        let rest = t.strip_prefix('.')?;
        let (op, number) = ["<=", ">=", "<", ">"]
            .iter()
            .find_map(|op| rest.strip_prefix(op).map(|n| (*op, n)))?;
        let n: f64 = number.parse().ok()?;
        if !n.is_finite() || n.abs() > 1e12 {
            return None;
        }
        let whole = |v: f64| v as i64;
        match op {
            ">=" => min = Some(whole(n.ceil())),
            ">" => min = Some(whole(n.floor()) + 1),
            "<=" => max = Some(whole(n.floor())),
            _ => max = Some(whole(n.ceil()) - 1),
        }
    }
    Some((min, max))
}

/// The upper end of a number question's range when the form gives none.
const DEFAULT_MAX: i64 = 9999;

/// A number question's whole-number range from its `constraint` (`None` when the range is
/// empty), and what the bureau should know about it.
pub fn number_range(constraint: &str) -> (Option<(i64, i64)>, Vec<String>) {
    let mut notes = Vec::new();
    let (mut min, mut max) = (None, None);
    if !constraint.is_empty() {
        match parse_constraint(constraint) {
            Some((lo, hi)) => (min, max) = (lo, hi),
            None => notes.push(format!(
                "无法转换限制条件“{constraint}”（只能转换“. >= 0 and . <= 10”这样的取值范围），已略过。"
            )),
        }
    }
    if min.is_none() || max.is_none() {
        notes.push("没有完整的取值范围，缺少的一端已设为 0 或 9999，请按实际需要修改。".into());
    }
    let max = max.unwrap_or(DEFAULT_MAX.max(min.unwrap_or(0)));
    let min = min.unwrap_or(0.min(max));
    if min > max {
        notes.push("取值范围的下限大于上限，这道题未导入。".into());
        return (None, notes);
    }
    (Some((min, max)), notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_forms() {
        let any = |q: &str, v: &[&str]| Relevant::Any {
            question: q.into(),
            values: v.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(parse_relevant("${need} = 'yes'"), any("need", &["yes"]));
        assert_eq!(parse_relevant("${need}='yes'"), any("need", &["yes"]));
        assert_eq!(
            parse_relevant("selected(${cats}, 'art') or selected( ${cats} , \"sport\")"),
            any("cats", &["art", "sport"])
        );
        assert_eq!(
            parse_relevant("(${need} = 'yes' OR ${need} = 'unsure')"),
            any("need", &["yes", "unsure"])
        );
        assert_eq!(parse_relevant("${grade} = 3"), any("grade", &["3"]));
        for bad in [
            "${need} = 'yes' and ${grade} = '3'",
            "${need} = 'yes' or ${grade} = '3'",
            "${need} != 'no'",
            "not(selected(${need}, 'no'))",
            "${age} > 5",
            "",
        ] {
            assert!(
                matches!(parse_relevant(bad), Relevant::Unsupported(_)),
                "{bad}"
            );
        }
    }

    #[test]
    fn constraint_ranges() {
        assert_eq!(
            parse_constraint(". >= 0 and . <= 10"),
            Some((Some(0), Some(10)))
        );
        assert_eq!(parse_constraint(".>0 and .<7"), Some((Some(1), Some(6))));
        assert_eq!(parse_constraint(". <= 99"), Some((None, Some(99))));
        assert_eq!(parse_constraint("(. >= 1.5)"), Some((Some(2), None)));
        assert_eq!(parse_constraint("regex(., '^[0-9]+$')"), None);
        assert_eq!(parse_constraint(". >= ${min}"), None);
        assert_eq!(parse_constraint(". >= 1 or . <= 0"), None);
        assert_eq!(number_range(". >= 1 and . <= 5"), (Some((1, 5)), vec![]));
        assert_eq!(number_range(". <= -5").0, Some((-5, -5)));
        assert_eq!(number_range(".>=10000").0, Some((10000, 10000)));
        let (range, notes) = number_range(". >= 5 and . <= 1");
        assert_eq!(range, None);
        assert!(notes[0].contains("下限大于上限"), "{notes:?}");
        let (range, notes) = number_range("");
        assert_eq!(range, Some((0, 9999)));
        assert!(notes[0].contains("9999"), "{notes:?}");
    }
}
