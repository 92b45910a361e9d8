//! The route table, readable top to bottom: method, path, who may use it,
//! handler. `TABLE` is the same list as data, so a test can walk every route
//! for every role; a route added here is classified by construction.

mod account;
mod admin;
mod cases;
pub mod class_session;
mod feedback;
mod health;
mod home;
pub mod metrics;
mod not_found;
mod openapi;
mod publication;
mod setup;
mod static_files;
pub mod support;
mod survey;

use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::web;

use crate::auth::access::{guard, Access};

/// Content-Security-Policy: only our own script (no inline script at all), no
/// framing, forms only to ourselves. Styles are inlined so a page renders
/// after one round trip; they cannot run code.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The headers of every response; behind https (`https`) also HSTS, so that a
/// browser never again asks for the site in clear.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        // One-time codes travel in URLs: never pass them on in a Referer.
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}

/// The sign-in failure message (the same for every kind of failure).
pub fn account_failed_message() -> &'static str {
    account::login::FAILED
}

/// One row of the route table.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! route_table {
    ($( $method:ident $path:literal $access:ident => $handler:path; )*) => {
        /// Every route, as data.
        pub const TABLE: &[RouteInfo] = &[
            $( RouteInfo { method: stringify!($method), path: $path, access: Access::$access }, )*
        ];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(
                cfg.route(
                    $path,
                    web::$method()
                        .to($handler)
                        .wrap(from_fn(|req: actix_web::dev::ServiceRequest, next| {
                            actix_web::HttpMessage::extensions_mut(&req).insert(metrics::RoutePattern($path));
                            guard(Access::$access, req, next)
                        })),
                );
            )*
            cfg.default_service(web::to(not_found::any));
        }
    };
}

