//! Helpers for staff tests: make accounts directly in the database, sign in
//! through the real login form, and act as a signed-in browser (cookie jar,
//! CSRF token from the page).

use diesel::prelude::*;
use kehou_survey::auth::password;
use kehou_survey::db::{self, users::NewUser};
use kehou_survey::domain::account::{Email, Role};

use crate::helpers::{encode, TestApp};

pub const PASSWORD: &str = "correct horse battery staple";

/// A browser with its own cookie jar, signed in or not.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.address.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A JSON answer (the analysis API), which must be a 200.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }

    /// A download's bytes, which must be a 200.
    pub async fn get_bytes(&self, path: &str) -> Vec<u8> {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        r.bytes().await.unwrap().to_vec()
    }

    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encode(pairs))
            .send()
            .await
            .unwrap()
    }

    /// Posts a multipart form with `files` (`(name, bytes)`) as its `files` parts: status and
    /// page.
    pub async fn post_files(
        &self,
        path: &str,
        mut form: reqwest::multipart::Form,
        files: Vec<(&str, Vec<u8>)>,
    ) -> (u16, String) {
        for (name, bytes) in files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        }
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Changes the signed-in user's password through the form, from `current` to `new`.
    pub async fn change_password(&self, current: &str, new: &str) -> reqwest::Response {
        let csrf = self.csrf_from("/account/password").await;
        self.post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", current),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await
    }

    /// The CSRF token a page's forms carry.
    pub async fn csrf_from(&self, path: &str) -> String {
        let (status, html) = self.get_html(path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        csrf_in(&html)
    }

    /// Signs in through the login form; returns the 303's location.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf_from("/login").await;
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", "/admin"),
            ],
        )
        .await
    }
}

pub fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a csrf field in the page")
        .to_string()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

impl TestApp {
    /// Creates an account with a password, straight in the database.
    pub fn make_user(
        &self,
        email: &str,
        role: Role,
        school_code: Option<&str>,
        township: Option<&str>,
    ) -> i64 {
        let mut c = self.conn();
        let school_id = school_code.map(|code| {
            db::schools::find_by_code(&mut c, code)
                .unwrap()
                .expect("school")
                .id
        });
        let township_id = township.map(|name| self.township_id(name));
        let email = Email::parse(email).unwrap();
        let id = db::users::create(
            &mut c,
            &NewUser {
                email: &email,
                display_name: "测试用户",
                role,
                township_id,
                school_id,
            },
            self.clock.now(),
        )
        .unwrap();
        db::users::set_password_hash(&mut c, id, &password::hash(PASSWORD).unwrap()).unwrap();
        id
    }

    pub fn township_id(&self, name: &str) -> i64 {
        db::townships::list(&mut self.conn())
            .unwrap()
            .into_iter()
            .find(|t| t.name == name)
            .expect("township")
            .id
    }

    pub fn school_id(&self, code: &str) -> i64 {
        db::schools::find_by_code(&mut self.conn(), code)
            .unwrap()
            .expect("school")
            .id
    }

    /// Signs a new browser in as an existing account.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let b = Browser::new(self);
        let r = b.login(email, PASSWORD).await;
        assert_eq!(
            r.status(),
            303,
            "login as {email}: {}",
            r.text().await.unwrap_or_default()
        );
        b
    }

    pub fn audit_actions(&self) -> Vec<String> {
        use kehou_survey::db::schema::audit_log;
        audit_log::table
            .select(audit_log::action)
            .order(audit_log::id)
            .load(&mut self.conn())
            .unwrap()
    }
}
