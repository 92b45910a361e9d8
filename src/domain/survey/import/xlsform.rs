//! XLSForm, the spreadsheet format of ODK and KoboToolbox: a `survey` sheet (one row per
//! question), a `choices` sheet (the option lists) and an optional `settings` sheet. Groups
//! become pages, `relevant` becomes `show_if`, a numeric `constraint` becomes `min`/`max`.

use std::collections::HashMap;

use super::draft::{Draft, DraftKind, DraftOption, DraftQuestion};
use super::xlsform_expr::{number_range, parse_relevant, Relevant};
use super::xlsform_sheet::{cell, first_text, read_choices, sheets};
use super::{ascii_id, ImportFailure, Place, Problem};

/// A converted question's XLSForm name, its id and, for a choice question, its options'
/// names → ids.
struct Known {
    id: String,
    options: Option<HashMap<String, String>>,
}

/// The `show_if` of a `relevant` expression (`None` when there is none), or why it cannot be
/// converted.
fn condition(
    known: &HashMap<String, Known>,
    relevant: &str,
) -> Result<Option<(String, Vec<String>)>, String> {
    if relevant.is_empty() {
        return Ok(None);
    }
    let (question, values) = match parse_relevant(relevant) {
        Relevant::Any { question, values } => (question, values),
        Relevant::Unsupported(why) => {
            return Err(format!(
                "无法转换显示条件“{relevant}”：{why}。已略过，这道题将始终显示，请导入后自行调整。"
            ))
        }
    };
    let Some(target) = known.get(&question) else {
        return Err(format!(
            "显示条件依据的题目“{question}”不在前面已导入的题目中，已略过，这道题将始终显示。"
        ));
    };
    let Some(map) = &target.options else {
        return Err(format!(
            "显示条件依据的题目“{question}”不是选择题，本平台无法转换，已略过，这道题将始终显示。"
        ));
    };
    let mut ids = Vec::new();
    let mut missing = Vec::new();
    for v in &values {
        match map.get(v) {
            Some(id) if !ids.contains(id) => ids.push(id.clone()),
            Some(_) => {}
            None => missing.push(v.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "显示条件中的选项“{}”在题目“{question}”中不存在，已略过这个条件，这道题将始终显示。",
            missing.join("、")
        ));
    }
    Ok(Some((target.id.clone(), ids)))
}

/// Why a type cannot be converted, in words for the bureau.
fn unsupported(kind: &str) -> String {
    let what = match kind {
        "geopoint" | "geotrace" | "geoshape" | "start-geopoint" => "定位题",
        "image" | "audio" | "video" | "file" | "background-audio" => "上传照片、录音或文件的题",
        "calculate" => "计算字段",
        "date" | "time" | "datetime" => "日期或时间题",
        "barcode" => "扫码题",
        "range" => "滑块题",
        "acknowledge" => "确认题",
        "hidden" | "start" | "end" | "today" | "deviceid" | "phonenumber" | "username"
        | "email" | "simserial" | "subscriberid" | "audit" => "自动记录的后台信息",
        "select_one_from_file" | "select_multiple_from_file" => "从外部文件读取选项的题",
        "begin_repeat" | "end_repeat" => "重复组",
        _ => "",
    };
    if what.is_empty() {
        format!("不认识的题型“{kind}”，这一行未导入。")
    } else {
        format!("本平台不支持{what}，这一行（题型“{kind}”）未导入。")
    }
}

fn is_yes(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "true" | "1" | "true()" | "是" => Some(true),
        "" | "no" | "false" | "0" | "false()" | "否" => Some(false),
        _ => None,
    }
}

