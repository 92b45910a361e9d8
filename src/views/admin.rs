//! One page model for every staff page: a heading, notices, and sections that
//! each hold paragraphs, a table and/or a form. Handlers fill it; the single
//! `admin` template renders it, so every staff page looks and behaves alike.

use serde::Serialize;

use crate::auth::session::CurrentUser;
use crate::domain::account::Role;

#[derive(Debug, Default, Serialize)]
pub struct Page {
    pub title: String,
    pub nav: Vec<NavLink>,
    pub user_label: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub sections: Vec<Section>,
    /// A report's own HTML and style, shown below the sections (trusted: built by the
    /// analysis, every text in it escaped).
    pub report: Option<String>,
    pub report_css: Option<String>,
    /// Loads the small staff script (copy buttons); pages without it carry no script at all.
    pub script: bool,
}

#[derive(Debug, Serialize)]
pub struct NavLink {
    pub href: String,
    pub text: &'static str,
    /// The entry for the page shown (`aria-current="page"`).
    pub current: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Section {
    pub heading: String,
    /// A link to share, shown clickable with a 复制链接 button (the button needs the script).
    pub copy: Option<String>,
    /// The table folded under this summary (opened on demand).
    pub folded: Option<String>,
    pub paragraphs: Vec<String>,
    pub links: Vec<Link>,
    pub table: Option<Table>,
    /// A text shown as written, in a fixed-width box (a converted survey file).
    pub code: Option<String>,
    pub form: Option<Form>,
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Default, Serialize)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// Highlighted as needing attention (low response rate, new complaint).
    pub warn: bool,
    pub num: bool,
    /// A one-button form in the cell (e.g. 停用账户).
    pub button: Option<Form>,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            ..Self::default()
        }
    }
    pub fn num(t: impl ToString) -> Self {
        Self {
            text: t.to_string(),
            num: true,
            ..Self::default()
        }
    }
    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            href: Some(href.into()),
            ..Self::default()
        }
    }
    pub fn warn(mut self, w: bool) -> Self {
        self.warn = w;
        self
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Form {
    pub action: String,
    pub csrf: String,
    pub multipart: bool,
    pub method_get: bool,
    pub fields: Vec<Field>,
    pub submit: String,
    /// Why the button cannot be used yet; the button is shown disabled with this beside it.
    pub disabled_hint: Option<String>,
    /// A second button that sends the form with its own name (such as 再添几行), not to save.
    pub extra_submit: Option<Choice>,
}

#[derive(Debug, Default, Serialize)]
pub struct Field {
    pub label: String,
    pub name: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub required: bool,
    pub hint: Option<String>,
    pub is_select: bool,
    pub is_textarea: bool,
    /// A checkbox (`value` 1 when ticked).
    pub is_check: bool,
    pub checked: bool,
    /// A file input that takes several files, and what it offers to pick.
    pub multiple: bool,
    pub accept: Option<String>,
    /// A sub-heading inside the form (`label`), not a field.
    pub is_heading: bool,
    /// Optional without saying so: a field of a row that may be left wholly blank.
    pub no_mark: bool,
}

#[derive(Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Field {
    pub fn input(kind: &'static str, name: &str, label: &str) -> Self {
        Self {
            kind,
            name: name.into(),
            label: label.into(),
            required: true,
            ..Self::default()
        }
    }
    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }
    pub fn value(mut self, v: impl Into<String>) -> Self {
        self.value = v.into();
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    pub fn select(name: &str, label: &str, choices: Vec<(String, String)>, current: &str) -> Self {
        Self {
            kind: "select",
            is_select: true,
            name: name.into(),
            label: label.into(),
            required: true,
            options: choices
                .into_iter()
                .map(|(value, label)| Choice {
                    selected: value == current,
                    value,
                    label,
                })
                .collect(),
            ..Self::default()
        }
    }
    pub fn checkbox(name: &str, label: &str, checked: bool) -> Self {
        Self {
            kind: "checkbox",
            is_check: true,
            checked,
            required: false,
            ..Self::input("checkbox", name, label)
        }
    }
    pub fn heading(text: impl Into<String>) -> Self {
        Self {
            kind: "heading",
            is_heading: true,
            label: text.into(),
            ..Self::default()
        }
    }
    /// Optional, and not marked 选填: one of a row's fields.
    pub fn in_row(mut self) -> Self {
        self.required = false;
        self.no_mark = true;
        self
    }
    pub fn textarea(name: &str, label: &str) -> Self {
        Self {
            kind: "textarea",
            is_textarea: true,
            ..Self::input("textarea", name, label)
        }
    }
}

impl Form {
    pub fn post(action: impl Into<String>, csrf: &str, submit: &str, fields: Vec<Field>) -> Self {
        Self {
            action: action.into(),
            csrf: csrf.to_string(),
            fields,
            submit: submit.into(),
            ..Self::default()
        }
    }
}

/// The menu with the entry for `path` marked: the longest entry that is `path` or one of its
/// parents (a school's round page sits under 本校调查), and never more than one.
fn mark_current(entries: Vec<(String, &'static str)>, path: &str) -> Vec<NavLink> {
    let under = |href: &str| path == href || path.starts_with(&format!("{href}/"));
    let here = entries
        .iter()
        .filter(|(href, _)| under(href))
        .map(|(href, _)| href.len())
        .max();
    let mut marked = false;
    entries
        .into_iter()
        .map(|(href, text)| {
            let current = !marked && Some(href.len()) == here && under(&href);
            marked |= current;
            NavLink {
                href,
                text,
                current,
            }
        })
        .collect()
}

impl Page {
    /// A page for a signed-in user, with the navigation their role allows.
    pub fn for_user(user: &CurrentUser, title: impl Into<String>) -> Self {
        let u = &user.user;
        // No 首页 entry: /admin forwards to 本校调查 or 回收情况, which are listed.
        let mut nav: Vec<(String, &'static str)> = Vec::new();
        if let Some(s) = u.school_id.filter(|_| u.role() == Role::School) {
            nav.push((format!("/admin/schools/{s}"), "本校调查"));
        }
        if matches!(u.role(), Role::Township | Role::Bureau) {
            nav.push(("/admin/coverage".into(), "回收情况"));
        }
        if u.role() == Role::Township {
            // Township officers read the surveys; the bureau writes them (its entry below).
            nav.push(("/admin/surveys".into(), "问卷"));
        }
        if u.role() == Role::Bureau {
            for (href, text) in [
                ("/admin/rounds", "调查轮次"),
                ("/admin/surveys", "问卷编写"),
                ("/admin/ledger", "台账月报告"),
                ("/admin/schools", "学校"),
                ("/admin/townships", "镇街"),
                ("/admin/accounts", "账户"),
                ("/admin/audit", "操作日志"),
            ] {
                nav.push((href.into(), text));
            }
        }
        nav.push(("/admin/complaints".into(), "举报与意见"));
        nav.push((
            match (u.role(), u.school_id) {
                (Role::School, Some(s)) => format!("/admin/schools/{s}/cases"),
                _ => "/admin/cases".into(),
            },
            "典型案例",
        ));
        nav.push(("/account/password".into(), "修改密码"));
        let nav = mark_current(nav, &user.path);
        Self {
            title: title.into(),
            nav,
            user_label: format!("{}（{}）", u.display_name, u.role().label()),
            csrf: user.csrf.clone(),
            ..Self::default()
        }
    }

    /// A page for someone not signed in (sign-in, set a password).
    pub fn public(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    pub fn section(mut self, s: Section) -> Self {
        self.sections.push(s);
        self
    }
}
