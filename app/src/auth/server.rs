//! Server functions of identity and access (sign-in, sign-out, language, accounts) and the
//! middleware that refuses cross-site POSTs.

use super::model::CurrentUser;
#[cfg(feature = "ssr")]
use super::request::{app_state, caller, session};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user (POST `/api/current_user`). Public: `None` when signed out.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    caller().await
}

/// Demo sign-in as a persona (POST `/api/demo_sign_in`, form field `persona`).
///
/// Public, but only while demo mode is on ([`AppError::DemoDisabled`] otherwise); an unknown
/// persona is [`AppError::Invalid`]. A new session id is issued (no fixation), then the
/// browser is sent to `/`.
#[server(prefix = "/api", endpoint = "demo_sign_in")]
pub async fn demo_sign_in(persona: String) -> Result<(), AppError> {
    let state = app_state()?;
    crate::policy::require_demo(state.demo)?;
    let persona = super::model::Persona::find(&persona).ok_or_else(|| AppError::Invalid {
        field: "persona".into(),
        reason: format!("unknown persona {}", crate::error::quoted(&persona)),
    })?;
    let session = session().await?;
    super::session::begin(&session, persona.user_id())
        .await
        .map_err(AppError::internal)?;
    tracing::info!(persona = persona.key, "demo sign-in");
    leptos_axum::redirect("/");
    Ok(())
}

/// Signs out (POST `/api/sign_out`): deletes the session record and sends the browser to
/// `/login`. Public (signing out while signed out does nothing).
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let session = session().await?;
    session.flush().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The configured OpenID Connect providers, for the sign-in page
/// (POST `/api/list_sign_in_providers`). Public: names and labels only.
#[server(prefix = "/api", endpoint = "list_sign_in_providers")]
pub async fn list_sign_in_providers() -> Result<Vec<super::model::SignInProvider>, AppError> {
    let state = app_state()?;
    Ok(state
        .oidc
        .iter()
        .map(|p| super::model::SignInProvider {
            name: p.name.clone(),
            label: p.label.clone(),
        })
        .collect())
}

/// Whether demo sign-in is available (POST `/api/demo_mode`). Public.
#[server(prefix = "/api", endpoint = "demo_mode")]
pub async fn demo_mode() -> Result<bool, AppError> {
    Ok(app_state()?.demo)
}

/// Signs out everywhere (POST `/api/sign_out_everywhere`): deletes every session of the
/// signed-in user, on all devices, then sends the browser to `/login`. Signed-in users.
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let state = app_state()?;
    let user = crate::policy::require_user(caller().await?)?;
    super::session::SurrealSessionStore::delete_user_sessions(&state.db, &user.id).await?;
    session().await?.flush().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Chooses the UI language (POST `/api/set_language`, form field `lang` = `ja` | `en`),
/// remembered for a year in the `kyodo_lang` cookie. Public. The browser returns to the page
/// it came from. Errors: [`AppError::Invalid`] for another value.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    let lang = crate::i18n::Lang::parse(&lang).ok_or_else(|| AppError::Invalid {
        field: "lang".into(),
        reason: format!("unknown language {}", crate::error::quoted(&lang)),
    })?;
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::i18n::LANG_COOKIE,
        lang.code()
    );
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        http::header::SET_COOKIE,
        http::HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
    );
    Ok(())
}