/// Reads the workbook into a draft and the problems met on the way.
pub fn read(bytes: &[u8]) -> Result<(Draft, Vec<Problem>), ImportFailure> {
    let sheets = sheets(bytes)?;
    let find = |n: &str| {
        sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(n))
    };
    let Some(survey) = find("survey") else {
        return Err(ImportFailure::one(
            Place::File,
            "找不到名为“survey”的工作表。XLSForm 表格的题目写在“survey”工作表中，选项写在“choices”工作表中。",
        ));
    };
    let mut problems = Vec::new();
    let choices = read_choices(find("choices"), &mut problems);

    let mut draft = Draft {
        id: "xlsform-import".into(),
        title: String::new(),
        questions: Vec::new(),
    };
    if let Some(settings) = find("settings") {
        if let Some((_, row)) = settings.rows.first() {
            draft.title = first_text(row, &settings.language_cols("form_title"));
            if let Some(id) = ascii_id(cell(row, settings.col(&["form_id"]))) {
                draft.id = id;
            }
        }
    }

    let type_col = survey.col(&["type"]);
    let name_col = survey.col(&["name", "value"]);
    let labels = survey.language_cols("label");
    let hints = survey.language_cols("hint");
    let required_col = survey.col(&["required"]);
    let relevant_col = survey.col(&["relevant", "relevance"]);
    let constraint_col = survey.col(&["constraint"]);
    let filter_col = survey.col(&["choice_filter"]);
    if type_col.is_none() {
        return Err(ImportFailure::one(
            survey.place(1, None),
            "“survey”工作表缺少“type”列，无法判断题型。",
        ));
    }

    let mut known: HashMap<String, Known> = HashMap::new();
    let mut pending_page: Option<String> = None;
    let mut notes: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut after_group = false;
    for (row, cells) in &survey.rows {
        let row = *row;
        let at = |col: Option<usize>| survey.place(row, col);
        let type_text = cell(cells, type_col).to_string();
        let mut words = type_text.split_whitespace();
        let kind = words.next().unwrap_or("").to_lowercase();
        let list = words.next().map(str::to_string);
        let or_other = words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("or_other"));
        let name = cell(cells, name_col).to_string();
        let label = first_text(cells, &labels);
        match kind.as_str() {
            "" => {
                problems.push(Problem::new(at(type_col), "没有填写题型，这一行未导入。"));
                continue;
            }
            "begin" | "end" | "begin_repeat" | "end_repeat"
                if kind.ends_with("repeat")
                    || list
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case("repeat")) =>
            {
                problems.push(Problem::new(
                    at(type_col),
                    "本平台不支持重复组，组内的题目按普通题目导入，只能填写一次。",
                ));
                continue;
            }
            "begin_group" | "begin" => {
                depth += 1;
                let title = if label.is_empty() {
                    name.clone()
                } else {
                    label
                };
                pending_page = Some(if title.is_empty() {
                    let pages = draft.questions.iter().filter(|q| q.page.is_some()).count();
                    format!("第 {} 部分", pages + 1)
                } else {
                    title
                });
                continue;
            }
            "end_group" | "end" if kind == "end_group" || list.is_some() => {
                depth = depth.saturating_sub(1);
                after_group = true;
                continue;
            }
            "note" => {
                if !label.is_empty() {
                    notes.push((row, label));
                }
                continue;
            }
            _ => {}
        }
        let mut options_map = None;
        let draft_kind = match kind.as_str() {
            "select_one" | "select_multiple" | "rank" | "select_one_external" => {
                let Some(list) = list.as_deref() else {
                    problems.push(Problem::new(
                        at(type_col),
                        "选择题没有写明选项列表名，未导入。",
                    ));
                    continue;
                };
                let Some(items) = choices.get(list) else {
                    problems.push(Problem::new(
                        at(type_col),
                        format!("在“choices”工作表中找不到选项列表“{list}”，这道题未导入。"),
                    ));
                    continue;
                };
                if filter_col.is_some_and(|c| !cell(cells, Some(c)).is_empty()) {
                    problems.push(Problem::new(
                        at(filter_col),
                        "本平台不支持按前面的答案筛选选项，这道题会列出全部选项。",
                    ));
                }
                let mut options: Vec<DraftOption> = Vec::new();
                let mut map = HashMap::new();
                for (crow, cname, clabel) in items {
                    if map.contains_key(cname) {
                        problems.push(Problem::new(
                            Place::Cell {
                                sheet: "choices".into(),
                                row: *crow,
                                column: None,
                            },
                            format!("选项列表“{list}”中的选项名“{cname}”重复，未导入。"),
                        ));
                        continue;
                    }
                    let id = if super::super::raw::is_option_id(cname) {
                        cname.clone()
                    } else {
                        format!("o{}", options.len() + 1)
                    };
                    let id = if options.iter().any(|o| o.id == id) {
                        format!("o{}_{}", options.len() + 1, crow)
                    } else {
                        id
                    };
                    map.insert(cname.clone(), id.clone());
                    options.push(DraftOption {
                        id,
                        label: clabel.clone(),
                    });
                }
                if or_other && !options.iter().any(|o| o.id == "other") {
                    problems.push(Problem::new(
                        at(type_col),
                        "“其他（请注明）”的填写框未导入，只保留“其他”这个选项。",
                    ));
                    map.insert("other".into(), "other".into());
                    options.push(DraftOption {
                        id: "other".into(),
                        label: "其他".into(),
                    });
                }
                if options.is_empty() {
                    problems.push(Problem::new(
                        at(type_col),
                        format!("选项列表“{list}”没有选项，这道题未导入。"),
                    ));
                    continue;
                }
                options_map = Some(map);
                match kind.as_str() {
                    "select_multiple" => DraftKind::Multi(options),
                    "rank" if options.len() >= 2 => DraftKind::Rank(options),
                    "rank" => {
                        problems.push(Problem::new(
                            at(type_col),
                            "排序题至少要有两个选项，未导入。",
                        ));
                        continue;
                    }
                    _ => DraftKind::Single(options),
                }
            }
            "integer" | "decimal" => {
                if kind == "decimal" {
                    problems.push(Problem::new(
                        at(type_col),
                        "本平台的数字题只收整数，小数题已改为整数题，家长不能再填写小数。",
                    ));
                }
                let (range, notes) = number_range(cell(cells, constraint_col));
                problems.extend(
                    notes
                        .into_iter()
                        .map(|m| Problem::new(at(constraint_col), m)),
                );
                let Some((min, max)) = range else {
                    continue;
                };
                DraftKind::Number { min, max }
            }
            "text" => DraftKind::Text,
            other => {
                problems.push(Problem::new(at(type_col), unsupported(other)));
                continue;
            }
        };

        let title = if label.is_empty() {
            if name.is_empty() {
                problems.push(Problem::new(
                    at(labels.first().copied()),
                    "题目既没有文字也没有名称，未导入。",
                ));
                continue;
            }
            problems.push(Problem::new(
                at(labels.first().copied()),
                format!("题目没有文字，已用字段名“{name}”代替，请补上中文题目。"),
            ));
            name.clone()
        } else {
            label
        };
        if title.contains("${") {
            problems.push(Problem::new(
                at(labels.first().copied()),
                "题目文字中引用了前面题目的答案（${…}），本平台不会把它换成答案，请改写这道题的文字。",
            ));
        }
        let relevant = cell(cells, relevant_col);
        let show_if = condition(&known, relevant).unwrap_or_else(|message| {
            problems.push(Problem::new(at(relevant_col), message));
            None
        });

        let required = match is_yes(cell(cells, required_col)) {
            Some(r) => r,
            None => {
                problems.push(Problem::new(
                    at(required_col),
                    "“是否必答”只能转换 yes、true 或 1，这道题按选答导入。",
                ));
                false
            }
        };
        let hint = first_text(cells, &hints);
        let mut help: Vec<String> = notes.drain(..).map(|(_, t)| t).collect();
        if !hint.is_empty() {
            help.push(hint);
        }
        let base = ascii_id(&name).unwrap_or_else(|| format!("q{row}"));
        let mut id = base.clone();
        let mut n = 2;
        while draft.questions.iter().any(|q| q.id == id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        if depth == 0 && after_group && pending_page.is_none() {
            pending_page = Some("其他问题".into());
        }
        after_group = false;
        if !name.is_empty() {
            known.insert(
                name.clone(),
                Known {
                    id: id.clone(),
                    options: options_map,
                },
            );
        }
        draft.questions.push(DraftQuestion {
            id,
            title,
            help: (!help.is_empty()).then(|| help.join(" ")),
            required,
            kind: draft_kind,
            page: pending_page.take(),
            show_if,
            place: Some(at(None)),
        });
    }
    for (row, _) in notes {
        problems.push(Problem::new(
            survey.place(row, None),
            "这段说明后面没有题目，未导入。",
        ));
    }
    if draft.title.trim().is_empty() {
        draft.title = "导入的问卷".into();
    }
    Ok((draft, problems))
}
