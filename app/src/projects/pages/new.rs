//! `/projects/new`: the form that posts a joint project (as a draft) to
//! `/api/create_project`.

use super::super::model::{SplitKey, Visibility};
use super::super::server::new_project_form;
use super::super::views::NewProjectView;
use crate::i18n::use_lang;
use crate::ui::{TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/projects/new`: kinds and lead organisations the caller may use (a CIO: 区市町村提案 led by
/// their own municipality), texts, tags, related systems, visibility with the invite list,
/// and the cost plan.
#[component]
pub fn NewProjectPage() -> impl IntoView {
    let lang = use_lang();
    let form = Resource::new(|| (), |_| new_project_form());
    view! {
        <Title text=lang.pick("協働事業の登録", "Post a joint project")/>
        <h1>{lang.pick("協働事業の登録", "Post a joint project")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(form.await, |v| view! { <NewProjectForm view=v/> })
            })}
        </Suspense>
    }
}

#[component]
fn NewProjectForm(view: NewProjectView) -> impl IntoView {
    let lang = use_lang();
    let NewProjectView {
        kinds,
        leads,
        municipalities,
        systems,
    } = view;
    view! {
        <p class="muted">{lang.pick(
            "下書きとして登録されます。参加募集は事業のページから開始します。",
            "The project is saved as a draft; open the call for participation from its page.",
        )}</p>
        <form method="post" action="/api/create_project" class="record-form">
            <label for="kind">{lang.pick("種類", "Kind")}</label>
            <select id="kind" name="kind" required>
                {kinds.into_iter().map(|k| view! { <option value=k.code()>{k.label(lang)}</option> }).collect_view()}
            </select>
            <label for="lead">{lang.pick("主担当の団体", "Lead organisation")}</label>
            <select id="lead" name="lead" required>
                {leads.into_iter().map(|o| view! { <option value=o.key.clone()>{o.name(lang).to_owned()}</option> }).collect_view()}
            </select>
            <label for="title">{lang.pick("件名", "Title")}</label>
            <input id="title" type="text" name="title" maxlength="200" required/>
            <label for="summary">{lang.pick("概要（一覧に表示）", "Summary (shown in the list)")}</label>
            <TextArea id="summary" name="summary" maxlength=1000 value=String::new()/>
            <label for="description">{lang.pick("説明（Markdown）", "Description (Markdown)")}</label>
            <TextArea id="description" name="description" maxlength=20000 value=String::new()/>
            <label for="contact">{lang.pick("問い合わせ先", "Contact")}</label>
            <input id="contact" type="text" name="contact" maxlength="200"/>
            <label for="tags">{lang.pick("タグ（読点・カンマ区切り、10個まで）", "Tags (separated by commas, up to 10)")}</label>
            <input id="tags" type="text" name="tags" maxlength="400"/>
            <fieldset>
                <legend>{lang.pick("関連する標準化対象業務", "Related standard systems")}</legend>
                <ul class="checks">
                    {systems.into_iter().enumerate().map(|(i, (code, ja, en))| {
                        let id = format!("system-{code}");
                        view! {
                            <li>
                                <input id=id.clone() type="checkbox" name=format!("systems[{i}]") value=code/>
                                <label for=id>{lang.pick(&ja, &en).to_owned()}</label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
            <fieldset>
                <legend>{lang.pick("公開範囲", "Visible to")}</legend>
                {Visibility::ALL.into_iter().map(|v| {
                    let id = format!("visibility-{}", v.code());
                    view! {
                        <input id=id.clone() type="radio" name="visibility" value=v.code() checked=v == Visibility::Council/>
                        <label for=id>{v.label(lang)}</label>
                    }
                }).collect_view()}
                <details>
                    <summary>{lang.pick("招待する団体（招待した団体のみの場合）", "Invited organisations (when visible to invited organisations only)")}</summary>
                    <ul class="checks">
                        {municipalities.into_iter().enumerate().map(|(i, o)| {
                            let id = format!("invite-{}", o.key);
                            view! {
                                <li>
                                    <input id=id.clone() type="checkbox" name=format!("invited[{i}]") value=o.key.clone()/>
                                    <label for=id>{o.name(lang).to_owned()}</label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            </fieldset>
            <fieldset>
                <legend>{lang.pick("費用の分担（応分負担）", "Cost sharing")}</legend>
                <label for="unit">{lang.pick("数量の単位（台、ライセンスなど）", "Unit of quantity (devices, licences, …)")}</label>
                <input id="unit" type="text" name="unit" maxlength="40"/>
                <label for="base_cost_yen">{lang.pick("共通経費（円）", "Shared cost (yen)")}</label>
                <input id="base_cost_yen" type="text" inputmode="numeric" name="base_cost_yen"/>
                <label for="split">{lang.pick("共通経費の按分方法", "How the shared cost is split")}</label>
                <select id="split" name="split">
                    {[SplitKey::Equal, SplitKey::Quantity].into_iter().map(|s| view! {
                        <option value=s.code()>{s.label(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="unit_price_yen">{lang.pick("利用料の単価（円／単位）", "Usage price (yen per unit)")}</label>
                <input id="unit_price_yen" type="text" inputmode="numeric" name="unit_price_yen"/>
                <label for="reference_price_yen_per_unit">{lang.pick("単独で調達した場合の単価（円）", "Unit price when buying alone (yen)")}</label>
                <input id="reference_price_yen_per_unit" type="text" inputmode="numeric" name="reference_price_yen_per_unit"/>
                <label for="single_buyer_base_yen">{lang.pick("単独で調達した場合の固定費（円）", "Fixed cost when buying alone (yen)")}</label>
                <input id="single_buyer_base_yen" type="text" inputmode="numeric" name="single_buyer_base_yen"/>
            </fieldset>
            <p><button type="submit">{lang.pick("下書きとして登録する", "Save as draft")}</button></p>
        </form>
    }
}
