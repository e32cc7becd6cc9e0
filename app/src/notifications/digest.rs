//! The daily e-mail digest (ssr only): for one JST day, each person with an e-mail address
//! (the verified address their sign-in provider gave, `identity.email`) and notices that day
//! gets one mail, the notices grouped under their council workspace (the notice's group),
//! then "other notices". Sent over SMTP with `lettre`; mail is off when no SMTP server is
//! configured ([`crate::config::MailConfig`]).
//!
//! Once per person and day on every server: the sender first creates
//! `digest_sent:[user, day]`; a second server (or a second run) finds it and sends nothing; a
//! failed send deletes it so that a later run tries again.

use super::model::NoticeGroup;
use crate::config::MailConfig;
use crate::db::{Db, DbError, rows};
use crate::i18n::Lang;
use serde::Deserialize;

/// One notice as the digest lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DigestLine {
    /// The notice's workspace (its heading); `None`: other notices.
    #[serde(default)]
    pub group: Option<NoticeGroup>,
    /// The sentence in Japanese.
    pub text_ja: String,
    /// The sentence in English.
    pub text_en: String,
    /// Its path in Kyodo.
    pub link: String,
}

/// The lines grouped as the mail shows them: each workspace in the order it first appears,
/// then the notices without one.
pub fn sections(lines: &[DigestLine]) -> Vec<(Option<&NoticeGroup>, Vec<&DigestLine>)> {
    let mut out: Vec<(Option<&NoticeGroup>, Vec<&DigestLine>)> = Vec::new();
    for line in lines {
        let key = line.group.as_ref();
        match out
            .iter_mut()
            .find(|(g, _)| g.map(|g| &g.key) == key.map(|k| &k.key))
        {
            Some((_, items)) => items.push(line),
            None => out.push((key, vec![line])),
        }
    }
    out.sort_by_key(|(g, _)| g.is_none());
    out
}

/// The mail for one person: subject and plain-text body (Japanese, then English), with
/// absolute links under `public_url`.
pub fn compose(
    (name_ja, name_en): (&str, &str),
    day: chrono::NaiveDate,
    lines: &[DigestLine],
    public_url: &str,
) -> (String, String) {
    let n = lines.len();
    let subject = format!(
        "[Kyodo] {}の通知 {n}件 / {n} notices on {}",
        crate::i18n::format_date(Lang::Ja, &day),
        crate::i18n::format_date(Lang::En, &day)
    );
    let mut body = format!(
        "{name_ja} 様\n\n{}（日本時間）の Kyodo の通知は {n}件です。\n",
        crate::i18n::format_date(Lang::Ja, &day)
    );
    let grouped = sections(lines);
    let write = |lang: Lang, body: &mut String| {
        for (group, items) in &grouped {
            let heading = match group {
                Some(g) => lang.pick(&g.ja, &g.en).to_owned(),
                None => lang.pick("その他の通知", "Other notices").to_owned(),
            };
            body.push_str(&match lang {
                Lang::Ja => format!("\n■ {heading}（{}件）\n", items.len()),
                Lang::En => format!("\n■ {heading} ({})\n", items.len()),
            });
            for item in items {
                body.push_str(&format!(
                    "・{}\n  {public_url}{}\n",
                    lang.pick(&item.text_ja, &item.text_en),
                    item.link
                ));
            }
        }
    };
    write(Lang::Ja, &mut body);
    body.push_str(&format!(
        "\n----\nDear {name_en},\n\nYour {n} Kyodo notices of {} (Japan time):\n",
        crate::i18n::format_date(Lang::En, &day)
    ));
    write(Lang::En, &mut body);
    body.push_str(&format!(
        "\n----\n通知の一覧 / All notices: {public_url}/notifications\n"
    ));
    (subject, body)
}

#[derive(Deserialize)]
struct Row {
    user: String,
    name_ja: String,
    name_en: String,
    email: Option<String>,
    #[serde(flatten)]
    line: RowLine,
}

#[derive(Deserialize)]
struct RowLine {
    group_key: Option<String>,
    group_ja: Option<String>,
    group_en: Option<String>,
    text_ja: String,
    text_en: String,
    link: String,
}

/// The JST day's notices of active users, oldest first, with each user's e-mail address.
async fn notices_of_day(db: &Db, day: chrono::NaiveDate) -> Result<Vec<Row>, DbError> {
    let start = day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::i18n::jst()).single())
        .map(|t| t.to_utc())
        .ok_or_else(|| DbError::other("no such JST day"))?;
    let end = start + chrono::Duration::days(1);
    let mut response = db
        .query(
            "SELECT record::id(recipient) AS user, recipient.name_ja AS name_ja,
                recipient.name_en AS name_en,
                (SELECT VALUE email FROM identity WHERE user = $parent.recipient AND email != NONE LIMIT 1)[0] AS email,
                group_key, group_ja, group_en, text_ja, text_en, link, at
             FROM notice WHERE at >= <datetime> $start AND at < <datetime> $end
                AND recipient.status = 'active'
             ORDER BY at",
        )
        .bind(("start", start.to_rfc3339()))
        .bind(("end", end.to_rfc3339()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Sends the digest of JST day `day` to everyone with notices that day and an e-mail address,
/// once per person (see the module). Returns how many mails were sent. A mail that fails is
/// logged and left for a later run; only a database failure is an error.
pub async fn send_day(
    db: &Db,
    mail: &MailConfig,
    public_url: &str,
    day: chrono::NaiveDate,
) -> Result<u32, DbError> {
    use lettre::AsyncTransport;
    let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&mail.smtp_url)
        .map_err(|e| DbError::other(format!("SMTP URL: {e}")))?
        .build();
    let mut people: Vec<(String, String, String, String, Vec<DigestLine>)> = Vec::new();
    for row in notices_of_day(db, day).await? {
        let Some(email) = row.email else { continue };
        let line = DigestLine {
            group: match (row.line.group_key, row.line.group_ja, row.line.group_en) {
                (Some(key), Some(ja), Some(en)) => Some(NoticeGroup { key, ja, en }),
                _ => None,
            },
            text_ja: row.line.text_ja,
            text_en: row.line.text_en,
            link: row.line.link,
        };
        match people.iter_mut().find(|p| p.0 == row.user) {
            Some(p) => p.4.push(line),
            None => people.push((row.user, row.name_ja, row.name_en, email, vec![line])),
        }
    }
    let day_key = day.format("%Y-%m-%d").to_string();
    let mut sent = 0;
    for (user, name_ja, name_en, email, lines) in people {
        if !claim(db, &user, &day_key, lines.len()).await? {
            continue;
        }
        let (subject, body) = compose((&name_ja, &name_en), day, &lines, public_url);
        let outcome = message(mail, &email, &subject, body);
        let outcome = match outcome {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                sent += 1;
                tracing::info!(%user, notices = lines.len(), day = %day_key, "digest sent");
            }
            Err(e) => {
                tracing::warn!(%user, error = %e, day = %day_key, "digest not sent; a later run retries");
                release(db, &user, &day_key).await?;
            }
        }
    }
    Ok(sent)
}

