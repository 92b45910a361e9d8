//! Checking each roster row against the rules of the bureau's data, collecting every problem.

use std::collections::HashMap;

use super::super::code::SchoolCode;
use super::super::level::SchoolLevel;
use super::super::urban_rural::UrbanRuralCode;
use super::columns::{self, Column, Columns};
use super::source::{Cell, SourceRow};
use super::{Collector, RosterErrors, RosterRow, RowError};
use super::{MAX_ENROLMENT, MAX_NAME_CHARS};

const MAX_EMAIL_CHARS: usize = 254;
/// How many townships to list when a value is not one of them.
const MAX_LISTED_TOWNSHIPS: usize = 20;

/// Turns the grid into roster rows, or reports every problem in it.
pub(super) fn validate(
    rows: &[SourceRow],
    townships: &[String],
) -> Result<Vec<RosterRow>, RosterErrors> {
    let no_schools = || RosterErrors::single(RowError::file("名册中没有学校"));
    if rows.is_empty() {
        return Err(no_schools());
    }
    let header = columns::locate_header(rows);
    let mut errors = Collector::default();
    let Some(cols) = columns::resolve(&rows[header], &mut errors) else {
        return Err(errors.finish());
    };
    let data = &rows[header + 1..];
    if data.is_empty() {
        return Err(no_schools());
    }
    let mut checker = RowChecker {
        cols: &cols,
        townships,
        first_row_of_code: HashMap::new(),
        errors,
    };
    let schools: Vec<RosterRow> = data.iter().filter_map(|r| checker.check(r)).collect();
    if checker.errors.is_empty() {
        Ok(schools)
    } else {
        Err(checker.errors.finish())
    }
}

struct RowChecker<'a> {
    cols: &'a Columns,
    townships: &'a [String],
    first_row_of_code: HashMap<SchoolCode, usize>,
    errors: Collector,
}

impl RowChecker<'_> {
    /// Checks every cell of one row; `None` if any of them is wrong (all are reported).
    fn check(&mut self, r: &SourceRow) -> Option<RosterRow> {
        let cols = self.cols;
        let code = self.required(r, &cols.code).and_then(|s| {
            let code = SchoolCode::parse(&s);
            self.report(r, &cols.code, code)
        });
        if let Some(code) = &code {
            if let Some(first) = self.first_row_of_code.get(code) {
                let msg = format!("学校代码“{code}”与第 {first} 行重复");
                self.errors.push(r.row, &cols.code.header, msg);
            } else {
                self.first_row_of_code.insert(code.clone(), r.row);
            }
        }
        let name = self.required(r, &cols.name).and_then(|s| {
            let check = check_name(&s).map(|()| s);
            self.report(r, &cols.name, check)
        });
        let township = self.required(r, &cols.township).and_then(|s| {
            let check = check_township(&s, self.townships).map(|()| s);
            self.report(r, &cols.township, check)
        });
        let level = self.required(r, &cols.level).and_then(|s| {
            let level = SchoolLevel::parse(&s);
            self.report(r, &cols.level, level)
        });
        let urban_rural = self.required(r, &cols.urban_rural).and_then(|s| {
            let code = UrbanRuralCode::parse(&s);
            self.report(r, &cols.urban_rural, code)
        });
        let mut enrolment = [0u32; 9];
        let mut enrolment_ok = true;
        for (i, col) in cols.grades.iter().enumerate() {
            let Some(col) = col else { continue };
            let grade = i as u8 + 1;
            let count = parse_enrolment(col.cell(r)).and_then(|n| match level {
                Some(level) if n > 0 && !level.has_grade(grade) => Err(format!(
                    "学段为“{level}”的学校没有{}，人数应为 0 或留空（当前为 {n}）",
                    grade_name(grade)
                )),
                _ => Ok(n),
            });
            match self.report(r, col, count) {
                Some(n) => enrolment[i] = n,
                None => enrolment_ok = false,
            }
        }
        let email = match &cols.email {
            None => Some(None),
            Some(col) => {
                let checked = text_of(col.cell(r)).and_then(|t| match t {
                    None => Ok(None),
                    Some(t) => check_email(&t).map(|()| Some(t)),
                });
                self.report(r, col, checked)
            }
        };
        Some(RosterRow {
            code: code?,
            name: name?,
            township: township?,
            level: level?,
            urban_rural: urban_rural?,
            enrolment: enrolment_ok.then_some(enrolment)?,
            email: email?,
        })
    }

    /// The text of a required cell, or `None` after reporting it empty or unreadable.
    fn required(&mut self, r: &SourceRow, col: &Column) -> Option<String> {
        let text = text_of(col.cell(r)).and_then(|t| t.ok_or_else(|| "不能为空".to_owned()));
        self.report(r, col, text)
    }

    /// Keeps a good value, or reports the problem at this row and column.
    fn report<T, E: ToString>(
        &mut self,
        r: &SourceRow,
        col: &Column,
        v: Result<T, E>,
    ) -> Option<T> {
        v.map_err(|e| self.errors.push(r.row, &col.header, e.to_string()))
            .ok()
    }
}

