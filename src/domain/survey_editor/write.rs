//! Writes an editor survey as a definition's TOML, one field per line in a fixed order, and
//! remembers for every line which question and field wrote it. Values are written as typed:
//! a minimum of "abc" is written as a string, so the linter names it at its own field.

use super::model::{EditQuestion, EditSurvey};

/// Where a line of the written text came from: the question (by position), if any, and the
/// field (empty for a question's header line or a blank line).
pub type Origin = (Option<usize>, &'static str);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub source: String,
    /// One entry per line of `source`.
    pub origins: Vec<Origin>,
}

impl Written {
    /// The origin of a 1-based line.
    pub fn origin(&self, line: usize) -> Origin {
        line.checked_sub(1)
            .and_then(|i| self.origins.get(i))
            .copied()
            .unwrap_or((None, ""))
    }
}

struct Writer {
    out: String,
    origins: Vec<Origin>,
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line text as a TOML multi-line basic string, written as it reads and ending
/// with a line break, as a hand-written one does.
fn long_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    if !s.contains('\n') {
        return quoted(&s);
    }
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str("\n\"\"\"");
    out
}

/// An integer field as typed: bare when it is an integer, else a string for the linter to refuse.
fn integer(s: &str) -> String {
    let t = s.trim();
    match t.parse::<i64>() {
        Ok(n) => n.to_string(),
        Err(_) => quoted(t),
    }
}

/// Words separated by spaces, commas or 、.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

impl Writer {
    fn line(&mut self, text: &str, origin: Origin) {
        for l in text.split('\n') {
            self.out.push_str(l);
            self.out.push('\n');
            self.origins.push(origin);
        }
    }

    fn field(&mut self, q: Option<usize>, name: &'static str, key: &str, value: String) {
        self.line(&format!("{key} = {value}"), (q, name));
    }

    fn text_if(&mut self, q: Option<usize>, name: &'static str, key: &str, v: &str) {
        if !v.trim().is_empty() {
            self.field(q, name, key, quoted(v.trim()));
        }
    }

    fn integer_if(&mut self, q: usize, name: &'static str, v: &str) {
        if !v.trim().is_empty() {
            self.field(Some(q), name, name, integer(v));
        }
    }

    fn condition(&mut self, i: usize, name: &'static str, question: &str, values: &str) {
        if question.trim().is_empty() {
            return;
        }
        let values: Vec<String> = words(values).into_iter().map(quoted).collect();
        self.field(
            Some(i),
            name,
            name,
            format!(
                "{{ question = {}, any_of = {} }}",
                quoted(question.trim()),
                list(&values)
            ),
        );
    }

    fn question(&mut self, i: usize, q: &EditQuestion) {
        self.line("", (None, ""));
        self.line("[[questions]]", (Some(i), ""));
        self.text_if(Some(i), "page", "page", &q.page);
        self.field(Some(i), "id", "id", quoted(q.id.trim()));
        self.field(Some(i), "title", "title", quoted(q.title.trim()));
        if !q.help.trim().is_empty() {
            self.field(Some(i), "help", "help", quoted(q.help.trim()));
        }
        self.field(Some(i), "type", "type", quoted(q.kind.trim()));
        if !q.required {
            self.field(Some(i), "required", "required", "false".into());
        }
        self.text_if(Some(i), "section", "section", &q.section);
        if q.paper {
            self.field(Some(i), "paper", "paper", "true".into());
        }
        self.condition(i, "show_if", &q.show_question, &q.show_values);
        self.condition(i, "required_if", &q.required_question, &q.required_values);
        if !q.show_at.is_empty() {
            let areas: Vec<String> = q.show_at.iter().map(|a| quoted(a)).collect();
            self.field(
                Some(i),
                "show_at",
                "show_at",
                format!("{{ area = {} }}", list(&areas)),
            );
        }
        match q.kind.as_str() {
            "single" | "multi" | "rank" => {
                self.text_if(Some(i), "taxonomy", "options_from_taxonomy", &q.taxonomy);
                self.text_if(
                    Some(i),
                    "from_answer",
                    "options_from_answer",
                    &q.from_answer,
                );
                if q.kind == "multi" {
                    self.integer_if(i, "min", &q.min);
                    self.integer_if(i, "max", &q.max);
                }
                if q.kind == "rank" {
                    self.integer_if(i, "top", &q.top);
                }
            }
            "number" => {
                self.integer_if(i, "min", &q.min);
                self.integer_if(i, "max", &q.max);
                self.text_if(Some(i), "unit", "unit", &q.unit);
            }
            "scale" => {
                self.text_if(Some(i), "low_label", "low_label", &q.low_label);
                self.text_if(Some(i), "high_label", "high_label", &q.high_label);
            }
            "text" => self.integer_if(i, "max_length", &q.max_length),
            "grade" if !q.grades.trim().is_empty() => {
                let grades: Vec<String> = words(&q.grades).into_iter().map(integer).collect();
                self.field(Some(i), "grades", "grades", list(&grades));
            }
            "class" => self.integer_if(i, "max_class", &q.max_class),
            _ => {}
        }
        if q.is_choice() {
            for line in q.options.lines().filter(|l| !l.trim().is_empty()) {
                let line = line.trim();
                let (id, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                let mut parts = rest.split('|').map(str::trim);
                let label = parts.next().unwrap_or("");
                let category = parts.next().unwrap_or("");
                let hint = parts.next().unwrap_or("");
                self.line("", (Some(i), "options"));
                self.line("[[questions.options]]", (Some(i), "options"));
                self.field(Some(i), "options", "id", quoted(id));
                self.field(Some(i), "options", "label", quoted(label));
                self.text_if(Some(i), "options", "category", category);
                self.text_if(Some(i), "options", "hint", hint);
            }
        }
    }
}

/// The survey as definition TOML, with each line's origin.
pub fn to_toml(s: &EditSurvey) -> Written {
    let mut w = Writer {
        out: String::new(),
        origins: Vec::new(),
    };
    w.line("# 在网页上编写的问卷", (None, ""));
    w.field(None, "id", "id", quoted(s.id.trim()));
    w.field(None, "title", "title", quoted(s.title.trim()));
    w.field(None, "kind", "kind", quoted(s.kind.trim()));
    w.text_if(None, "respondent", "respondent", &s.respondent);
    w.line("", (None, ""));
    w.field(None, "letter", "letter", long_text(s.letter.trim()));
    w.field(None, "consent", "consent", long_text(s.consent.trim()));
    w.field(None, "closing", "closing", long_text(s.closing.trim()));
    for line in s.sections.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.trim();
        let (id, title) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        w.line("", (None, "sections"));
        w.line("[[sections]]", (None, "sections"));
        w.field(None, "sections", "id", quoted(id));
        w.field(None, "sections", "title", quoted(title.trim()));
    }
    for (i, q) in s.questions.iter().enumerate() {
        w.question(i, q);
    }
    Written {
        source: w.out,
        origins: w.origins,
    }
}
