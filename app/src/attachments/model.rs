//! What may be attached, and how an attachment is listed.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Largest attachment: 4 MiB (the upload's whole body may be 5 MiB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Most files attached to one subject (checked in the write's transaction).
pub const MAX_PER_SUBJECT: usize = 50;

/// Longest stored file name, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// The kinds of file Kyodo stores: documents the council exchanges (PDF, Office, images,
/// CSV and text). Anything else is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// Excel workbook (.xlsx).
    Xlsx,
    /// Word document (.docx).
    Docx,
    /// PowerPoint presentation (.pptx).
    Pptx,
    /// CSV (text, no magic number).
    Csv,
    /// Plain text (no magic number).
    Text,
}

impl FileKind {
    /// Every kind, for the form's hint.
    pub const ALL: [FileKind; 8] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Xlsx,
        FileKind::Docx,
        FileKind::Pptx,
        FileKind::Csv,
        FileKind::Text,
    ];

    /// The `Content-Type` it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// The file name extensions of this kind (lower case, no dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Docx => &["docx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Csv => &["csv"],
            FileKind::Text => &["txt"],
        }
    }

    /// The kind a sniffed MIME type names (`infer`'s answer), if it is one Kyodo stores.
    fn of_sniffed(mime: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.content_type() == mime)
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FileProblem {
    /// No file, or an empty one.
    Empty,
    /// Over [`MAX_BYTES`]; `size_bytes` is its size.
    TooLarge { size_bytes: usize },
    /// Not one of the kinds Kyodo stores, or its content is not what its name says.
    NotAllowed,
    /// The subject has [`MAX_PER_SUBJECT`] files already.
    TooMany { max: usize },
}

impl FileProblem {
    /// What the user reads.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileProblem::Empty, Lang::Ja) => "ファイルを選んでください（空のファイルは添付できません）。".into(),
            (FileProblem::Empty, Lang::En) => "Please choose a file (an empty file cannot be attached).".into(),
            (FileProblem::TooLarge { size_bytes }, Lang::Ja) => format!(
                "ファイルが大きすぎます（{}、上限4 MB）。",
                size_text(*size_bytes as u64)
            ),
            (FileProblem::TooLarge { size_bytes }, Lang::En) => format!(
                "The file is too large ({}; at most 4 MB).",
                size_text(*size_bytes as u64)
            ),
            (FileProblem::NotAllowed, Lang::Ja) => "添付できるのはPDF・PNG・JPEG・Excel（xlsx）・Word（docx）・PowerPoint（pptx）・CSV・テキストで、中身が拡張子と一致するものだけです。".into(),
            (FileProblem::TooMany { max }, Lang::Ja) => format!("添付ファイルは1件につき{max}件までです。不要なファイルがないかご確認ください。"),
            (FileProblem::TooMany { max }, Lang::En) => format!("At most {max} files can be attached to one record."),
            (FileProblem::NotAllowed, Lang::En) => "Only PDF, PNG, JPEG, Excel (xlsx), Word (docx), PowerPoint (pptx), CSV and text files whose content matches their extension can be attached.".into(),
        }
    }
}

/// Decides what a file is: its content (`sniffed`, the MIME type its magic number shows, or
/// `None` when it has none) must be an allowed kind and match its name's extension. CSV and
/// text have no magic number: they are accepted when nothing was sniffed and the bytes hold no
/// NUL (binary content named `.txt` is refused).
pub fn classify(name: &str, bytes: &[u8], sniffed: Option<&str>) -> Result<FileKind, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge {
            size_bytes: bytes.len(),
        });
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match sniffed {
        Some(mime) => FileKind::of_sniffed(mime),
        None if !bytes.contains(&0) => [FileKind::Csv, FileKind::Text]
            .into_iter()
            .find(|k| k.extensions().contains(&extension.as_str())),
        None => None,
    };
    kind.filter(|k| k.extensions().contains(&extension.as_str()))
        .ok_or(FileProblem::NotAllowed)
}

/// A file name as stored: its last path segment, control characters dropped, trimmed, at most
/// [`MAX_NAME_CHARS`] characters (the extension kept); `file` when nothing is left.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // Control characters and characters that print nothing or turn text around (U+202E
    // would make `txt.exe` read as `exe.txt`) are dropped.
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !crate::text::is_invisible(*c))
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return "file".into();
    }
    if clean.chars().count() <= MAX_NAME_CHARS {
        return clean.to_owned();
    }
    let (stem, extension) = clean.rsplit_once('.').unwrap_or((clean, ""));
    let keep = MAX_NAME_CHARS - extension.chars().count() - 1;
    format!(
        "{}.{extension}",
        stem.chars().take(keep).collect::<String>()
    )
}

/// A size for people: `512 B`, `12.3 KB`, `3.4 MB` (1 KB = 1,024 bytes).
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// One attachment as a page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    /// Attachment key (download at `/attachments/<id>`).
    pub id: crate::ids::AttachmentId,
    /// File name as stored ([`clean_name`]).
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Uploader (Japanese name).
    pub uploader_name_ja: String,
    /// Uploader (English name).
    pub uploader_name_en: String,
    /// When (UTC).
    pub at: crate::ids::Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_be_allowed_and_match_the_name() {
        assert_eq!(
            classify("会議資料.PDF", b"%PDF-1.7", Some("application/pdf")),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            classify("a.csv", "団体コード,業務\n".as_bytes(), None),
            Ok(FileKind::Csv)
        );
        assert_eq!(classify("memo.txt", b"plain", None), Ok(FileKind::Text));
        // HTML named .pdf, a PDF named .png, an executable, binary named .txt.
        assert_eq!(
            classify("x.pdf", b"<html>", None),
            Err(FileProblem::NotAllowed)
        );
        assert_eq!(
            classify("x.png", b"%PDF", Some("application/pdf")),
            Err(FileProblem::NotAllowed)
        );
        assert_eq!(
            classify(
                "x.exe",
                b"MZ",
                Some("application/vnd.microsoft.portable-executable")
            ),
            Err(FileProblem::NotAllowed)
        );
        assert_eq!(
            classify("x.txt", b"a\0b", None),
            Err(FileProblem::NotAllowed)
        );
        assert_eq!(
            classify("x.html", b"<script>", None),
            Err(FileProblem::NotAllowed)
        );
        assert_eq!(classify("x.pdf", b"", None), Err(FileProblem::Empty));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            classify("x.txt", &big, None),
            Err(FileProblem::TooLarge {
                size_bytes: MAX_BYTES + 1
            })
        );
        assert_eq!(
            classify("x.txt", &big[..MAX_BYTES], None),
            Ok(FileKind::Text)
        );
    }

    #[test]
    fn names_keep_their_last_segment_and_extension() {
        assert_eq!(clean_name("C:\\Users\\a\\資料.pdf"), "資料.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}\u{7}b.txt"), "ab.txt");
        assert_eq!(clean_name("\u{202e}txt.exe.pdf"), "txt.exe.pdf");
        assert_eq!(clean_name("  "), "file");
        let long = format!("{}.xlsx", "長".repeat(300));
        let cut = clean_name(&long);
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
        assert!(cut.ends_with(".xlsx"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(12_595), "12.3 KB");
        assert_eq!(size_text(3_565_158), "3.4 MB");
    }
}