/// A cell read as text: `Ok(None)` when empty; line breaks and control characters refused.
fn text_of(cell: &Cell) -> Result<Option<String>, String> {
    if let Cell::Unreadable(why) = cell {
        return Err(why.clone());
    }
    match cell.as_text() {
        Some(t) if t.chars().any(char::is_control) => {
            Err("不能包含换行符、制表符或其他控制字符".to_owned())
        }
        t => Ok(t),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(format!(
            "学校名称不能超过 {MAX_NAME_CHARS} 个字（当前 {len} 个）"
        ));
    }
    Ok(())
}

fn check_township(value: &str, townships: &[String]) -> Result<(), String> {
    if townships.iter().any(|t| t.trim() == value) {
        return Ok(());
    }
    // “安海” or “晋江市安海镇” most likely mean 安海镇.
    let guesses: Vec<&str> = townships
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && (t.starts_with(value) || value.ends_with(t)))
        .collect();
    if let [only] = guesses.as_slice() {
        return Err(format!("“{value}”不在乡镇街道名单中，是否应为“{only}”？"));
    }
    let listed: Vec<&str> = townships
        .iter()
        .take(MAX_LISTED_TOWNSHIPS)
        .map(|t| t.trim())
        .collect();
    let more = if townships.len() > MAX_LISTED_TOWNSHIPS {
        format!(" 等共 {} 个", townships.len())
    } else {
        String::new()
    };
    Err(format!(
        "“{value}”不在乡镇街道名单中，可选值：{}{more}",
        listed.join("、")
    ))
}

/// Enrolment of one grade: a whole number from 0 to [`MAX_ENROLMENT`]; empty means 0.
fn parse_enrolment(cell: &Cell) -> Result<u32, String> {
    match cell {
        Cell::Empty => Ok(0),
        Cell::Unreadable(why) => Err(why.clone()),
        Cell::Number(n) => enrolment_from_number(*n, cell),
        Cell::Text(t) => {
            let digits = t.strip_prefix('-').unwrap_or(t);
            let numeric = !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && digits.chars().filter(|c| *c == '.').count() <= 1
                && digits.chars().any(|c| c.is_ascii_digit());
            match t.parse::<f64>() {
                Ok(n) if numeric => enrolment_from_number(n, cell),
                _ => Err(format!("“{t}”不是整数，请填写学生人数（没有学生填 0）")),
            }
        }
    }
}

fn enrolment_from_number(n: f64, cell: &Cell) -> Result<u32, String> {
    let shown = cell.as_text().unwrap_or_default();
    if n < 0.0 {
        Err(format!("人数不能为负数（当前为 {shown}）"))
    } else if n.fract() != 0.0 {
        Err(format!("人数必须是整数（当前为 {shown}）"))
    } else if n > f64::from(MAX_ENROLMENT) {
        Err(format!("人数不能超过 {MAX_ENROLMENT}（当前为 {shown}）"))
    } else {
        Ok(n as u32)
    }
}

fn grade_name(grade: u8) -> &'static str {
    columns::GRADE_NAMES[usize::from(grade.clamp(1, 9)) - 1]
}

/// A sanity check, not RFC 5322: one `@`, something on each side, a dot in the domain.
fn check_email(email: &str) -> Result<(), String> {
    let bad = || format!("“{email}”不是有效的邮箱地址");
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!("邮箱地址不能超过 {MAX_EMAIL_CHARS} 个字符"));
    }
    if email.chars().any(char::is_whitespace) {
        return Err(format!("邮箱地址“{email}”不能包含空格"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(bad());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || domain.contains('@') || !domain_ok {
        return Err(bad());
    }
    Ok(())
}