/// Refuses requests from other sites and, in demo mode, for other host names.
///
/// - A POST whose `Sec-Fetch-Site` is `cross-site`, or whose `Origin` (scheme, host, port)
///   differs from `KYODO_PUBLIC_URL`'s, gets 403 (CSRF). The request's own `Host` is not
///   trusted for this: a DNS-rebinding page sends a matching `Host` and `Origin`. In demo mode
///   the loopback names of the same scheme and port (`localhost`, `127.0.0.1`, `[::1]`) are
///   accepted too. Requests without either header (scripts, old browsers) pass; the session
///   cookie is `SameSite=Lax` as a second line.
/// - In demo mode (anyone may sign in as any persona) every request must name a loopback host
///   (`Host: localhost:3000`, `127.0.0.1`, `[::1]`); any other name gets 421, so that a page on
///   another name that resolves to 127.0.0.1 cannot reach the demo server.
#[cfg(feature = "ssr")]
pub async fn same_origin_posts(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let headers = request.headers();
    if state.demo {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.parse::<http::uri::Authority>().ok());
        if headers.contains_key(http::header::HOST)
            && !host.as_ref().is_some_and(|h| is_loopback_name(h.host()))
        {
            return (
                http::StatusCode::MISDIRECTED_REQUEST,
                "demo mode answers only on loopback host names (localhost, 127.0.0.1, [::1])",
            )
                .into_response();
        }
    }
    if request.method() == http::Method::POST {
        let cross_site = headers
            .get("sec-fetch-site")
            .is_some_and(|v| v == "cross-site");
        let origin_mismatch = headers.get(http::header::ORIGIN).is_some_and(|o| {
            !o.to_str()
                .is_ok_and(|o| origin_allowed(o, &state.public_url, state.demo))
        });
        if cross_site || origin_mismatch {
            return (http::StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(request).await
}

/// Whether a host name (no port) is a loopback name: `localhost`, an address in 127.0.0.0/8,
/// or `[::1]`.
#[cfg(feature = "ssr")]
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// (scheme, host, port) of an origin or URL, the port filled in for http and https.
#[cfg(feature = "ssr")]
fn origin_parts(url: &str) -> Option<(String, String, u16)> {
    let uri = url.trim().parse::<http::Uri>().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let host = uri.host()?.to_ascii_lowercase();
    let port = uri.port_u16().or(match scheme.as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    })?;
    Some((scheme, host, port))
}

/// Whether a request's `Origin` is Kyodo's own: equal to `public_url`'s scheme, host and port
/// (in demo mode, also a loopback name with the same scheme and port). `null` never is.
#[cfg(feature = "ssr")]
pub fn origin_allowed(origin: &str, public_url: &str, demo: bool) -> bool {
    let (Some(o), Some(p)) = (origin_parts(origin), origin_parts(public_url)) else {
        return false;
    };
    o == p || (demo && o.0 == p.0 && o.2 == p.2 && is_loopback_name(&o.1))
}

#[cfg(all(test, feature = "ssr"))]
mod origin_tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port_with_the_public_url() {
        let public = "https://kyodo.example.lg.jp";
        assert!(origin_allowed("https://kyodo.example.lg.jp", public, false));
        assert!(origin_allowed(
            "https://KYODO.example.lg.jp:443",
            public,
            false
        ));
        assert!(!origin_allowed("http://kyodo.example.lg.jp", public, false));
        assert!(!origin_allowed(
            "https://kyodo.example.lg.jp:8443",
            public,
            false
        ));
        assert!(!origin_allowed("https://evil.example", public, false));
        assert!(!origin_allowed("null", public, false));
        assert!(!origin_allowed("https://evil.example", public, true));
    }

    #[test]
    fn demo_mode_accepts_loopback_names_on_the_same_port() {
        let public = "http://127.0.0.1:3000";
        assert!(origin_allowed("http://localhost:3000", public, true));
        assert!(origin_allowed("http://[::1]:3000", public, true));
        assert!(!origin_allowed("http://localhost:3000", public, false));
        assert!(!origin_allowed("http://localhost:3001", public, true));
        assert!(!origin_allowed("http://rebind.example:3000", public, true));
    }

    #[test]
    fn loopback_names() {
        for name in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "localhost.",
        ] {
            assert!(is_loopback_name(name), "{name}");
        }
        for name in [
            "rebind.example",
            "localhost.evil.example",
            "10.0.0.1",
            "0.0.0.0",
            "[::]",
        ] {
            assert!(!is_loopback_name(name), "{name}");
        }
    }
}

/// Accounts the caller may manage (POST `/api/list_users`): all for an administrator, the
/// own organisation's for a CIO. Others: [`AppError::Forbidden`].
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<super::model::UserSummary>, AppError> {
    let state = app_state()?;
    let user = crate::policy::require_user(caller().await?)?;
    if !crate::policy::may_manage_users(&user) {
        return Err(AppError::Forbidden);
    }
    let scope = (!user.has(super::model::Role::Admin)).then(|| user.organisation.key.clone());
    Ok(super::repo::list_users(&state.db, &state.catalog, scope.as_deref()).await?)
}

