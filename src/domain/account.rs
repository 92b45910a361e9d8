//! Staff accounts: roles, e-mail addresses and the password rule. Parents
//! have no accounts.

use serde::Serialize;

/// What an account may see: everything, one township, or one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 教育局管理员
    Bureau,
    /// 镇/街道教委办
    Township,
    /// 学校管理员
    School,
}

impl Role {
    pub fn db_code(self) -> &'static str {
        match self {
            Role::Bureau => "bureau",
            Role::Township => "township",
            Role::School => "school",
        }
    }

    pub fn from_db_code(s: &str) -> Option<Self> {
        match s {
            "bureau" => Some(Role::Bureau),
            "township" => Some(Role::Township),
            "school" => Some(Role::School),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Bureau => "教育局管理员",
            Role::Township => "镇街教委办",
            Role::School => "学校管理员",
        }
    }
}

/// An e-mail address that is safe to put in a mail header: trimmed,
/// lower-cased, one `@`, no spaces, no CR/LF or other control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("请填写电子邮箱。".into());
        }
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("电子邮箱中不能有空格或换行。".into());
        }
        let (local, domain) = s
            .split_once('@')
            .ok_or_else(|| "电子邮箱格式不正确。".to_string())?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.contains('@')
            || s.len() > 254
            || s.contains(['<', '>', ',', ';', '"'])
        {
            return Err("电子邮箱格式不正确。".into());
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 128;

pub fn check_new_password(password: &str, confirm: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符。"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("密码不能超过 {MAX_PASSWORD_CHARS} 个字符。"));
    }
    if password != confirm {
        return Err("两次输入的密码不一致。".into());
    }
    Ok(())
}

/// A display name: 1–50 characters, no control characters.
pub fn check_display_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 || name.chars().any(char::is_control) {
        return Err("请填写 1–50 个字的姓名或称呼，不能换行。".into());
    }
    Ok(name.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn emails_that_could_inject_headers_are_refused() {
        assert_eq!(
            Email::parse(" A@School.cn ").unwrap().as_str(),
            "a@school.cn"
        );
        for bad in [
            "a@b.cn\r\nBcc: x@y.cn",
            "a b@c.cn",
            "a@b",
            "@b.cn",
            "a@@b.cn",
            "x<a@b.cn>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn password_rules() {
        assert!(check_new_password("short", "short").is_err());
        assert!(check_new_password("long enough!", "different!!").is_err());
        assert!(check_new_password("long enough!", "long enough!").is_ok());
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Bureau, Role::Township, Role::School] {
            assert_eq!(Role::from_db_code(r.db_code()), Some(r));
        }
    }
}
