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
/// and read (a project's documents). `id` names the section (`attachments` by default; its
/// heading, file field and hint take ids from it), so that a page may hold several, and
/// `level` is its heading's level (2 by default; 4 inside an agenda item).
#[component]
pub fn AttachmentsSection(
    subject: String,
    back: String,
    #[prop(default = "attachments".to_owned())] id: String,
    #[prop(default = 2)] level: u8,
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
    // The first section keeps the ids pages and tests have always used.
    let (file_id, hint_id) = if id == "attachments" {
        ("attachment-file".to_owned(), "attachment-hint".to_owned())
    } else {
        (format!("{id}-file"), format!("{id}-hint"))
    };
    let heading_id = format!("{id}-heading");
    let title = heading.map_or_else(
        || lang.pick("添付ファイル", "Attachments"),
        |(ja, en)| lang.pick(ja, en),
    );
    let heading = if level == 4 {
        view! { <h4 id=heading_id.clone()>{title}</h4> }.into_any()
    } else {
        view! { <h2 id=heading_id.clone()>{title}</h2> }.into_any()
    };
    view! {
        <section id=id aria-labelledby=heading_id>
            {heading}
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
                    <label for=file_id.clone()>{lang.pick("ファイルを添付", "Attach a file")}</label>
                    <input id=file_id.clone() type="file" name="file" required=true
                        accept=".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.pptx,.csv,.txt" aria-describedby=hint_id.clone()/>
                    <p id=hint_id.clone() class="muted">{hint.clone()}</p>
                    <p><button type="submit">{lang.pick("添付する", "Attach")}</button></p>
                </form>
            })}
        </section>
    }
}
