//! Sign-in with OpenID Connect (ssr only): Authorization Code flow with PKCE (S256), state
//! and nonce, kept in the server-side session and consumed once on the callback.
//!
//! The HTTP client follows no redirects; the ID token is validated by `openidconnect`
//! (signature, issuer, audience, expiry, nonce); the callback checks the `iss` parameter when
//! present (RFC 9207). Users are identified by (issuer, subject). A first sign-in creates a
//! pending account for the provider's organisation, which an administrator approves.
//!
//! Providers come from the environment:
//! `KYODO_OIDC_PROVIDERS=entra,keycloak` and, per name `N` (upper case):
//! `KYODO_OIDC_N_ISSUER`, `KYODO_OIDC_N_CLIENT_ID`, `KYODO_OIDC_N_CLIENT_SECRET`,
//! `KYODO_OIDC_N_ORGS` (organisation keys it may sign in for, comma-separated),
//! `KYODO_OIDC_N_DOMAINS` (optional hints `domain=org_key,…` to pick among several
//! organisations by e-mail domain), `KYODO_OIDC_N_LABEL` (button text).

use super::model::OidcFailure;
use super::model::VerifiedClaims;
use crate::config::OidcProvider;
use crate::state::AppState;
use anyhow::Context;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Session key of the sign-in in progress.
const PENDING_KEY: &str = "oidc_pending";

/// What the session keeps between the redirect to the provider and the callback.
#[derive(Serialize, Deserialize)]
struct Pending {
    provider: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
}

/// An HTTP client that follows no redirects (a redirect from a token endpoint is refused).
fn http_client() -> anyhow::Result<reqwest::Client> {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .context("building the OIDC HTTP client")
}

/// A client for `provider` as discovery describes it, with Kyodo's redirect URI.
type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Discovers the provider's metadata (endpoints, signing keys) and builds its client.
async fn oidc_client(
    state: &AppState,
    provider: &OidcProvider,
    http: &reqwest::Client,
) -> anyhow::Result<ProviderClient> {
    let issuer = IssuerUrl::new(provider.issuer.clone())?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .context("OIDC discovery")?;
    let redirect = RedirectUrl::new(format!("{}/auth/oidc/callback", state.public_url))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

fn login_failure(failure: OidcFailure) -> Response {
    tracing::warn!(?failure, "OIDC sign-in refused");
    Redirect::to(&format!("/login?oidc_error={}", failure.code())).into_response()
}

/// GET `/auth/oidc/{provider}/start`: sends the browser to the provider. Public.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> Response {
    let Some(provider) = state.oidc.iter().find(|p| p.name == name) else {
        return login_failure(OidcFailure::UnknownProvider);
    };
    let result = async {
        let http = http_client()?;
        let client = oidc_client(&state, provider, &http).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            provider: provider.name.clone(),
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        };
        session
            .insert(PENDING_KEY, pending)
            .await
            .context("saving the sign-in state")?;
        anyhow::Ok(url)
    }
    .await;
    match result {
        Ok(url) => Redirect::to(url.as_str()).into_response(),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "OIDC start failed");
            login_failure(OidcFailure::ProviderUnavailable)
        }
    }
}

