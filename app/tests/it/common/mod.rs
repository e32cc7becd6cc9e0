//! The test harness: a [`TestApp`] on its own in-memory database (so tests run in
//! parallel), requests as a browser or a script sends them, and the demo personas' sign-in.

use app::config::Config;
use app::setup::{init_state, router};
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::Value;
use tower::ServiceExt;

/// One application instance: its router and its state (database, catalog).
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
}

/// What came back from one request.
pub struct Reply {
    pub status: StatusCode,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The `kyodo_session=…` pair of a `Set-Cookie` header, if any.
    pub cookie: Option<String>,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
    /// Every response header.
    pub headers: http::HeaderMap,
}

impl Reply {
    /// The body decoded into one of the app's own types; panics with the body when it does
    /// not decode.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not a {} ({e}): {}", std::any::type_name::<T>(), self.body))
    }

    /// The body as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The configuration of a test instance: database `url`, demo mode on or off, no OIDC
/// providers, no reference folder, rate limits high enough not to interfere.
pub fn config(url: &str, demo: bool) -> Config {
    let mut c = Config::from_env().expect("config");
    c.oidc = Vec::new();
    c.public_url = None;
    c.database.url = url.to_owned();
    c.database.user = None;
    c.database.password = None;
    c.demo = demo;
    c.rate_limits = app::auth::rate_limit::RateLimits {
        sign_in_per_minute: 1000,
        posts_per_second: 1000,
    };
    c.reference_dir = None;
    c.demo_projects = 0;
    c
}

/// `pairs` as an `application/x-www-form-urlencoded` body, every byte outside the unreserved
/// set percent-encoded, as a browser sends a form (`steps[0]` becomes `steps%5B0%5D`).
pub fn form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    pub async fn with(url: &str, demo: bool) -> TestApp {
        TestApp::with_config(config(url, demo)).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        // The server's log (an internal error's cause) goes to the test's output, which
        // nextest shows for a failed test only.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn,app=info")
            .with_test_writer()
            .try_init();
        let options = LeptosOptions::builder().output_name("kyodo").build();
        let state = init_state(&config, options).await.expect("start-up");
        TestApp {
            router: router(state.clone(), &config),
            state,
        }
    }

    /// An instance over `db`, a store already opened and migrated (e.g. just restored).
    pub async fn on(db: app::db::Db, demo: bool) -> TestApp {
        let config = config("mem://", demo);
        let options = LeptosOptions::builder().output_name("kyodo").build();
        let state = app::setup::init_state_on(db, &config, options)
            .await
            .expect("start-up");
        TestApp {
            router: router(state.clone(), &config),
            state,
        }
    }

    /// Another Kyodo server over the same database: the same state with caches of its own, as
    /// a second process behind a load balancer has.
    pub fn second_server(&self) -> TestApp {
        let mut state = self.state.clone();
        state.caches = app::db::counter::Caches::default();
        // A database session of its own, as another process has.
        state.db = std::sync::Arc::new(app::db::Db::clone(&self.state.db));
        TestApp {
            router: router(state.clone(), &config("mem://", true)),
            state,
        }
    }

    /// A fresh in-memory instance with demo mode and demo data (62 municipalities × 20 systems).
    pub async fn new() -> TestApp {
        TestApp::with("mem://", true).await
    }

    /// Sends a request through the router as a task of its own, as the server runs each
    /// connection: a page's rendering (deep in a debug build) then starts at the top of the
    /// stack instead of below the test's own future.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = tokio::spawn(self.router.clone().oneshot(request))
            .await
            .unwrap()
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .find(|c| c.starts_with("kyodo_session="));
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            location,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            headers,
        }
    }

    /// A form POST as a script sends it (JSON back).
    pub async fn post(&self, path: &str, form: &str, cookie: Option<&str>) -> Reply {
        let mut r = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    /// A GET (downloads), with the session cookie when given.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut r = Request::get(path);
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    /// Signs in as a demo persona; returns the session cookie.
    pub async fn sign_in(&self, persona: &str) -> String {
        let reply = self
            .post("/api/demo_sign_in", &format!("persona={persona}"), None)
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{} {}",
            reply.status,
            reply.body
        );
        reply.cookie.expect("session cookie")
    }

    /// Posts a file as the `file` field of a multipart form to `path`, as a plain HTML form does.
    pub async fn upload_to(&self, path: &str, cookie: &str, name: &str, bytes: &[u8]) -> Reply {
        self.upload_form(path, cookie, &[], name, bytes).await
    }

    /// Posts a multipart form with text `fields` and a `file` field, as a plain HTML form does.
    pub async fn upload_form(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: &[u8],
    ) -> Reply {
        let boundary = "kyodoTESTboundary";
        let mut body = Vec::new();
        for (field, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Uploads a file to the import route; returns the reply (303 to the run page).
    pub async fn upload(&self, cookie: &str, name: &str, bytes: &[u8]) -> Reply {
        self.upload_to("/standardization/import/upload", cookie, name, bytes)
            .await
    }

    /// Uploads and reads the run report through `get_import_run`.
    pub async fn import(&self, cookie: &str, bytes: &[u8]) -> Value {
        let reply = self.upload(cookie, "test.csv", bytes).await;
        self.report_of(cookie, reply).await
    }

    /// The report of the run an upload's reply (303 to the run page) names.
    pub async fn report_of(&self, cookie: &str, reply: Reply) -> Value {
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let id = reply
            .location
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let report = self
            .post("/api/get_import_run", &format!("id={id}"), Some(cookie))
            .await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        report.json()
    }

    /// The stored cell as (status, steps_done), or None.
    pub async fn cell(&self, lg: &str, system: &str) -> Option<(String, u8)> {
        app::standardization::repo::all_progress(&self.state.db)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.lg_code.as_str() == lg && p.system == system)
            .map(|p| (p.status.code().to_owned(), p.steps_done))
    }

    /// Every stored progress cell (without step lists), sorted, as JSON text.
    pub async fn snapshot(&self) -> String {
        let mut all = app::standardization::repo::all_progress(&self.state.db)
            .await
            .unwrap();
        all.sort_by(|a, b| {
            (a.lg_code.clone(), a.system.clone()).cmp(&(b.lg_code.clone(), b.system.clone()))
        });
        serde_json::to_string(&all).unwrap()
    }

    /// Every stored record with every field (step lists, free texts), sorted, as JSON text.
    pub async fn full_snapshot(&self) -> String {
        let mut all = app::standardization::repo::all_records(&self.state.db)
            .await
            .unwrap();
        all.sort_by(|a, b| {
            (a.lg_code.clone(), a.system.clone()).cmp(&(b.lg_code.clone(), b.system.clone()))
        });
        serde_json::to_string(&all).unwrap()
    }
}

