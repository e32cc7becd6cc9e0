//! Organisation storage (ssr only).

use crate::db::{Db, DbError, rows};
use crate::orgs::model::Organisation;

const SELECT_ORGS: &str =
    "SELECT record::id(id) AS key, lg_code, name_ja, name_kana, name_en, kind, district_ja
     FROM organisation ORDER BY kind, lg_code";

/// Every organisation (64 with the shipped data), ordered by code within kind.
pub async fn all(db: &Db) -> Result<Vec<Organisation>, DbError> {
    let mut response = db.query(SELECT_ORGS).await?.check()?;
    let mut orgs: Vec<Organisation> = rows(&mut response, 0)?;
    orgs.sort_by(|a, b| a.lg_code.cmp(&b.lg_code).then(a.key.cmp(&b.key)));
    Ok(orgs)
}
