//! Kyodo's settings (ssr only, layer 2): one typed struct read from `KYODO_…` environment
//! variables over defaults, the identity providers and the rate limits. Secrets redact
//! themselves in `Debug`.

use crate::db::DbConfig;
use anyhow::{Context, bail};
use std::path::PathBuf;

/// Largest accepted request body: 5 MiB (a progress CSV for all 62 × 20 cells is ~150 KB).
pub const BODY_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// Kyodo's settings, from environment variables over defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// Data folder for the embedded database (`KYODO_DATA_DIR`, default `./data`).
    pub data_dir: PathBuf,
    /// Database connection (`KYODO_DATABASE_URL`, default `surrealkv://<data_dir>/db`;
    /// `KYODO_DATABASE_USER`, `KYODO_DATABASE_PASSWORD` for a remote server).
    pub database: DbConfig,
    /// Demo sign-in and demo data (`KYODO_DEMO=1`); refused unless bound to loopback.
    pub demo: bool,
    /// Folder with replacement reference files `tokyo_local_governments.csv` and
    /// `standard_systems.csv` (`KYODO_REFERENCE_DIR`); the shipped copies when unset.
    pub reference_dir: Option<PathBuf>,
    /// Mark cookies `Secure` (`KYODO_SECURE_COOKIES=1`; set it when served over https).
    pub secure_cookies: bool,
    /// The address browsers use to reach Kyodo, for OIDC redirect URIs (`KYODO_PUBLIC_URL`,
    /// default `http://<LEPTOS_SITE_ADDR>`), without a trailing slash.
    pub public_url: Option<String>,
    /// OpenID Connect providers (`KYODO_OIDC_*`, see `auth::oidc`).
    pub oidc: Vec<OidcProvider>,
    /// Rate limits (`KYODO_RATE_*`, see `auth::rate_limit`).
    pub rate_limits: RateLimits,
    /// Load balancers and proxies in front of Kyodo (`KYODO_TRUSTED_PROXIES`, comma-separated
    /// IP addresses): for a connection from one of them, the client's address for the rate
    /// limits is the last address in `X-Forwarded-For` that is not one of them.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The OCDS `ocid` prefix of the council's open data (`KYODO_OCDS_PREFIX`, default
    /// [`DEFAULT_OCDS_PREFIX`]): `ocds-` and six letters or digits, as the Open Contracting
    /// Partnership registers them; every project's `ocid` is `<prefix>-<project key>`.
    pub ocds_prefix: String,
    /// How many demo projects demo mode stores in an empty project table
    /// (`KYODO_DEMO_PROJECTS`, default [`DEFAULT_DEMO_PROJECTS`]; e.g. 10000 for the benchmark).
    pub demo_projects: usize,
    /// Whether demo mode also adds the tenfold volume once (`KYODO_DEMO_TENFOLD=1`; see
    /// `volume`): for the benchmark, not for a first look (it takes minutes).
    pub demo_tenfold: bool,
    /// The daily e-mail digest's SMTP server and sender (`KYODO_SMTP_URL`, e.g.
    /// `smtp://mail.example.jp:587?tls=required` or `smtps://user:password@mail.example.jp`,
    /// and `KYODO_MAIL_FROM`, default `Kyodo <no-reply@kyodo.invalid>`); `None` (mail off) when
    /// `KYODO_SMTP_URL` is unset.
    pub mail: Option<MailConfig>,
}

/// Where the digest is sent from. The URL holds the SMTP password: redacted in `Debug`.
#[derive(Clone)]
pub struct MailConfig {
    /// lettre's SMTP URL (`smtp://host:port`, `smtps://…`, `?tls=required` for STARTTLS).
    pub smtp_url: String,
    /// The `From` address (`Name <address>` or an address).
    pub from: String,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &"[redacted]")
            .field("from", &self.from)
            .finish()
    }
}

/// Demo projects stored by default in demo mode.
pub const DEFAULT_DEMO_PROJECTS: usize = 12;

/// A configured demo project count: a whole number up to 1,000,000; the default when unset.
/// Errors: anything else.
pub fn demo_projects(value: Option<&str>) -> anyhow::Result<usize> {
    let n = whole_number(
        "KYODO_DEMO_PROJECTS",
        value,
        1_000_000,
        DEFAULT_DEMO_PROJECTS as u64,
    )?;
    Ok(usize::try_from(n)?)
}

