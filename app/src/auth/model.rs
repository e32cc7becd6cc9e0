//! Users, roles and demo personas (shared by server and browser).

use crate::i18n::Lang;
use crate::orgs::model::Organisation;
use serde::{Deserialize, Serialize};

/// A role held by a user. Roles combine with the user's organisation in [`crate::policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 職員: municipal staff; updates its own municipality's progress.
    Staff,
    /// 区市町村CIO: owns its municipality's progress and sits on the council.
    Cio,
    /// GovTech東京 専門人材: reads all, advises.
    GovtechAdvisor,
    /// 東京都 デジタルサービス局: council secretariat; reads and corrects all.
    TokyoOfficer,
    /// Manages users, roles and reference data.
    Admin,
}

impl Role {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Cio => "cio",
            Role::GovtechAdvisor => "govtech_advisor",
            Role::TokyoOfficer => "tokyo_officer",
            Role::Admin => "admin",
        }
    }

    /// All roles.
    pub const ALL: [Role; 5] = [
        Role::Staff,
        Role::Cio,
        Role::GovtechAdvisor,
        Role::TokyoOfficer,
        Role::Admin,
    ];

    /// Parses a stable code.
    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Staff => lang.pick("職員", "Staff"),
            Role::Cio => lang.pick("CIO", "CIO"),
            Role::GovtechAdvisor => lang.pick("GovTech東京 アドバイザー", "GovTech Tokyo advisor"),
            Role::TokyoOfficer => lang.pick("東京都 職員", "Tokyo officer"),
            Role::Admin => lang.pick("管理者", "Administrator"),
        }
    }
}

/// The signed-in user as the UI and the policy see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// User record key.
    pub id: crate::ids::UserId,
    /// Display name (Japanese).
    pub name_ja: String,
    /// Display name (English).
    pub name_en: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// The user's organisation.
    pub organisation: Organisation,
}

impl CurrentUser {
    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Display name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }

    /// Whether the user belongs to a municipality (区市町村).
    pub fn is_municipal(&self) -> bool {
        self.organisation.kind.is_municipal()
    }
}

/// A demo persona: a ready-made user to sign in as while demo mode is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    /// Stable key, the value of the sign-in button (`ward_cio`, …).
    pub key: &'static str,
    /// The organisation key (lg code, or `govtech_tokyo`).
    pub org_key: &'static str,
    /// Role.
    pub role: Role,
    /// Name (Japanese).
    pub name_ja: &'static str,
    /// Name (English).
    pub name_en: &'static str,
}

/// The six demo personas, one per kind of user.
pub const PERSONAS: [Persona; 6] = [
    Persona {
        key: "ward_cio",
        org_key: "131164",
        role: Role::Cio,
        name_ja: "豊島 花子（豊島区CIO・デモ）",
        name_en: "Hanako Toshima (Toshima CIO, demo)",
    },
    Persona {
        key: "city_staff",
        org_key: "132012",
        role: Role::Staff,
        name_ja: "八王子 太郎（八王子市職員・デモ）",
        name_en: "Taro Hachioji (Hachioji staff, demo)",
    },
    Persona {
        key: "town_staff",
        org_key: "133035",
        role: Role::Staff,
        name_ja: "瑞穂 みどり（瑞穂町職員・デモ）",
        name_en: "Midori Mizuho (Mizuho staff, demo)",
    },
    Persona {
        key: "govtech_advisor",
        org_key: "govtech_tokyo",
        role: Role::GovtechAdvisor,
        name_ja: "協働 一郎（GovTech東京・デモ）",
        name_en: "Ichiro Kyodo (GovTech Tokyo, demo)",
    },
    Persona {
        key: "tokyo_officer",
        org_key: "130001",
        role: Role::TokyoOfficer,
        name_ja: "都庁 桜（東京都・デモ）",
        name_en: "Sakura Tocho (Tokyo, demo)",
    },
    Persona {
        key: "admin",
        org_key: "130001",
        role: Role::Admin,
        name_ja: "管理 健（管理者・デモ）",
        name_en: "Ken Kanri (administrator, demo)",
    },
];

impl Persona {
    /// Finds a persona by key.
    pub fn find(key: &str) -> Option<&'static Persona> {
        PERSONAS.iter().find(|p| p.key == key)
    }

    /// The user record key of this persona (`demo_<key>`).
    pub fn user_id(&self) -> String {
        format!("demo_{}", self.key)
    }
}

/// Why an OpenID Connect sign-in was refused (shown on `/login?oidc_error=<code>`). Every
/// refusal writes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OidcFailure {
    /// The provider in the URL is not configured.
    UnknownProvider,
    /// The provider could not be reached or answered badly.
    ProviderUnavailable,
    /// The callback came without a sign-in started in this browser (or was replayed).
    NoSignInInProgress,
    /// The `state` parameter does not match the one sent.
    StateMismatch,
    /// The `iss` parameter names another issuer.
    IssuerMismatch,
    /// The provider reported an error or sent no code.
    ProviderRefused,
    /// The provider refused the authorization code (used before, expired, wrong PKCE verifier).
    CodeRejected,
    /// The ID token failed validation (signature, issuer, audience, expiry or nonce).
    TokenInvalid,
    /// The provider may not sign in for the user's organisation, or it cannot be told.
    OrganisationNotAllowed,
    /// The account is disabled.
    AccountDisabled,
}

