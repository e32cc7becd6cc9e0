//! The attachments section a room places on a subject's page: the list (each a download
//! link) and, for those who may attach, the upload form (a plain multipart POST, so it works
//! without JavaScript).

use super::model::{AttachmentInfo, MAX_BYTES, size_text};
use crate::i18n::{Lang, use_lang};
use leptos::prelude::*;

/// The section `#attachments`: `subject` is the room's subject, `back` the page's own path
/// (the upload returns there), `attached` confirms an upload just made. Files are sent to
/// `upload_to` and downloaded from `<download_base>/<id>`: `/attachments/upload` and
/// `/attachments` by default, or a room's own routes when the room decides who may attach
/// and read (a project's documents).
#[component]
pub fn AttachmentsSection(
    subject: String,
    back: String,
    #[prop(default = "/attachments/upload".to_owned())] upload_to: String,
    #[prop(default = "/attachments".to_owned())] download_base: String,
    #[prop(default = None)] heading: Option<(&'static str, &'static str)>,
    items: Vec<AttachmentInfo>,
    may_attach: bool,
    attached: bool,
) -> impl IntoView {
    let lang = use_lang();
    let hint = match lang {
        Lang::Ja => format!(
            "PDF・PNG・JPEG・Excel・Word・PowerPoint・CSV・テキスト、{}まで。",
            size_text(MAX_BYTES as u64)
        ),
        Lang::En => format!(
            "PDF, PNG, JPEG, Excel, Word, PowerPoint, CSV or text, up to {}.",
            size_text(MAX_BYTES as u64)
        ),
    };
    view! {
        <section id="attachments" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">{heading.map_or_else(|| lang.pick("添付ファイル", "Attachments"), |(ja, en)| lang.pick(ja, en))}</h2>
            {attached.then(|| view! {
                <div class="notice success" role="status"><p>{lang.pick("ファイルを添付しました。", "The file was attached.")}</p></div>
            })}
            {if items.is_empty() {
                view! { <p class="muted">{lang.pick("添付ファイルはありません。", "No attachments.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="attachments">
                        {items.into_iter().map(|a| view! {
                            <li>
                                <a href=format!("{download_base}/{}", a.id) download=a.name.clone()>{a.name.clone()}</a>
                                <span class="muted">
                                    " · "{size_text(a.size_bytes)}
                                    " · "{lang.pick(&a.uploader_name_ja, &a.uploader_name_en).to_owned()}
                                    " · "<time datetime=a.at.rfc3339()>{a.at.jst()}</time>
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {may_attach.then(|| view! {
                <form method="post" action=upload_to.clone() enctype="multipart/form-data" class="attach-form">
                    <input type="hidden" name="subject" value=subject.clone()/>
                    <input type="hidden" name="back" value=back.clone()/>
                    <label for="attachment-file">{lang.pick("ファイルを添付", "Attach a file")}</label>
                    <input id="attachment-file" type="file" name="file" required=true
                        accept=".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.pptx,.csv,.txt" aria-describedby="attachment-hint"/>
                    <p id="attachment-hint" class="muted">{hint}</p>
                    <p><button type="submit">{lang.pick("添付する", "Attach")}</button></p>
                </form>
            })}
        </section>
    }
}