route_table! {
    // Anyone: what the platform is, where to turn
    get  "/"                           Public => home::get;

    // Operations
    get  "/healthz"                    Public => health::get;
    get  "/metrics"                    Public => metrics::get;
    get  "/api/openapi.json"           Public => openapi::get;
    get  "/static/survey.js"           Public => static_files::survey_js;
    get  "/static/paper.js"            Public => static_files::paper_js;
    get  "/static/staff.js"            Public => static_files::staff_js;
    get  "/static/editor.js"           Public => static_files::editor_js;

    // Parents: a school's public link in one round
    get  "/s/{slug}"                   Public => survey::letter::get;
    post "/s/{slug}"                   Public => survey::submit::post;
    get  "/s/{slug}/form"              Public => survey::form::get;
    get  "/s/{slug}/thanks"            Public => survey::thanks::get;
    get  "/c/{code}"                   Public => survey::code::get;
    // Students in the computer room (机房模式): a class session's devices
    get  "/k/{session}"                Public => class_session::entry::get;
    get  "/k/{session}/next"           Public => class_session::next::get;
    get  "/s/{slug}/qr.png"            Public => publication::qr::png;
    get  "/s/{slug}/qr.svg"            Public => publication::qr::svg;
    get  "/s/{slug}/letter"            Public => publication::letter::get;
    // Parents: complaints and suggestions (举报/意见), from a survey link or the standing channel
    get  "/s/{slug}/feedback"          Public => feedback::form::get;
    post "/s/{slug}/feedback"          Public => feedback::form::post;
    get  "/feedback"                   Public => feedback::standing::get;
    post "/feedback"                   Public => feedback::standing::post;
    // Everyone: the typical cases the bureau selected (典型案例)
    get  "/cases"                      Public => cases::list;
    get  "/cases/files/{file_id}"      Public => cases::file;

    // Staff: first administrator, sign-in, account links
    get  "/setup/{token}"              Public => setup::get;
    post "/setup/{token}"              Public => setup::post;
    get  "/login"                      Public => account::login::get;
    post "/login"                      Public => account::login::post;
    get  "/invite/{token}"             Public => account::set_password::get_invite;
    post "/invite/{token}"             Public => account::set_password::post_invite;
    get  "/password-reset"             Public => account::reset::get;
    post "/password-reset"             Public => account::reset::post;
    get  "/reset/{token}"              Public => account::set_password::get_reset;
    post "/reset/{token}"              Public => account::set_password::post_reset;
    post "/logout"                     Staff  => account::logout::post;
    get  "/account/password"           Staff  => account::change_password::get;
    post "/account/password"           Staff  => account::change_password::post;

    // Dashboards: each sees only what is theirs (scope checked by the guard)
    get  "/admin"                                              Staff    => admin::home::get;
    get  "/admin/schools/{school_id}"                          Staff    => admin::school::get;
    get  "/admin/schools/{school_id}/plan"                     Staff    => admin::plan::get;
    post "/admin/schools/{school_id}/plan"                     SchoolStaff => admin::plan::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}"        Staff    => admin::school_round::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/codes"  SchoolStaff => admin::codes::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/codes"  SchoolStaff => admin::codes::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/slips"  SchoolStaff => admin::slips::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/paper"  SchoolStaff => admin::paper::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/paper"  SchoolStaff => admin::paper::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/paper/compare" SchoolStaff => admin::paper_compare::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/paper/compare" SchoolStaff => admin::paper_compare::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/scans"  SchoolStaff => admin::scans::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/scans"  SchoolStaff => admin::scans::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}" SchoolStaff => admin::scan_review::get;
    get  "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}/picture/{question}" SchoolStaff => admin::scan_review::picture;
    post "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}" SchoolStaff => admin::scan_review::post;
    post "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}/aside" SchoolStaff => admin::scan_review::aside;
    get  "/admin/schools/{school_id}/rounds/{round_id}/analysis" Staff  => admin::analysis::school;
    post "/admin/schools/{school_id}/rounds/{round_id}/class-sessions" SchoolStaff => admin::class_session_open::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/supplement" Staff => admin::supplement::get;
    post "/admin/schools/{school_id}/rounds/{round_id}/supplement" SchoolStaff => admin::supplement::post;
    get  "/admin/schools/{school_id}/rounds/{round_id}/supplement/answers" Staff => admin::supplement_answers::get;
    get  "/admin/schools/{school_id}/class-sessions/{session}" SchoolStaff => admin::class_session::get;
    get  "/admin/coverage"                                     Township => admin::coverage::get;
    get  "/admin/townships/{township_id}/rounds/{round_id}/analysis" Township => admin::analysis::township;
    post "/admin/rounds/{round_id}/reminders"                  Township => admin::reminders::post;

    // Complaints to rectification (整改): each sees its own (scope checked by the guard)
    get  "/admin/complaints"                                   Staff    => admin::complaints::get;
    get  "/admin/complaints/{complaint_id}"                    Staff    => admin::complaint::get;
    post "/admin/complaints/{complaint_id}/assign"             Township => admin::complaint::assign;
    post "/admin/complaints/{complaint_id}/plan"               SchoolStaff => admin::complaint::plan;
    post "/admin/complaints/{complaint_id}/follow-up"          Township => admin::complaint::follow_up;
    post "/admin/complaints/{complaint_id}/close"              Bureau   => admin::complaint::close;

    // Typical cases (典型案例): the school submits, the township recommends, the bureau selects
    get  "/admin/schools/{school_id}/cases"                    Staff    => admin::cases::school_get;
    post "/admin/schools/{school_id}/cases"                    SchoolStaff => admin::cases::school_post;
    get  "/admin/cases"                                        Township => admin::cases::review_get;
    post "/admin/cases/{case_id}/recommend"                    Township => admin::cases::recommend;
    post "/admin/cases/{case_id}/select"                       Bureau   => admin::cases::select;
    get  "/admin/cases/export"                                 Bureau   => admin::cases::export;
    get  "/admin/cases/{case_id}"                              Staff    => admin::cases::show;
    get  "/admin/cases/{case_id}/files/{file_id}"              Staff    => admin::cases::file;

    // Bureau only
    get  "/admin/schools"                      Bureau => admin::schools::get;
    post "/admin/schools/import"               Bureau => admin::schools::import;
    get  "/admin/surveys/import"               Bureau => admin::survey_import::get;
    post "/admin/surveys/import"               Bureau => admin::survey_import::post;
    get  "/admin/townships"                    Bureau => admin::townships::get;
    post "/admin/townships"                    Bureau => admin::townships::post;
    get  "/admin/accounts"                     Bureau => admin::accounts::get;
    post "/admin/accounts"                     Bureau => admin::accounts::invite;
    post "/admin/accounts/{user_id}/active"    Bureau => admin::accounts::set_active;
    get  "/admin/rounds"                       Bureau => admin::rounds::get;
    get  "/admin/rounds/{round_id}/analysis"   Bureau => admin::analysis::city;
    post "/admin/rounds"                       Bureau => admin::rounds::post;
    get  "/admin/ledger"                       Bureau => admin::ledger::get;
    post "/admin/ledger"                       Bureau => admin::ledger::post;
    get  "/admin/audit"                        Bureau => admin::audit::get;

    // Writing surveys on the web: the bureau writes, township officers may look
    get  "/admin/surveys"                              Township => admin::surveys::list::get;
    post "/admin/surveys"                              Bureau   => admin::surveys::list::post;
    get  "/admin/surveys/{survey_key}"                 Township => admin::surveys::edit::get;
    post "/admin/surveys/{survey_key}"                 Bureau   => admin::surveys::edit::post;
    get  "/admin/surveys/{survey_key}/preview"         Township => admin::surveys::preview::get;
    get  "/admin/surveys/{survey_key}/history"         Township => admin::surveys::history::get;
    get  "/admin/surveys/{survey_key}/export"          Township => admin::surveys::export::get;
    post "/admin/surveys/{survey_key}/import"          Bureau   => admin::surveys::import::post;
}