impl OidcFailure {
    /// All failures.
    pub const ALL: [OidcFailure; 10] = [
        OidcFailure::UnknownProvider,
        OidcFailure::ProviderUnavailable,
        OidcFailure::NoSignInInProgress,
        OidcFailure::StateMismatch,
        OidcFailure::IssuerMismatch,
        OidcFailure::ProviderRefused,
        OidcFailure::CodeRejected,
        OidcFailure::TokenInvalid,
        OidcFailure::OrganisationNotAllowed,
        OidcFailure::AccountDisabled,
    ];

    /// Stable code for the URL.
    pub fn code(self) -> &'static str {
        match self {
            OidcFailure::UnknownProvider => "unknown_provider",
            OidcFailure::ProviderUnavailable => "provider_unavailable",
            OidcFailure::NoSignInInProgress => "no_sign_in_in_progress",
            OidcFailure::StateMismatch => "state_mismatch",
            OidcFailure::IssuerMismatch => "issuer_mismatch",
            OidcFailure::ProviderRefused => "provider_refused",
            OidcFailure::CodeRejected => "code_rejected",
            OidcFailure::TokenInvalid => "token_invalid",
            OidcFailure::OrganisationNotAllowed => "organisation_not_allowed",
            OidcFailure::AccountDisabled => "account_disabled",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<OidcFailure> {
        OidcFailure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What the user reads.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            OidcFailure::UnknownProvider => lang.pick("そのサインイン方法は設定されていません。", "That sign-in provider is not configured."),
            OidcFailure::ProviderUnavailable => lang.pick("IDプロバイダーに接続できませんでした。時間をおいてお試しください。", "The identity provider could not be reached. Please try again later."),
            OidcFailure::NoSignInInProgress => lang.pick("サインインの手続きが見つかりません（期限切れか、同じ応答が再送されました）。もう一度サインインしてください。", "No sign-in was in progress (it expired or the response was replayed). Please sign in again."),
            OidcFailure::StateMismatch => lang.pick("サインインの応答が一致しません（state）。もう一度サインインしてください。", "The sign-in response did not match (state). Please sign in again."),
            OidcFailure::IssuerMismatch => lang.pick("応答の発行者（iss）が一致しません。", "The response came from another issuer (iss)."),
            OidcFailure::ProviderRefused => lang.pick("IDプロバイダーがサインインを拒否しました。", "The identity provider refused the sign-in."),
            OidcFailure::CodeRejected => lang.pick("認可コードが受け付けられませんでした（使用済みか期限切れ）。もう一度サインインしてください。", "The authorization code was rejected (used or expired). Please sign in again."),
            OidcFailure::TokenInvalid => lang.pick("IDトークンの検証に失敗しました。", "The ID token failed validation."),
            OidcFailure::OrganisationNotAllowed => lang.pick("このIDプロバイダーではあなたの団体にサインインできません。", "This identity provider may not sign in for your organisation."),
            OidcFailure::AccountDisabled => lang.pick("このアカウントは無効にされています。管理者にお問い合わせください。", "This account is disabled. Please contact an administrator."),
        }
    }
}

/// A configured sign-in provider as the sign-in page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInProvider {
    /// URL name.
    pub name: String,
    /// Button text.
    pub label: String,
}

/// Status of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Created by a first sign-in; waits for approval.
    Pending,
    /// May sign in.
    Active,
    /// May not sign in; its sessions no longer sign anyone in.
    Disabled,
}

impl AccountStatus {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Pending => "pending",
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        }
    }

    /// Parses a stable code.
    pub fn parse(code: &str) -> Option<AccountStatus> {
        [
            AccountStatus::Pending,
            AccountStatus::Active,
            AccountStatus::Disabled,
        ]
        .into_iter()
        .find(|s| s.code() == code.trim())
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AccountStatus::Pending => lang.pick("承認待ち", "Pending"),
            AccountStatus::Active => lang.pick("有効", "Active"),
            AccountStatus::Disabled => lang.pick("無効", "Disabled"),
        }
    }
}

/// An account as the administration page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    /// User key.
    pub id: crate::ids::UserId,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Organisation.
    pub organisation: Organisation,
    /// Roles.
    pub roles: Vec<Role>,
    /// Status.
    pub status: AccountStatus,
    /// E-mail from the identity provider, if any.
    pub email: Option<String>,
}

impl UserSummary {
    /// Display name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }
}

/// A configured identity provider as administrators see it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// URL name.
    pub name: String,
    /// Button text.
    pub label: String,
    /// Issuer URL.
    pub issuer: String,
    /// OAuth client id.
    pub client_id: String,
    /// Organisation keys it may sign in for.
    pub orgs: Vec<String>,
}
/// The verified identity from an ID token.
#[derive(Debug, Clone)]
pub struct VerifiedClaims {
    /// `iss`.
    pub issuer: String,
    /// `sub`.
    pub subject: String,
    /// `email`, when given and `email_verified` is true (otherwise `None`).
    pub email: Option<String>,
    /// `name`, when given.
    pub name: Option<String>,
}