/// A configured database wait (`KYODO_DATABASE_WAIT_SECONDS`): whole seconds up to 3,600; the
/// default ([`crate::db::DEFAULT_WAIT_SECONDS`]) when unset. Errors: anything else.
pub fn database_wait_seconds(value: Option<&str>) -> anyhow::Result<u64> {
    whole_number(
        "KYODO_DATABASE_WAIT_SECONDS",
        value,
        3_600,
        crate::db::DEFAULT_WAIT_SECONDS,
    )
}

/// The setting `name`'s `value`: a whole number up to `max`, `default` when unset or blank.
/// Errors: anything else, naming the setting and the value.
fn whole_number(name: &str, value: Option<&str>, max: u64, default: u64) -> anyhow::Result<u64> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    value
        .parse::<u64>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| anyhow::anyhow!("{name} must be a whole number up to {max} (got {value:?})"))
}

/// Configured proxy addresses (`KYODO_TRUSTED_PROXIES`): comma-separated IPv4 or IPv6
/// addresses; none when unset. Errors: an entry that is not an IP address (named).
pub fn trusted_proxies(value: Option<&str>) -> anyhow::Result<Vec<std::net::IpAddr>> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse()
                .map_err(|_| anyhow::anyhow!("KYODO_TRUSTED_PROXIES: {v:?} is not an IP address"))
        })
        .collect()
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
}

impl Config {
    /// Reads the environment. Errors: an incomplete OIDC provider configuration.
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir =
            PathBuf::from(std::env::var("KYODO_DATA_DIR").unwrap_or_else(|_| "data".into()));
        let url = std::env::var("KYODO_DATABASE_URL")
            .unwrap_or_else(|_| format!("surrealkv://{}", data_dir.join("db").display()));
        Ok(Config {
            public_url: std::env::var("KYODO_PUBLIC_URL")
                .ok()
                .map(|u| u.trim_end_matches('/').to_owned()),
            oidc: providers_from_env()?,
            rate_limits: RateLimits::from_env(),
            trusted_proxies: trusted_proxies(
                std::env::var("KYODO_TRUSTED_PROXIES").ok().as_deref(),
            )?,
            database: DbConfig {
                url,
                user: std::env::var("KYODO_DATABASE_USER").ok(),
                password: std::env::var("KYODO_DATABASE_PASSWORD").ok(),
                wait: std::time::Duration::from_secs(database_wait_seconds(
                    std::env::var("KYODO_DATABASE_WAIT_SECONDS").ok().as_deref(),
                )?),
            },
            data_dir,
            demo: env_flag("KYODO_DEMO"),
            reference_dir: std::env::var("KYODO_REFERENCE_DIR").ok().map(PathBuf::from),
            secure_cookies: env_flag("KYODO_SECURE_COOKIES"),
            ocds_prefix: ocds_prefix(std::env::var("KYODO_OCDS_PREFIX").ok().as_deref())?,
            demo_projects: demo_projects(std::env::var("KYODO_DEMO_PROJECTS").ok().as_deref())?,
            demo_tenfold: env_flag("KYODO_DEMO_TENFOLD"),
            mail: std::env::var("KYODO_SMTP_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .map(|smtp_url| MailConfig {
                    smtp_url: smtp_url.trim().to_owned(),
                    from: std::env::var("KYODO_MAIL_FROM")
                        .unwrap_or_else(|_| "Kyodo <no-reply@kyodo.invalid>".into()),
                }),
        })
    }
}

/// The `ocid` prefix used until the council registers its own (an unregistered placeholder).
pub const DEFAULT_OCDS_PREFIX: &str = "ocds-kyodo0";

