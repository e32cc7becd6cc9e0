//! The import format's columns: key columns, reported fields and steps, named by header.

use super::super::model::ProgressField;

/// A column of the import format: a key column, a reported field ([`ProgressField`]) or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Column {
    LgCode,
    LgName,
    System,
    StepsDone,
    Percent,
    /// A reported field, named by [`ProgressField::csv_header`].
    Field(ProgressField),
    /// `手順N` / `step_N`: the status of step N.
    Step(u8),
}

impl Column {
    /// The columns that are not reported fields: (column, Japanese header, English name).
    const KEYS: [(Column, &'static str, &'static str); 5] = [
        (Column::LgCode, "団体コード", "lg_code"),
        (Column::LgName, "団体名", "lg_name"),
        (Column::System, "業務", "system"),
        (Column::StepsDone, "完了ステップ数", "steps_done"),
        (Column::Percent, "進捗率", "percent"),
    ];
    /// 進捗状況.
    pub(super) const STATUS: Column = Column::Field(ProgressField::Status);
    pub(super) const REQUIRED: [Column; 3] = [Column::LgCode, Column::System, Column::STATUS];

    /// The column a header names; step headers (`手順12`, `step_12`) give `Step(12)` for any
    /// number (the caller checks it against the template). `Err` for a step header whose
    /// number is not 1–255.
    pub(super) fn from_header(h: &str) -> Option<Result<Column, ()>> {
        let lower = h.to_lowercase();
        let step_no = lower
            .strip_prefix("手順")
            .or_else(|| lower.strip_prefix("step_"))
            .or_else(|| lower.strip_prefix("step "));
        if let Some(n) = step_no {
            return Some(
                n.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(Column::Step)
                    .ok_or(()),
            );
        }
        Column::KEYS
            .iter()
            .find(|(_, ja, en)| *ja == h || *en == lower)
            .map(|(c, _, _)| *c)
            .or_else(|| ProgressField::from_csv_header(h).map(Column::Field))
            .map(Ok)
    }

    /// The Japanese header (`IMPORT_FORMAT.md`).
    pub(super) fn japanese(self) -> String {
        match self {
            Column::Step(n) => format!("手順{n}"),
            Column::Field(f) => f.csv_header().to_owned(),
            key => Column::KEYS
                .iter()
                .find(|(c, _, _)| *c == key)
                .map_or(String::new(), |(_, ja, _)| (*ja).to_owned()),
        }
    }
}