/// A plain-text UTF-8 mail (lettre picks the transfer encoding).
fn message(
    mail: &MailConfig,
    to: &str,
    subject: &str,
    body: String,
) -> Result<lettre::Message, String> {
    use lettre::message::header::ContentType;
    let builder = lettre::Message::builder()
        .from(
            mail.from
                .parse()
                .map_err(|e| format!("KYODO_MAIL_FROM: {e}"))?,
        )
        .to(to.parse().map_err(|e| format!("recipient address: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    let body = lettre::message::Body::new(body);
    builder.body(body).map_err(|e| e.to_string())
}

/// Claims person `user`'s digest of `day`; `false` when it was already sent (or is being sent
/// by another server).
async fn claim(db: &Db, user: &str, day: &str, notices: usize) -> Result<bool, DbError> {
    let response = db
        .query("CREATE type::record('digest_sent', [$user, $day]) SET notices = $n")
        .bind(("user", user.to_owned()))
        .bind(("day", day.to_owned()))
        .bind(("n", notices))
        .await?;
    match crate::db::checked(response) {
        Ok(_) => Ok(true),
        Err(DbError::Other(e)) if e.contains("already exists") => Ok(false),
        Err(DbError::LostRace) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives a claim back after a failed send.
async fn release(db: &Db, user: &str, day: &str) -> Result<(), DbError> {
    db.query("DELETE type::record('digest_sent', [$user, $day])")
        .bind(("user", user.to_owned()))
        .bind(("day", day.to_owned()))
        .await?
        .check()?;
    Ok(())
}

/// Runs for ever: each day at 07:00 JST, sends the previous day's digest, and catches up the two
/// days before for anyone a failed send left out (started by the server when mail is
/// configured; every server may run it, the claim keeps it once per person and day).
pub async fn daily(db: std::sync::Arc<Db>, mail: MailConfig, public_url: String) {
    loop {
        let now = chrono::Utc::now().with_timezone(&crate::i18n::jst());
        let today_seven = now
            .date_naive()
            .and_hms_opt(7, 0, 0)
            .and_then(|t| t.and_local_timezone(crate::i18n::jst()).single());
        let next = match today_seven {
            Some(t) if t > now => t,
            Some(t) => t + chrono::Duration::days(1),
            None => now + chrono::Duration::days(1),
        };
        let wait = (next - now)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(3600));
        tokio::time::sleep(wait).await;
        // The previous day, and the two before it for whoever a failed send or a server that
        // was down left out (the claims keep everyone else from a second mail).
        for back in (1..=3).rev() {
            let day = next.date_naive() - chrono::Duration::days(back);
            match send_day(&db, &mail, &public_url, day).await {
                Ok(sent) => tracing::info!(sent, %day, "daily digest done"),
                Err(e) => tracing::error!(error = %e, %day, "daily digest failed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(group: Option<&str>, text: &str) -> DigestLine {
        DigestLine {
            group: group.map(|g| NoticeGroup {
                key: g.into(),
                ja: format!("{g}部会"),
                en: format!("{g} WG"),
            }),
            text_ja: text.into(),
            text_en: format!("{text} (en)"),
            link: "/council".into(),
        }
    }

    #[test]
    fn a_digest_has_one_section_per_workspace_then_the_others() {
        let lines = vec![
            line(Some("a"), "1"),
            line(None, "2"),
            line(Some("b"), "3"),
            line(Some("a"), "4"),
            line(Some("b"), "5"),
        ];
        let grouped = sections(&lines);
        let shape: Vec<(Option<&str>, usize)> = grouped
            .iter()
            .map(|(g, items)| (g.map(|g| g.key.as_str()), items.len()))
            .collect();
        assert_eq!(shape, vec![(Some("a"), 2), (Some("b"), 2), (None, 1)]);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (subject, body) = compose(
            ("豊島 花子", "Hanako Toshima"),
            day,
            &lines,
            "https://kyodo.example",
        );
        assert!(subject.contains("5件"), "{subject}");
        assert!(
            body.contains("■ a部会（2件）") && body.contains("■ b WG (2)"),
            "{body}"
        );
        assert!(body.contains("https://kyodo.example/council"), "{body}");
        assert_eq!(body.matches("■ ").count(), 6, "{body}");
    }
}