/// A configured `ocid` prefix: `ocds-` and six lower-case letters or digits; the default when
/// unset. Errors: any other value (start-up stops and says so).
pub fn ocds_prefix(value: Option<&str>) -> anyhow::Result<String> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_OCDS_PREFIX.to_owned());
    };
    let valid = value.strip_prefix("ocds-").is_some_and(|rest| {
        rest.len() == 6
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    anyhow::ensure!(
        valid,
        "KYODO_OCDS_PREFIX must be `ocds-` and six lower-case letters or digits (got {value:?})"
    );
    Ok(value.to_owned())
}

/// One configured identity provider.
#[derive(Clone)]
pub struct OidcProvider {
    /// Short name used in URLs (`/auth/oidc/<name>/start`).
    pub name: String,
    /// Button text.
    pub label: String,
    /// Issuer URL, exactly as the provider's discovery document states it.
    pub issuer: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (redacted in `Debug`).
    pub client_secret: String,
    /// Organisation keys this provider may sign in for.
    pub orgs: Vec<String>,
    /// E-mail domain → organisation key hints, used only to choose among `orgs`.
    pub domains: Vec<(String, String)>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("orgs", &self.orgs)
            .finish()
    }
}

impl OidcProvider {
    /// The organisation a new user of this provider belongs to: the only one, or the one
    /// hinted by the e-mail domain; `None` when it cannot be told.
    pub fn organisation_for(&self, email: Option<&str>) -> Option<String> {
        if self.orgs.len() == 1 {
            return self.orgs.first().cloned();
        }
        let domain = email?.rsplit_once('@')?.1.to_lowercase();
        self.domains
            .iter()
            .find(|(d, org)| *d == domain && self.orgs.contains(org))
            .map(|(_, org)| org.clone())
    }
}

/// Reads the providers from the environment (see the module doc). Errors name the variable.
pub fn providers_from_env() -> anyhow::Result<Vec<OidcProvider>> {
    let Ok(names) = std::env::var("KYODO_OIDC_PROVIDERS") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            bail!("KYODO_OIDC_PROVIDERS: provider name {name:?} must be letters, digits or _");
        }
        let var = |key: &str| {
            let full = format!("KYODO_OIDC_{}_{key}", name.to_uppercase());
            std::env::var(&full).with_context(|| format!("{full} is not set"))
        };
        let list = |s: String| {
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        };
        let orgs = list(var("ORGS")?);
        if orgs.is_empty() {
            bail!(
                "KYODO_OIDC_{}_ORGS must name at least one organisation",
                name.to_uppercase()
            );
        }
        let domains = list(var("DOMAINS").unwrap_or_default())
            .into_iter()
            .filter_map(|pair| {
                pair.split_once('=')
                    .map(|(d, o)| (d.trim().to_lowercase(), o.trim().to_owned()))
            })
            .collect();
        out.push(OidcProvider {
            name: name.to_lowercase(),
            label: var("LABEL").unwrap_or_else(|_| name.to_owned()),
            issuer: var("ISSUER")?,
            client_id: var("CLIENT_ID")?,
            client_secret: var("CLIENT_SECRET")?,
            orgs,
            domains,
        });
    }
    Ok(out)
}

/// Limits, from `KYODO_RATE_SIGN_IN_PER_MINUTE` (default 20) and
/// `KYODO_RATE_POSTS_PER_SECOND` (default 20, burst 5 × that).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Sign-in attempts per minute per IP address (also the burst).
    pub sign_in_per_minute: u32,
    /// POSTs per second per session.
    pub posts_per_second: u32,
}

impl RateLimits {
    /// Reads the environment over the defaults.
    pub fn from_env() -> RateLimits {
        let read = |name: &str, default: u32| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        RateLimits {
            sign_in_per_minute: read("KYODO_RATE_SIGN_IN_PER_MINUTE", 20),
            posts_per_second: read("KYODO_RATE_POSTS_PER_SECOND", 20),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ocds_prefix_is_ocds_and_six_letters_or_digits() {
        assert_eq!(ocds_prefix(None).unwrap(), DEFAULT_OCDS_PREFIX);
        assert_eq!(ocds_prefix(Some(" ")).unwrap(), DEFAULT_OCDS_PREFIX);
        assert_eq!(ocds_prefix(Some("ocds-a1b2c3")).unwrap(), "ocds-a1b2c3");
        for bad in [
            "ocds-abc",
            "ocds-ABCDEF",
            "abcd-a1b2c3",
            "ocds-a1b2c3d",
            "ocds-a1/2c3",
        ] {
            assert!(ocds_prefix(Some(bad)).is_err(), "{bad}");
        }
    }
}
