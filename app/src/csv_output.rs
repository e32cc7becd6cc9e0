//! Writing CSV that Japanese spreadsheets open safely (layer 0): UTF-8 with a BOM (Excel
//! reads it as UTF-8), CRLF line ends, and cells that a spreadsheet would run as a formula
//! neutralised. Every room's export builds on these.

/// A CSV writer into memory that starts with the UTF-8 BOM and ends lines with CRLF.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF])
}

/// Prefixes `'` to a cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
/// tab, CR), and to a cell that itself starts with `'` (so that an import that removes one
/// such `'` gives back exactly the stored text: `'=2+5` exports as `''=2+5`, `=2+5` as
/// `'=2+5`). Source: OWASP "CSV Injection".
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Removes the one `'` that [`neutralize`] put before a cell (for imports of exported files).
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_come_back() {
        for cell in ["=2+5", "+1", "-1", "@SUM(A1)", "'quoted", "''", "plain", ""] {
            assert_eq!(unneutralize(&neutralize(cell)), cell, "{cell:?}");
        }
        assert_eq!(neutralize("=2+5"), "'=2+5");
        assert_eq!(neutralize("普通"), "普通");
    }

    #[test]
    fn the_writer_starts_with_a_bom_and_ends_lines_with_crlf() {
        let mut w = writer();
        w.write_record(["a", "b"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"\xEF\xBB\xBFa,b\r\n");
    }
}
