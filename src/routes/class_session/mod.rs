//! The computer room's devices (机房模式): a session's code leads to the students' survey, and
//! after each answer the device starts clean for the next student.

pub mod entry;
pub mod next;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use crate::error::AppResult;
use crate::routes::survey::message;
use crate::state::State;

/// The code as it goes into a path: only its letters and digits, so nothing else reaches a URL.
pub fn url_code(k: &str) -> String {
    k.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect()
}

/// The page a device shows once the session has all its answers or its time is up.
pub fn over_page(state: &State, school_name: &str) -> AppResult<HttpResponse> {
    message(
        state,
        StatusCode::GONE,
        "本节课的问卷填写已经结束",
        school_name,
        vec![
            "本班的问卷已经收齐，或者填写时间已到。".into(),
            "谢谢同学们！请听老师的安排。".into(),
        ],
    )
}
