//! 问卷星's text import format: an optional title line, then numbered questions such as
//! `1. 您孩子在读几年级？[单选题]` with their options on the lines below, a blank line between
//! questions. The source has no ids, so questions become `q<number>` and options `o1`, `o2`, ….

use super::draft::{Draft, DraftKind, DraftOption, DraftQuestion};
use super::{ImportFailure, Place, Problem};

/// Decodes the file (UTF-8, with or without its byte-order mark, or GBK as older Windows tools
/// save it) into text.
pub fn decode(bytes: &[u8]) -> Result<String, ImportFailure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportFailure::one(Place::File, "文件是空的。"));
    }
    if bytes.contains(&0) {
        return Err(ImportFailure::one(
            Place::File,
            "这不是文本文件。请在问卷星中把问卷复制为文本，另存为 .txt 文件后再上传。",
        ));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            ImportFailure::one(
                Place::File,
                "无法识别文件的文字编码（既不是 UTF-8，也不是 GBK）。请用记事本打开，另存为“UTF-8”编码后再上传。",
            )
        })
}

/// A question as written: its number, title, type tag and option lines.
struct Block {
    line: usize,
    number: String,
    title: String,
    tag: Option<String>,
    required: bool,
    options: Vec<(usize, String)>,
}

/// `1. …`, `1、…`, `1．…`, `1)…` → ("1", "…").
fn numbered(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let rest = &t[digits.len()..];
    let rest = rest.trim_start();
    let mut chars = rest.chars();
    let sep = chars.next()?;
    if !matches!(sep, '.' | '、' | '．' | ')' | '）') {
        return None;
    }
    let title = chars.as_str().trim();
    (!title.is_empty()).then(|| (digits, title.to_string()))
}