/// Query of the callback.
#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// GET `/auth/oidc/callback`: validates everything, then signs in an active user, or creates
/// a pending account on first sign-in. Every refusal creates nothing and goes to `/login`
/// with a translated reason. Public.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<Callback>,
) -> Response {
    // Consumed once: a replayed or second callback finds nothing.
    let pending: Option<Pending> = session.remove(PENDING_KEY).await.ok().flatten();
    let Some(pending) = pending else {
        return login_failure(OidcFailure::NoSignInInProgress);
    };
    if query.state.as_deref() != Some(pending.state.as_str()) {
        return login_failure(OidcFailure::StateMismatch);
    }
    if query.error.is_some() {
        return login_failure(OidcFailure::ProviderRefused);
    }
    let Some(provider) = state
        .oidc
        .iter()
        .find(|p| p.name == pending.provider)
        .cloned()
    else {
        return login_failure(OidcFailure::UnknownProvider);
    };
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != provider.issuer)
    {
        return login_failure(OidcFailure::IssuerMismatch);
    }
    let Some(code) = query.code else {
        return login_failure(OidcFailure::ProviderRefused);
    };
    let claims = match verified_claims(&state, &provider, &pending, code).await {
        Ok(c) => c,
        Err(failure) => return login_failure(failure),
    };
    match super::repo::sign_in_identity(&state.db, &provider, &claims).await {
        Ok(super::repo::IdentityOutcome::Active(user_id)) => {
            match super::session::begin(&session, user_id).await {
                Ok(()) => Redirect::to("/").into_response(),
                Err(e) => {
                    tracing::error!(%e, "saving the session failed");
                    login_failure(OidcFailure::ProviderUnavailable)
                }
            }
        }
        Ok(super::repo::IdentityOutcome::Pending) => {
            Redirect::to("/login?oidc=pending").into_response()
        }
        Ok(super::repo::IdentityOutcome::Refused(failure)) => login_failure(failure),
        Err(e) => {
            tracing::error!(?e, "recording the identity failed");
            login_failure(OidcFailure::ProviderUnavailable)
        }
    }
}

async fn verified_claims(
    state: &AppState,
    provider: &OidcProvider,
    pending: &Pending,
    code: String,
) -> Result<VerifiedClaims, OidcFailure> {
    let unavailable = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "OIDC provider unavailable");
        OidcFailure::ProviderUnavailable
    };
    let http = http_client().map_err(|e| unavailable(&e))?;
    let client = oidc_client(state, provider, &http)
        .await
        .map_err(|e| unavailable(&format!("{e:#}")))?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| unavailable(&e))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "code exchange refused");
            OidcFailure::CodeRejected
        })?;
    let id_token = token.id_token().ok_or(OidcFailure::TokenInvalid)?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(pending.nonce.clone()),
        )
        .map_err(|e| {
            tracing::warn!(error = %e, "ID token refused");
            OidcFailure::TokenInvalid
        })?;
    Ok(VerifiedClaims {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        // An address the provider has not verified proves nothing: it is not used to choose
        // the organisation (OpenID Connect Core 1.0, §5.1 `email_verified`).
        email: claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .map(|e| e.to_string()),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(orgs: &[&str], domains: &[(&str, &str)]) -> OidcProvider {
        OidcProvider {
            name: "p".into(),
            label: "P".into(),
            issuer: "http://127.0.0.1:3200".into(),
            client_id: "kyodo".into(),
            client_secret: "s".into(),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            domains: domains
                .iter()
                .map(|(d, o)| (d.to_string(), o.to_string()))
                .collect(),
        }
    }

    #[test]
    fn organisation_comes_from_the_mapping_and_the_domain_is_only_a_hint() {
        assert_eq!(
            provider(&["132012"], &[]).organisation_for(None).as_deref(),
            Some("132012")
        );
        let p = provider(
            &["132012", "131164"],
            &[
                ("city.hachioji.lg.jp", "132012"),
                ("evil.example", "130001"),
            ],
        );
        assert_eq!(
            p.organisation_for(Some("a@CITY.hachioji.lg.jp")).as_deref(),
            Some("132012")
        );
        assert_eq!(p.organisation_for(Some("a@other.lg.jp")), None);
        // A hint to an organisation the provider is not mapped to is ignored.
        assert_eq!(p.organisation_for(Some("a@evil.example")), None);
        assert_eq!(p.organisation_for(None), None);
    }

    #[test]
    fn secrets_are_redacted() {
        let debug = format!("{:?}", provider(&["132012"], &[]));
        assert!(!debug.contains("\"s\""), "{debug}");
        assert!(debug.contains("[redacted]"));
    }
}