/// Approves, disables or re-enables an account and sets its role
/// (POST `/api/set_user_access`, fields `user_id`, `status` = pending | active | disabled,
/// `role` = staff | cio | govtech_advisor | tokyo_officer | admin).
///
/// Errors: [`AppError::Invalid`] for an unknown status or role, or for changing one's own
/// account (no self-lockout or self-promotion); [`AppError::NotFound`] for an unknown user;
/// [`AppError::Forbidden`] when the policy refuses (a CIO outside their organisation or
/// granting a central role).
#[server(prefix = "/api", endpoint = "set_user_access")]
pub async fn set_user_access(
    user_id: String,
    status: String,
    role: String,
) -> Result<(), AppError> {
    use super::model::{AccountStatus, Role};
    let state = app_state()?;
    let user = crate::policy::require_user(caller().await?)?;
    let status = AccountStatus::parse(&status).ok_or_else(|| AppError::Invalid {
        field: "status".into(),
        reason: format!("unknown status {}", crate::error::quoted(&status)),
    })?;
    let role = Role::parse(&role).ok_or_else(|| AppError::Invalid {
        field: "role".into(),
        reason: format!("unknown role {}", crate::error::quoted(&role)),
    })?;
    if user.id == user_id {
        return Err(AppError::Invalid {
            field: "user_id".into(),
            reason: "own account".into(),
        });
    }
    let (org, current_roles) = super::repo::access_of_user(&state.db, &user_id).await?;
    if !crate::policy::may_manage_user(&user, &org, &current_roles, role) {
        return Err(AppError::Forbidden);
    }
    super::repo::set_access(&state.db, &user_id, status, role).await?;
    if status != AccountStatus::Active {
        super::session::SurrealSessionStore::delete_user_sessions(
            &state.db,
            &user_id.as_str().into(),
        )
        .await?;
    }
    tracing::info!(actor = %user.id, target = %user_id, status = status.code(), role = role.code(), "account access changed");
    Ok(())
}

/// The identity providers as configured, without secrets (POST `/api/list_provider_config`).
/// Administrators and CIOs.
#[server(prefix = "/api", endpoint = "list_provider_config")]
pub async fn list_provider_config() -> Result<Vec<super::model::ProviderInfo>, AppError> {
    let state = app_state()?;
    let user = crate::policy::require_user(caller().await?)?;
    if !crate::policy::may_manage_users(&user) {
        return Err(AppError::Forbidden);
    }
    Ok(state
        .oidc
        .iter()
        .map(|p| super::model::ProviderInfo {
            name: p.name.clone(),
            label: p.label.clone(),
            issuer: p.issuer.clone(),
            client_id: p.client_id.clone(),
            orgs: p.orgs.clone(),
        })
        .collect())
}

/// GET `/admin/backup`: a backup of the whole store (`crate::db::backup`: SurrealQL that
/// `kyodo restore` reads), streamed as `kyodo-backup-YYYYMMDD-HHMM.surql` (JST).
/// The file ends with its checksum line (`db::backup::verify`), so that a download cut short
/// is refused by `kyodo restore`. Administrators only (403 otherwise; 401 signed out). On a
/// remote SurrealDB server, which has no export over WebSocket, a 400 that says to use the
/// server's export command.
#[cfg(feature = "ssr")]
pub async fn download_backup(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use futures::StreamExt;
    let user = match super::request::user_of(&state, &session)
        .await
        .and_then(crate::policy::require_user)
    {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if !crate::policy::may_download_backup(&user) {
        return AppError::Forbidden.into_response();
    }
    let stream = match crate::db::backup::backup_stream(&state.db).await {
        Ok(stream) => stream,
        Err(e) if crate::db::backup::no_export(&e) => {
            return AppError::Rejected {
                field: "backup".into(),
                ja: "このデータベースはSurrealDBサーバーにあり、ここからはバックアップできません。サーバーの export コマンドを使ってください（README「Backups」）。".into(),
                en: "The database is on a SurrealDB server and cannot be backed up from here: use the server's export command (README, Backups).".into(),
            }
            .into_response();
        }
        Err(e) => return AppError::internal(format!("{e:#}")).into_response(),
    };
    tracing::info!(user = %user.id, "backup downloaded");
    let name = format!(
        "kyodo-backup-{}.surql",
        chrono::Utc::now()
            .with_timezone(&crate::i18n::jst())
            .format("%Y%m%d-%H%M")
    );
    crate::http::download(
        &name,
        "application/sql; charset=utf-8",
        axum::body::Body::from_stream(stream.map(|chunk| chunk.map_err(std::io::Error::other))),
    )
}
