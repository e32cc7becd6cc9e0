//! Sign-in page: the organisation's identity providers (OpenID Connect) and, on a demo
//! server, the demo personas.

use super::model::{OidcFailure, PERSONAS};
use super::server::{demo_mode, list_sign_in_providers};
use crate::i18n::{Lang, use_lang};
use crate::ui::{ScrollRegion, UserResource, loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: links to each identity provider, then (demo mode) one button per persona, a
/// plain form POST to `/api/demo_sign_in`. Shows why an OIDC sign-in was refused
/// (`?oidc_error=<code>`) or that the new account awaits approval (`?oidc=pending`).
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<UserResource>();
    let query = use_query_map();
    let options = Resource::new(
        || (),
        |_| async { (list_sign_in_providers().await, demo_mode().await) },
    );
    let failure = move || {
        query
            .with(|q| q.get("oidc_error"))
            .and_then(|c| OidcFailure::parse(&c))
    };
    let pending = move || {
        query
            .with(|q| q.get("oidc"))
            .is_some_and(|v| v == "pending")
    };
    view! {
        <Title text=lang.pick("サインイン", "Sign in")/>
        <h1>{lang.pick("サインイン", "Sign in")}</h1>
        {move || failure().map(|f| view! { <div class="notice error" role="alert"><p>{f.message(lang)}</p></div> })}
        {move || pending().then(|| view! {
            <div class="notice" role="status"><p>{lang.pick(
                "アカウントを受け付けました。管理者または自団体のCIOの承認後にサインインできます。",
                "Your account has been registered. You can sign in once an administrator or your organisation's CIO approves it.",
            )}</p></div>
        })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let signed_in = user.await.ok().flatten();
                let (providers, demo) = options.await;
                let providers = providers.unwrap_or_default();
                let demo = demo.unwrap_or(false);
                view! {
                    {signed_in.map(|u| view! {
                        <p class="notice">{match lang {
                            Lang::Ja => format!("{}としてサインインしています。", u.name(lang)),
                            Lang::En => format!("You are signed in as {}.", u.name(lang)),
                        }}</p>
                    })}
                    {(!providers.is_empty()).then(|| view! {
                        <h2>{lang.pick("所属団体のIDでサインイン", "Sign in with your organisation's account")}</h2>
                        <ul class="provider-list">
                            {providers.into_iter().map(|p| view! {
                                <li><a class="button-link" rel="external" href=format!("/auth/oidc/{}/start", p.name)>{p.label}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {demo.then(|| view! { <DemoPersonas/> })}
                }
            })}
        </Suspense>
    }
}

#[component]
fn DemoPersonas() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("デモ用の利用者", "Demo users")}</h2>
        <p>{lang.pick(
            "デモモードです。利用者の種類を選んでサインインしてください。",
            "Demo mode: choose a kind of user to sign in as.",
        )}</p>
        <form method="post" action="/api/demo_sign_in" class="persona-list">
            <ul>
                {PERSONAS.iter().map(|p| view! {
                    <li>
                        <button type="submit" name="persona" value=p.key>
                            <span class="persona-name">{lang.pick(p.name_ja, p.name_en)}</span>
                            <span class="persona-role">{p.role.label(lang)}</span>
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </form>
    }
}

/// `/admin/users`: accounts (pending first) with approve / disable / enable forms, and the
/// configured identity providers (read-only). Administrators see all accounts; a CIO sees
/// their organisation's.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    use super::model::{AccountStatus, Role};
    use super::server::{get_current_user, list_provider_config, list_users};
    use crate::ui::render;
    let lang = use_lang();
    let data = Resource::new(
        || (),
        |_| async { (list_users().await, list_provider_config().await) },
    );
    let me = Resource::new(|| (), |_| get_current_user());
    view! {
        <Title text=lang.pick("アカウント管理", "Accounts")/>
        <h1>{lang.pick("アカウント管理", "Accounts")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let (users, providers) = data.await;
                render(users.and_then(|u| providers.map(|p| (u, p))), |(users, providers)| view! {
                    <ScrollRegion label=lang.pick("アカウント一覧", "Account list")>
                        <table>
                            <thead><tr>
                                <th scope="col">{lang.pick("氏名", "Name")}</th>
                                <th scope="col">{lang.pick("団体", "Organisation")}</th>
                                <th scope="col">{lang.pick("メール", "E-mail")}</th>
                                <th scope="col">{lang.pick("状態", "Status")}</th>
                                <th scope="col">{lang.pick("役割と操作", "Role and actions")}</th>
                            </tr></thead>
                            <tbody>
                                {users.into_iter().map(|u| {
                                    let current = u.roles.first().copied().unwrap_or(Role::Staff);
                                    let name = u.name(lang).to_owned();
                                    view! {
                                        <tr data-user=u.id.to_string()>
                                            <td>{name.clone()}</td>
                                            <td>{u.organisation.name(lang).to_owned()}</td>
                                            <td>{u.email.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{u.status.label(lang)}</td>
                                            <td>
                                                <form method="post" action="/api/set_user_access" class="inline-form">
                                                    <input type="hidden" name="user_id" value=u.id.to_string()/>
                                                    <select name="role" aria-label=match lang {
                                                        Lang::Ja => format!("{name}の役割"),
                                                        Lang::En => format!("Role of {name}"),
                                                    }>
                                                        {Role::ALL.into_iter().map(|r| view! {
                                                            <option value=r.code() selected=r == current>{r.label(lang)}</option>
                                                        }).collect_view()}
                                                    </select>
                                                    {(u.status != AccountStatus::Active).then(|| view! {
                                                        <button type="submit" name="status" value="active">
                                                            {if u.status == AccountStatus::Pending { lang.pick("承認する", "Approve") } else { lang.pick("有効にする", "Enable") }}
                                                        </button>
                                                    })}
                                                    {(u.status == AccountStatus::Active).then(|| view! {
                                                        <button type="submit" name="status" value="active">{lang.pick("役割を変更", "Change role")}</button>
                                                        <button type="submit" name="status" value="disabled" class="danger">{lang.pick("無効にする", "Disable")}</button>
                                                    })}
                                                </form>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </ScrollRegion>
                    <h2>{lang.pick("サインインに使うIDプロバイダー", "Identity providers")}</h2>
                    {if providers.is_empty() {
                        view! { <p>{lang.pick("設定されていません（KYODO_OIDC_PROVIDERS）。", "None configured (KYODO_OIDC_PROVIDERS).")}</p> }.into_any()
                    } else {
                        view! {
                            <table>
                                <thead><tr>
                                    <th scope="col">{lang.pick("名前", "Name")}</th>
                                    <th scope="col">{lang.pick("発行者", "Issuer")}</th>
                                    <th scope="col">{lang.pick("クライアントID", "Client id")}</th>
                                    <th scope="col">{lang.pick("対象団体", "Organisations")}</th>
                                </tr></thead>
                                <tbody>
                                    {providers.into_iter().map(|p| view! {
                                        <tr>
                                            <td>{p.label}</td>
                                            <td>{p.issuer}</td>
                                            <td>{p.client_id}</td>
                                            <td>{p.orgs.join(", ")}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                })
            })}
            {move || Suspend::new(async move {
                let admin = me.await.ok().flatten().is_some_and(|u| crate::policy::may_download_backup(&u));
                admin.then(|| view! {
                    <h2>{lang.pick("バックアップ", "Backup")}</h2>
                    <p>{lang.pick(
                        "データベースの全内容（記録・履歴・スレッド・アカウント・添付ファイル。ログイン中のセッションは除く）を1つのファイルで保存します。復元は、新しいデータフォルダーに `kyodo restore ファイル`、または今のデータを置き換えるならサーバーを止めて `kyodo restore --force ファイル` です。",
                        "Saves everything in the database (records, history, threads, accounts, attached files; not the sessions) as one file. To restore it, run `kyodo restore FILE` on a new data folder, or stop the servers and run `kyodo restore --force FILE` to replace the data.",
                    )}</p>
                    <p><a href="/admin/backup" download rel="external">{lang.pick("バックアップをダウンロード", "Download a backup")}</a></p>
                })
            })}
        </Suspense>
    }
}