/// Splits a trailing `[单选题]` or `【单选题】` off a title.
fn type_tag(title: &str) -> (String, Option<String>) {
    let t = title.trim_end();
    for (open, close) in [('[', ']'), ('【', '】')] {
        if t.ends_with(close) {
            if let Some(start) = t.rfind(open) {
                let tag = t[start + open.len_utf8()..t.len() - close.len_utf8()].trim();
                return (t[..start].trim_end().to_string(), Some(tag.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// Removes the required marks (`*`, `(必答)`, `（必答）`) and says whether there was one.
fn required_mark(title: &str) -> (String, bool) {
    let mut t = title.trim().to_string();
    let mut found = false;
    for mark in ["（必答）", "(必答)", "【必答】", "*", "＊"] {
        if t.contains(mark) {
            found = true;
            t = t.replace(mark, "");
        }
    }
    (t.trim().to_string(), found)
}

/// An option line without its letter (`A.`, `A、`, `A．`, `A)`), and whether it had a blank to
/// fill in after it (`其他____`, `其他〖〗`).
fn option_label(line: &str) -> (String, bool) {
    let t = line
        .trim()
        .trim_start_matches(['○', '◯', '□', '☐', '●'])
        .trim();
    let mut chars = t.chars();
    let stripped = match (chars.next(), chars.next()) {
        (Some(c), Some(sep))
            if c.is_ascii_alphabetic() && matches!(sep, '.' | '、' | '．' | ')' | '）') =>
        {
            chars.as_str().trim()
        }
        _ => t,
    };
    let mut label = stripped.to_string();
    let mut blank = false;
    for mark in ["〖〗", "{_}", "＿"] {
        if label.contains(mark) {
            blank = true;
            label = label.replace(mark, "");
        }
    }
    if label.contains("__") {
        blank = true;
        label = label.trim_end_matches('_').to_string();
    }
    (label.trim().to_string(), blank)
}

fn is_page_break(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("===") && t.contains("分页")
}

/// Reads the text into a draft and the problems met on the way.
pub fn read(bytes: &[u8]) -> Result<(Draft, Vec<Problem>), ImportFailure> {
    let text = decode(bytes)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let mut title = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    // Page breaks before the block at this index.
    let mut breaks: Vec<usize> = Vec::new();
    let mut in_block = false;
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            in_block = false;
            continue;
        }
        if is_page_break(line) {
            breaks.push(blocks.len());
            in_block = false;
            continue;
        }
        if let Some((number, rest)) = numbered(line) {
            let (rest, required) = required_mark(&rest);
            let (rest, tag) = type_tag(&rest);
            blocks.push(Block {
                line: n,
                number,
                title: rest,
                tag,
                required,
                options: Vec::new(),
            });
            in_block = true;
            continue;
        }
        match blocks.last_mut() {
            Some(b) if in_block => b.options.push((n, line.to_string())),
            None if title.is_empty() => title = line.trim_start_matches('#').trim().to_string(),
            _ => problems.push(Problem::new(
                Place::Line(n),
                "这一行不属于任何题目（题目应以“1.”这样的题号开头），未导入。",
            )),
        }
    }
    if blocks.is_empty() {
        problems.push(Problem::file(
            "没有找到题目。问卷星的文本格式中，每道题以题号开头，例如“1. 您孩子在读几年级？[单选题]”。",
        ));
        return Err(ImportFailure { problems });
    }

    let mut draft = Draft {
        id: "wjx-import".into(),
        title: if title.is_empty() {
            "导入的问卷".into()
        } else {
            title
        },
        questions: Vec::new(),
    };
    let mut page_no = 1;
    let mut pending_page = None;
    let mut pending_help: Option<String> = None;
    for (index, b) in blocks.into_iter().enumerate() {
        if breaks.contains(&index) && index > 0 {
            page_no += 1;
            pending_page = Some(format!("第 {page_no} 页"));
        }
        let place = Place::Line(b.line);
        if b.title.is_empty() {
            problems.push(Problem::new(place, "题目没有文字，未导入。"));
            continue;
        }
        let tag = b.tag.clone().unwrap_or_default();
        let kind = match tag.as_str() {
            "" if b.options.is_empty() => {
                problems.push(Problem::new(
                    place.clone(),
                    "没有标明题型，也没有选项，已按填空题导入。",
                ));
                Some("填空题")
            }
            "" => {
                problems.push(Problem::new(
                    place.clone(),
                    "没有标明题型，已按单选题导入。",
                ));
                Some("单选题")
            }
            "单选题" | "下拉框" | "下拉框题" | "判断题" => Some("单选题"),
            "多选题" => Some("多选题"),
            "排序题" => Some("排序题"),
            "填空题" | "简答题" | "问答题" => Some("填空题"),
            "量表题" | "评分题" | "NPS量表题" => Some("量表题"),
            "段落说明" => {
                let text = std::iter::once(b.title.clone())
                    .chain(b.options.iter().map(|(_, l)| l.clone()))
                    .collect::<Vec<_>>()
                    .join(" ");
                pending_help = Some(text);
                continue;
            }
            _ => None,
        };
        let Some(kind) = kind else {
            problems.push(Problem::new(
                place,
                format!(
                    "本平台不支持“{tag}”，这道题（{}）未导入，请改成单选、多选、排序、填空或量表题后另行添加。",
                    b.title
                ),
            ));
            continue;
        };
        let mut options = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (n, raw) in &b.options {
            let (label, blank) = option_label(raw);
            if blank {
                problems.push(Problem::new(
                    Place::Line(*n),
                    format!("选项“{label}”后面的填空框未导入，家长只能勾选这一项，不能填写文字。"),
                ));
            }
            if label.is_empty() {
                problems.push(Problem::new(Place::Line(*n), "选项没有文字，未导入。"));
                continue;
            }
            if seen.contains(&label) {
                problems.push(Problem::new(
                    Place::Line(*n),
                    format!("选项“{label}”与前面的选项重复，未导入。"),
                ));
                continue;
            }
            seen.push(label.clone());
            options.push(DraftOption {
                id: format!("o{}", options.len() + 1),
                label,
            });
        }
        let kind = match kind {
            "单选题" | "多选题" | "排序题" if options.is_empty() => {
                problems.push(Problem::new(place, format!("{kind}没有选项，未导入。")));
                continue;
            }
            "排序题" if options.len() < 2 => {
                problems.push(Problem::new(place, "排序题至少要有两个选项，未导入。"));
                continue;
            }
            "单选题" => DraftKind::Single(options),
            "多选题" => DraftKind::Multi(options),
            "排序题" => DraftKind::Rank(options),
            "量表题" => {
                let labels: Vec<String> = options.into_iter().map(|o| o.label).collect();
                if !labels.is_empty() && labels.len() != 5 {
                    problems.push(Problem::new(
                        place.clone(),
                        format!(
                            "原题有 {} 个等级，本平台的量表固定为 1 到 5 分，已改为 5 级，只保留两端的文字。",
                            labels.len()
                        ),
                    ));
                }
                DraftKind::Scale {
                    low: labels.first().cloned(),
                    high: labels.last().filter(|_| labels.len() > 1).cloned(),
                }
            }
            _ => {
                if !options.is_empty() {
                    problems.push(Problem::new(place.clone(), "填空题下面的几行文字未导入。"));
                }
                DraftKind::Text
            }
        };
        let mut id = format!("q{}", b.number);
        if draft.questions.iter().any(|q| q.id == id) {
            problems.push(Problem::new(
                place.clone(),
                format!("题号 {} 与前面的题目重复，已作为另一道题导入。", b.number),
            ));
            id = format!("q{}_{}", b.number, b.line);
        }
        draft.questions.push(DraftQuestion {
            id,
            title: b.title,
            help: pending_help.take(),
            required: b.required,
            kind,
            page: pending_page.take(),
            show_if: None,
            place: Some(Place::Line(b.line)),
        });
    }
    let paged = draft.questions.iter().any(|q| q.page.is_some());
    if let Some(first) = draft.questions.first_mut() {
        if paged && first.page.is_none() {
            first.page = Some("第 1 页".into());
        }
    }
    if pending_help.is_some() {
        problems.push(Problem::file("最后一段说明文字后面没有题目，未导入。"));
    }
    Ok((draft, problems))
}