/// A user made for one test: any role, any organisation, signed in.
pub struct TestUser {
    /// The user's key.
    pub id: String,
    /// The `kyodo_session=…` cookie of a signed-in session.
    pub cookie: String,
}

impl TestApp {
    /// Creates an active user with `role` in the organisation `org_key` (an lg code or
    /// `govtech_tokyo`), and a signed-in session for them, as a sign-in would leave it.
    pub async fn user(&self, role: app::auth::model::Role, org_key: &str) -> TestUser {
        use app::auth::session::{SIGNED_IN_AT_KEY, SurrealSessionStore, USER_KEY};
        use tower_sessions::SessionStore;
        use tower_sessions::session::{Id, Record};
        let id = format!("test_{}", app::ids::random_key());
        self.state
            .db
            .query(
                "CREATE type::record('app_user', $id) CONTENT {
                    name_ja: $name, name_en: $name, organisation: type::record('organisation', $org),
                    roles: [$role], status: 'active'
                }",
            )
            .bind(("id", id.clone()))
            .bind(("name", format!("{} {org_key}", role.code())))
            .bind(("org", org_key.to_owned()))
            .bind(("role", role.code().to_owned()))
            .await
            .unwrap()
            .check()
            .unwrap();
        let now = time::OffsetDateTime::now_utc();
        let mut record = Record {
            id: Id::default(),
            data: [
                (USER_KEY.to_owned(), serde_json::json!(id)),
                (
                    SIGNED_IN_AT_KEY.to_owned(),
                    serde_json::json!(now.unix_timestamp()),
                ),
            ]
            .into_iter()
            .collect(),
            expiry_date: now + time::Duration::hours(8),
        };
        SurrealSessionStore::new(app::db::Db::clone(&self.state.db))
            .create(&mut record)
            .await
            .unwrap();
        TestUser {
            id,
            cookie: format!("kyodo_session={}", record.id),
        }
    }
}
