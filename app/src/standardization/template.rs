//! The step template file (移行手順書の作業項目): `no,phase,name_ja,name_en`, one line per
//! step, numbered 1–N without gaps. The project ships `app/data/migration_steps.csv` (the 40
//! steps grouped in the four phases of the national procedure); an administrator replaces it
//! at `/admin/steps` or with `kyodo replace-steps <file>`.

use super::import::decode;
use super::model::{ImportIssue, ImportIssueKind, Phase, Step};
use crate::csv_input::normalize;

/// The shipped default template.
pub const DEFAULT_STEPS_CSV: &str = include_str!("../../data/migration_steps.csv");

/// Most steps a template may have (progress counts are stored as 0–255).
pub const MAX_STEPS: usize = 200;

/// Parses and validates a template file (UTF-8 or Shift_JIS, header line required; headers
/// `no`/`番号`, `phase`/`フェーズ`, `name_ja`/`名称`, `name_en`/`英語名称`).
///
/// Errors (every one found, each with its line and column): unknown encoding, a missing
/// column, a number that is not the next one (1, 2, 3, …), an unknown phase, a blank name,
/// an empty file or more than [`MAX_STEPS`] steps.
pub fn parse(bytes: &[u8]) -> Result<Vec<Step>, Vec<ImportIssue>> {
    let issue = |line: usize, column: Option<&str>, kind| ImportIssue {
        line,
        column: column.map(str::to_owned),
        kind,
    };
    let text = decode(bytes).map_err(|k| vec![issue(0, None, k)])?.0;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(normalize).collect(),
        Err(e) => {
            return Err(vec![issue(
                1,
                None,
                ImportIssueKind::Syntax {
                    detail: e.to_string(),
                },
            )]);
        }
    };
    let find = |names: [&str; 2]| headers.iter().position(|h| names.contains(&h.as_str()));
    let columns = [
        ("no", find(["no", "番号"])),
        ("phase", find(["phase", "フェーズ"])),
        ("name_ja", find(["name_ja", "名称"])),
        ("name_en", find(["name_en", "英語名称"])),
    ];
    let missing: Vec<ImportIssue> = columns
        .iter()
        .filter(|(_, i)| i.is_none())
        .map(|(name, _)| {
            issue(
                1,
                Some(name),
                ImportIssueKind::MissingColumn {
                    column: (*name).to_owned(),
                },
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let [no_i, phase_i, ja_i, en_i] = columns.map(|(_, i)| i.unwrap_or_default());
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(issue(
                    line,
                    None,
                    ImportIssueKind::Syntax {
                        detail: e.to_string(),
                    },
                ));
                break;
            }
        };
        if index >= MAX_STEPS {
            errors.push(issue(
                line,
                None,
                ImportIssueKind::TooManyRows { max: MAX_STEPS },
            ));
            break;
        }
        let cell = |i: usize| normalize(record.get(i).unwrap_or_default());
        let expected = index + 1;
        let no = cell(no_i);
        let no = match no.parse::<usize>() {
            Ok(n) if n == expected => Some(n as u8),
            _ => {
                errors.push(issue(
                    line,
                    Some("no"),
                    ImportIssueKind::StepNumber {
                        value: no,
                        expected: expected.to_string(),
                    },
                ));
                None
            }
        };
        let phase_raw = cell(phase_i);
        let phase = Phase::parse(&phase_raw);
        if phase.is_none() {
            errors.push(issue(
                line,
                Some("phase"),
                ImportIssueKind::InvalidPhase { value: phase_raw },
            ));
        }
        let (name_ja, name_en) = (cell(ja_i), cell(en_i));
        for (name, column) in [(&name_ja, "name_ja"), (&name_en, "name_en")] {
            if name.is_empty() {
                errors.push(issue(line, Some(column), ImportIssueKind::Required));
            }
        }
        if let (Some(no), Some(phase), false, false) =
            (no, phase, name_ja.is_empty(), name_en.is_empty())
        {
            steps.push(Step {
                no,
                phase,
                name_ja,
                name_en,
            });
        }
    }
    if steps.is_empty() && errors.is_empty() {
        errors.push(issue(0, None, ImportIssueKind::Empty));
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors
            .into_iter()
            .map(|e| ImportIssue {
                kind: e.kind.truncated(60),
                ..e
            })
            .collect())
    }
}

/// The shipped template, parsed (it is valid: a unit test checks it).
pub fn default_steps() -> Vec<Step> {
    parse(DEFAULT_STEPS_CSV.as_bytes()).expect("the shipped step template is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_has_forty_steps_in_four_phases_in_order() {
        let steps = default_steps();
        assert_eq!(steps.len(), 40);
        assert_eq!(steps[0].name_ja, "推進体制の立ち上げ");
        assert_eq!(steps[23].name_ja, "RFPに関するベンダからの質問回答");
        assert_eq!(steps[24].name_ja, "ベンダからのRFP回答");
        let phases: Vec<Phase> = steps.iter().map(|s| s.phase).collect();
        assert!(
            phases
                .windows(2)
                .all(|w| Phase::ALL.iter().position(|p| *p == w[0])
                    <= Phase::ALL.iter().position(|p| *p == w[1]))
        );
        for phase in Phase::ALL {
            assert!(phases.contains(&phase), "{phase:?}");
        }
    }

    #[test]
    fn gaps_unknown_phases_and_blank_names_are_reported_with_lines() {
        let csv = "番号,フェーズ,名称,英語名称\n1,計画立案,体制,Team\n3,調達,,Bid\n";
        let errors = parse(csv.as_bytes()).unwrap_err();
        let got: Vec<(usize, Option<&str>)> = errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![(3, Some("no")), (3, Some("phase")), (3, Some("name_ja"))]
        );
        assert!(
            matches!(&errors[0].kind, ImportIssueKind::StepNumber { expected, .. } if expected == "2")
        );
    }

    #[test]
    fn missing_columns_and_empty_files_are_refused() {
        let errors = parse(b"no,phase\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            parse(b"no,phase,name_ja,name_en\n").unwrap_err()[0].kind,
            ImportIssueKind::Empty
        );
    }
}
