//! Raw-response exports. CSV is UTF-8 with a BOM so that Excel shows Chinese,
//! uses the option labels a person reads, and neutralises cells that a
//! spreadsheet would run as a formula. JSON keeps the stored option ids.

use std::io::Write;

use anyhow::Context;

use crate::db::responses::StoredResponse;
use crate::domain::survey::{AnswerValue, Answers, Question, SurveyDefinition};

/// A cell that starts like a formula (`= + - @`, tab, CR, or full-width ＝)
/// gets a leading apostrophe, so spreadsheets show it as text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{cell}")
        }
        _ => cell.to_string(),
    }
}

fn label(q: &Question, id: &str) -> String {
    q.option(id)
        .map_or_else(|| id.to_string(), |o| o.label.clone())
}

/// How one answer reads in a spreadsheet cell.
pub fn cell_text(q: &Question, v: &AnswerValue) -> String {
    match v {
        AnswerValue::Choice(id) => label(q, id),
        AnswerValue::Choices(ids) => ids
            .iter()
            .map(|i| label(q, i))
            .collect::<Vec<_>>()
            .join("；"),
        AnswerValue::Ranking(ids) => ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("{}. {}", i + 1, label(q, id)))
            .collect::<Vec<_>>()
            .join("；"),
        AnswerValue::Scale(n) => n.to_string(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Text(t) => t.clone(),
        AnswerValue::Grade(g) => g.to_string(),
        AnswerValue::Class(c) => c.to_string(),
    }
}

/// How a response came in, as a person reads it.
pub fn channel_label(channel: &str) -> &'static str {
    if channel == crate::db::responses::PAPER {
        "纸质回执"
    } else {
        "网上填写"
    }
}

pub struct CsvExport<W: Write> {
    out: csv::Writer<W>,
    /// Mask phone numbers, ID numbers and e-mail addresses in free text (`domain::pii`).
    mask: bool,
}

impl<W: Write> CsvExport<W> {
    pub fn start(mut sink: W, def: &SurveyDefinition, mask: bool) -> anyhow::Result<Self> {
        sink.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::Writer::from_writer(sink);
        let mut header: Vec<String> = [
            "编号",
            "学校代码",
            "年级",
            "班级",
            "提交时间（北京时间）",
            "填写方式",
            "回执编号",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(
            def.questions
                .iter()
                .map(|q| format!("{} {}", q.id, q.title)),
        );
        out.write_record(header.iter().map(|h| neutralise(h)))?;
        Ok(Self { out, mask })
    }

    pub fn row(
        &mut self,
        def: &SurveyDefinition,
        r: &StoredResponse,
        school_code: &str,
    ) -> anyhow::Result<()> {
        let answers = Answers::from_json(def, &core_answers(&r.answers))
            .map_err(|e| anyhow::anyhow!("response {} has unreadable answers: {e}", r.id))?;
        let opt = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut rec = vec![
            r.id.to_string(),
            school_code.to_string(),
            opt(r.grade),
            opt(r.class_no),
            crate::domain::time::to_local(r.submitted_at)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            channel_label(&r.channel).to_string(),
            r.serial.clone().unwrap_or_default(),
        ];
        rec.extend(def.questions.iter().map(|q| {
            answers
                .get(&q.id)
                .map(|v| match v {
                    AnswerValue::Text(t) if self.mask => crate::domain::pii::mask(t),
                    _ => cell_text(q, v),
                })
                .unwrap_or_default()
        }));
        self.out
            .write_record(rec.iter().map(|c| neutralise(c)))
            .context("writing a CSV row")
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush().context("flushing the CSV file")
    }
}

/// A school's answers to its own supplement questions as CSV (UTF-8 with a BOM): one row per
/// response, with its grade and its answer to each of `questions`; personal information in free
/// text is masked.
pub fn supplement_csv(
    questions: &[&Question],
    rows: &[(Option<i32>, Answers)],
) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    let mut header = vec!["序号".to_string(), "年级".to_string()];
    header.extend(
        questions
            .iter()
            .enumerate()
            .map(|(i, q)| format!("第 {} 题 {}", i + 1, q.title)),
    );
    out.write_record(header.iter().map(|h| neutralise(h)))?;
    for (n, (grade, answers)) in rows.iter().enumerate() {
        let mut rec = vec![
            (n + 1).to_string(),
            grade
                .and_then(|g| u8::try_from(g).ok())
                .map_or_else(String::new, |g| {
                    crate::domain::survey::grade_label(g).to_string()
                }),
        ];
        rec.extend(questions.iter().map(|q| {
            answers
                .get(&q.id)
                .map(|v| match v {
                    AnswerValue::Text(t) => crate::domain::pii::mask(t),
                    _ => cell_text(q, v),
                })
                .unwrap_or_default()
        }));
        out.write_record(rec.iter().map(|c| neutralise(c)))?;
    }
    out.into_inner().context("writing the CSV")
}

/// The stored answers without a school's supplement questions (the raw exports are the city's,
/// read against the round's core survey); stored answers that are not an object pass as they are.
fn core_answers(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(mut o)) => {
            o.retain(|q, _| !crate::domain::supplement::is_supplement_id(q));
            serde_json::Value::Object(o).to_string()
        }
        _ => json.to_string(),
    }
}

/// Every string in `v` with personal information masked (option ids never look like any).
fn mask_strings(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = crate::domain::pii::mask(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_strings),
        serde_json::Value::Object(o) => o.values_mut().for_each(mask_strings),
        _ => {}
    }
}

/// One JSON object per response, with the stored answers to the round's core survey (`core`:
/// its version) as they are (personal information in free text masked when `mask`). A school's
/// own supplement questions stay out: the export is the city's, comparable across schools.
pub fn json_record(
    r: &StoredResponse,
    school_code: &str,
    core: &str,
    mask: bool,
) -> anyhow::Result<serde_json::Value> {
    let mut answers: serde_json::Value =
        serde_json::from_str(&r.answers).with_context(|| format!("response {}", r.id))?;
    if let serde_json::Value::Object(o) = &mut answers {
        o.retain(|q, _| !crate::domain::supplement::is_supplement_id(q));
    }
    if mask {
        mask_strings(&mut answers);
    }
    Ok(serde_json::json!({
        "id": r.id,
        "school_code": school_code,
        "grade": r.grade,
        "class": r.class_no,
        "submitted_at": format!("{}Z", r.submitted_at.format("%Y-%m-%dT%H:%M:%S%.6f")),
        "survey_version": core,
        "channel": r.channel,
        "serial": r.serial,
        "answers": answers,
    }))
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("科学实验"), "科学实验");
        assert_eq!(neutralise(""), "");
    }
}
