//! The audit log in plain Chinese: what each recorded action code and each `key=value` of
//! its detail mean to the person reading the log. The log stores codes (stable, searchable);
//! every page that shows an entry reads it through here, so the wording lives in one place.

/// Every action the app records, with what a person would call it.
pub const ACTIONS: &[(&str, &str)] = &[
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    ("sign_out", "退出登录"),
    ("password_changed", "修改密码"),
    ("email_password_reset", "发送重设密码邮件"),
    ("account_created", "创建账户"),
    ("account_invited", "邀请新账户"),
    ("account_enabled", "启用账户"),
    ("account_disabled", "停用账户"),
    ("account_unlocked", "解除账户锁定"),
    ("email_invitation", "发送邀请邮件"),
    ("township_added", "添加镇街"),
    ("roster_imported", "导入学校名册"),
    ("round_published", "发布调查轮次"),
    ("round_purged", "按期删除原始回答"),
    ("codes_generated", "生成填写码"),
    ("codes_printed", "打印填写码告家长书"),
    ("plan_saved", "保存一校一案"),
    ("analysis_view", "查看需求分析报告"),
    ("analysis_export", "下载需求分析报告"),
    ("ledger_export", "下载台账月报告"),
    ("email_ledger", "发送台账月报告邮件"),
    ("email_reminder", "发送催填提醒邮件"),
    ("email_overdue", "发送整改超期提醒邮件"),
    ("email_complaint", "发送举报转办邮件"),
    ("complaints_viewed", "查看举报与意见列表"),
    ("complaint_viewed", "查看一条举报与意见"),
    ("complaint_assigned", "交办举报"),
    ("complaint_plan", "填写整改方案"),
    ("complaint_follow_up", "跟进整改"),
    ("complaint_closed", "办结举报"),
    ("case_submitted", "提交典型案例"),
    ("case_recommended", "推荐典型案例"),
    ("case_selected", "选定典型案例"),
    ("cases_exported", "导出典型案例"),
    ("export_raw_cli", "导出原始回答（命令行）"),
    ("slips_printed", "打印纸质回执"),
    ("paper_entered", "录入纸质回执"),
    ("slips_scanned", "扫描纸质回执"),
    ("scan_set_aside", "搁置一张扫描的回执（改为手工录入）"),
    ("class_session_opened", "开始机房集中填写"),
    ("supplement_saved", "修改本校补充题"),
    ("supplement_answers_exported", "下载本校补充题的回答"),
    ("survey_created", "新建网页问卷"),
    ("survey_saved", "保存问卷新版本"),
    ("survey_imported", "导入问卷文件"),
];

/// The action in words; an unknown code (from a newer version) is still not shown raw.
pub fn action_label(code: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他操作", |(_, l)| l)
}

/// The names of the detail's keys.
const KEYS: &[(&str, &str)] = &[
    ("round", "轮次编号"),
    ("school", "学校编号"),
    ("case", "案例编号"),
    ("complaint", "举报编号"),
    ("user", "账户编号"),
    ("codes", "填写码"),
    ("cases", "案例数"),
    ("files", "附件数"),
    ("responses", "回答份数"),
    ("schools", "学校数"),
    ("scope", "范围"),
    ("format", "格式"),
    ("month", "月份"),
    ("to", "收件"),
    ("email", "邮箱"),
    ("role", "角色"),
    ("survey", "问卷"),
    ("codes_required", "需要填写码"),
    ("created", "新增"),
    ("updated", "更新"),
    ("file", "文件"),
    ("masked", "个人信息已遮盖"),
    ("school_id", "学校编号"),
    ("slips", "回执张数"),
    ("serial", "回执编号"),
    ("grade", "年级"),
    ("class", "班级"),
    ("expected", "预计人数"),
    ("supplement_max", "每校补充题上限"),
    ("change", "改动"),
    ("from", "复制自"),
    ("version", "版本序号"),
    ("questions", "题目数"),
    ("pages", "页数"),
    ("stored", "已保存"),
    ("waiting", "待人工核对"),
    ("skipped", "未保存"),
];

/// English words some details carry for their own readers; the action already says them.
const DROPPED: &[&str] = &[
    "ledger",
    "reminder",
    "overdue",
    "invitation",
    "complaint",
    "to",
    "first",
    "bureau",
    "administrator",
];

fn value_text(key: &str, value: &str) -> String {
    match (key, value) {
        (_, "true") => "是".into(),
        (_, "false") => "否".into(),
        ("format", "html") => "网页".into(),
        ("format", "xlsx") => "Excel 表格".into(),
        ("format", "csv") => "CSV 表格文本".into(),
        ("format", "parquet") => "数据分析文件".into(),
        ("format", "json") => "数据接口".into(),
        ("role", r) => {
            super::account::Role::from_db_code(r).map_or(r.to_string(), |r| r.label().to_string())
        }
        ("survey", "after-school-needs") => "课后服务需求调查".into(),
        ("survey", "parent-satisfaction") => "家长满意度调查".into(),
        ("change", "added") => "新增一题".into(),
        ("change", "edited") => "修改一题".into(),
        ("change", "removed") => "删除一题".into(),
        ("survey" | "from", v) if v.starts_with("web-") => {
            format!("网页编写的第 {} 份问卷", v.trim_start_matches("web-"))
        }
        ("from", "after-school-needs") => "课后服务需求调查".into(),
        ("from", "parent-satisfaction") => "家长满意度调查".into(),
        ("from", "student-needs") => "学生版课后服务需求调查".into(),
        ("from", "teacher-survey") => "课后服务教师意愿调查".into(),
        ("from", "import") => "从其他问卷工具导入".into(),
        _ => value.to_string(),
    }
}

/// The detail in words: `round=1 codes=0` → `轮次编号 1，填写码 0`.
pub fn detail_text(detail: &str) -> String {
    if detail == "first bureau administrator" {
        return "首个教育局管理员".into();
    }
    let mut parts = Vec::new();
    for token in detail.split_whitespace() {
        match token.split_once('=') {
            Some((k, v)) => {
                let name = KEYS
                    .iter()
                    .find(|(c, _)| *c == k)
                    .map_or("其他", |(_, l)| l);
                parts.push(format!("{name} {}", value_text(k, v)));
            }
            None if DROPPED.contains(&token) => {}
            None => parts.push(token.to_string()),
        }
    }
    parts.join("，")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_details_read_as_chinese() {
        assert_eq!(action_label("codes_printed"), "打印填写码告家长书");
        assert_eq!(action_label("no_such_thing"), "其他操作");
        assert_eq!(
            detail_text("round=1 scope=全市 format=html"),
            "轮次编号 1，范围 全市，格式 网页"
        );
        assert_eq!(
            detail_text("ledger month=2026-11 to=2"),
            "月份 2026-11，收件 2"
        );
        assert_eq!(detail_text("invitation to a@b.cn"), "a@b.cn");
    }
}
