//! The import rule of `app/src`, checked on the source text (std only, nothing compiled).
//!
//! The rule, from the architecture doc: **a module imports only from its own layer or a lower
//! one; no capability imports another capability's `server`, `repo` or `pages`.** Nothing below
//! the top layer imports `shell` or `setup`, and no files import each other in a circle. This
//! keeps capabilities separate rooms that can be added, changed or removed on their own.
//!
//! An import is any `crate::…` or `super::…` path in code: in `use` trees (grouped, multi-line)
//! and inline in bodies and types; comments, literals and `#[cfg(test)]` modules are skipped,
//! and `use self::…` and `mod x;` do not count. A path (shown absolute, `crate::…`) names the
//! file of its longest prefix that is a module file; paths that stop at `lib.rs` (crate-root
//! re-exports) are ignored. The analysis is a pure function of `(path, source)` pairs,
//! self-tested on synthetic trees below; the real-tree tests only read `src/` and call it.

use std::collections::{BTreeMap, BTreeSet};

/// Layer of each top-level module of `src/`: a new module must be added here.
#[rustfmt::skip]
const LAYERS: &[(&str, u8)] = &[
    // 0 leaf
    ("error", 0), ("ids", 0), ("calendar", 0), ("i18n", 0), ("markdown", 0), ("text", 0),
    ("csv_input", 0), ("csv_output", 0),
    // 1 kit and models (every module's `model.rs`, `model/` and `views.rs` is layer 1 too)
    ("ui", 1),
    // 2 core
    ("policy", 2), ("db", 2), ("config", 2), ("state", 2),
    // 3 shared services
    ("auth", 3), ("orgs", 3), ("notifications", 3), ("threads", 3), ("history", 3),
    ("attachments", 3), ("search", 3), ("http", 3),
    // 4 capabilities
    ("standardization", 4), ("projects", 4), ("consultations", 4), ("council", 4),
    // 5 top
    ("shell", 5), ("setup", 5), ("volume", 5),
];
/// Names of the layers, by number, for messages.
#[rustfmt::skip]
const NAMES: [&str; 6] =
    ["leaf", "kit and models", "core", "shared services", "capabilities", "top"];
/// The capabilities' layer: their modules must not reach into each other's rooms.
const CAPABILITY: u8 = 4;
/// The top layer (`shell`, `setup`): nothing below it may import it.
const TOP: u8 = 5;
/// A capability's private parts (files or folders), off limits to other capabilities.
const ROOMS: [&str; 3] = ["server", "repo", "pages"];

/// One import: file `from` names `path` on `line`, and that path lies in file `to`.
struct Import {
    from: String,
    line: usize,
    path: String,
    to: String,
}

/// An analysed tree: its files (relative to `src/`) and the imports between distinct files.
struct Graph {
    files: Vec<String>,
    imports: Vec<Import>,
}

/// Leaves of path and use trees: absolute module path segments and the byte offset.
type Leaves = Vec<(Vec<String>, usize)>;

/// The end of the run of bytes matching `f` that starts at `i`.
fn run(c: &[u8], i: usize, f: impl Fn(u8) -> bool) -> usize {
    i + c[i..].iter().take_while(|&&b| f(b)).count()
}

/// The first offset at or after `i` that is not whitespace.
fn skip_ws(c: &[u8], i: usize) -> usize {
    run(c, i, |b| b.is_ascii_whitespace())
}

/// The identifier starting at `i` (empty if none) and the offset after it.
fn word(c: &[u8], i: usize) -> (String, usize) {
    let e = run(c, i, |b| b.is_ascii_alphanumeric() || b == b'_');
    (String::from_utf8_lossy(&c[i..e]).into_owned(), e)
}

/// Module path of a file: `a/b/c.rs` is `a::b::c`, `a/b/mod.rs` is `a::b`, `lib.rs` the root.
fn module_of(file: &str) -> Vec<String> {
    let path = file.trim_end_matches(".rs");
    let mut m: Vec<String> = path.split('/').map(Into::into).collect();
    if m == ["lib"] || m.last().is_some_and(|l| l == "mod") {
        m.pop();
    }
    m
}

/// The source with comments and string/char literals blanked (newlines and offsets kept).
fn blank(src: &str) -> Vec<u8> {
    let (s, mut c, mut i) = (src.as_bytes(), src.as_bytes().to_vec(), 0);
    let find = |from: usize, pat: &[u8]| (from..s.len()).find(|&j| s[j..].starts_with(pat));
    while i < s.len() {
        let hashes = run(s, i + 1, |b| b == b'#') - i - 1;
        let end = if s[i..].starts_with(b"//") {
            find(i, b"\n").unwrap_or(s.len())
        } else if s[i..].starts_with(b"/*") {
            find(i + 2, b"*/").map_or(s.len(), |j| j + 2)
        } else if s[i] == b'r' && s.get(i + 1 + hashes) == Some(&b'"') {
            let close = [&b"\""[..], &vec![b'#'; hashes]].concat(); // raw string
            find(i + 2 + hashes, &close).map_or(s.len(), |j| j + close.len())
        } else if s[i] == b'"' {
            let mut j = i + 1;
            while j < s.len() && s[j] != b'"' {
                j += 1 + usize::from(s[j] == b'\\');
            }
            j + 1
        } else if s[i] == b'\'' && s.get(i + 1) == Some(&b'\\') {
            find(i + 3, b"'").map_or(s.len(), |j| j + 1)
        } else if s[i] == b'\'' {
            let len = src[i + 1..].chars().next().map_or(0, char::len_utf8);
            let char_literal = s.get(i + 1 + len) == Some(&b'\''); // else a lifetime
            if char_literal { i + 2 + len } else { i + 1 }
        } else {
            i + 1
        };
        let end = end.min(s.len());
        if end > i + 1 {
            c[i..end]
                .iter_mut()
                .filter(|b| **b != b'\n')
                .for_each(|b| *b = b' ');
        }
        i = end;
    }
    c
}

/// Parses the rest of a path or use tree at `i` after `segs`, pushes its leaves, returns the end.
fn tree(c: &[u8], mut i: usize, mut segs: Vec<String>, at: usize, out: &mut Leaves) -> usize {
    while c[i..].starts_with(b"::") {
        let k = skip_ws(c, i + 2);
        if c.get(k) == Some(&b'{') {
            return group(c, k + 1, &segs, out);
        }
        let (w, e) = word(c, k);
        match w.as_str() {
            "" => break, // `*`, `<…>`: the path ends here
            "super" => drop(segs.pop()),
            _ => segs.push(w),
        }
        i = e;
    }
    out.push((segs, at));
    i
}

/// Parses the items of a use group at `k` (just after `{`) under `segs`, returns the end.
fn group(c: &[u8], mut k: usize, segs: &[String], out: &mut Leaves) -> usize {
    loop {
        k = skip_ws(c, k);
        let (w, e) = word(c, k);
        let next = e.max(k + 1);
        k = match (c.get(k), w.as_str()) {
            (None, _) => return k,
            (Some(b'}'), _) => return k + 1,
            (Some(b'*'), _) | (_, "self") => {
                out.push((segs.to_vec(), k));
                next
            }
            (_, "as") => word(c, skip_ws(c, e)).1, // skip the alias
            (_, "") => next,
            _ => tree(c, e, [segs, &[w][..]].concat(), k, out),
        };
    }
}

/// Every `crate::`/`super::` path in one file's code, as (line, absolute segments).
fn paths_in(file: &str, src: &str) -> Vec<(usize, Vec<String>)> {
    let c = blank(src);
    let (mut out, mut depth, mut i) = (Leaves::new(), 0, 0);
    let mut inline: Vec<(String, i32, bool)> = Vec::new(); // inline `mod`: name, depth, test?
    while i < c.len() {
        let (w, e) = word(&c, i);
        if w.is_empty() {
            depth += i32::from(c[i] == b'{') - i32::from(c[i] == b'}');
            if c[i] == b'}' && inline.last().is_some_and(|m| m.1 == depth) {
                inline.pop();
            }
            i += 1;
            continue;
        }
        let (name, e2) = word(&c, skip_ws(&c, e));
        let in_test = inline.iter().any(|m| m.2);
        if w == "mod" && !name.is_empty() && c.get(skip_ws(&c, e2)) == Some(&b'{') {
            let start = c[..i].iter().rposition(|b| b";{}".contains(b));
            let attrs = String::from_utf8_lossy(&c[start.map_or(0, |p| p + 1)..i]);
            let words: Vec<&str> = attrs.split(|ch: char| !ch.is_alphanumeric()).collect();
            let test = attrs.contains("cfg(") && words.contains(&"test");
            inline.push((name, depth, test && !attrs.contains("not(test")));
        } else if (w == "crate" || w == "super") && c[e..].starts_with(b"::") && !in_test {
            let inner = c[..i].ends_with(b"::") || c[..i].ends_with(b"$"); // `super::super`, `$crate`
            let mut base = module_of(file); // the module `super` starts from
            base.extend(inline.iter().map(|m| m.0.clone()));
            base.pop();
            let base = if w == "crate" { Vec::new() } else { base };
            if !inner {
                tree(&c, e, base, i, &mut out);
            }
        }
        i = e;
    }
    let line = |at: usize| 1 + c[..at].iter().filter(|&&b| b == b'\n').count();
    out.into_iter().map(|(segs, at)| (line(at), segs)).collect()
}

/// Analyses a tree of `(path under src/, source)` pairs into its files and imports.
fn analyse(sources: &[(String, String)]) -> Graph {
    let modules: BTreeMap<_, &str> = sources.iter().map(|s| (module_of(&s.0), &*s.0)).collect();
    let mut imports = Vec::new();
    for (from, src) in sources {
        for (line, segs) in paths_in(from, src) {
            let to = (0..=segs.len()).rev().find_map(|n| modules.get(&segs[..n]));
            // Not itself, not the crate root (re-exports), not unknown.
            if let Some(&to) = to.filter(|&&to| to != from && !module_of(to).is_empty()) {
                let path = format!("crate::{}", segs.join("::"));
                imports.push(Import {
                    from: from.clone(),
                    line,
                    path,
                    to: to.into(),
                });
            }
        }
    }
    let files = sources.iter().map(|s| s.0.clone()).collect();
    Graph { files, imports }
}

/// The table layer of a top-level module, if it is in `LAYERS`.
fn table(module: &str) -> Option<u8> {
    LAYERS.iter().find(|l| l.0 == module).map(|l| l.1)
}

/// A file's top-level module (`""` for the crate root).
fn top(file: &str) -> String {
    module_of(file).into_iter().next().unwrap_or_default()
}

/// Layer of a file: 1 for models and views inside any module, else its top-level module's
/// (the crate root counts as top); `Err(module)` when that module is not in `LAYERS`.
fn layer_of(file: &str) -> Result<u8, String> {
    let parts: Vec<&str> = file.split('/').collect();
    let (dirs, name) = parts.split_at(parts.len() - 1);
    let model = dirs.len() > 1 && dirs[1..].contains(&"model");
    let model = model || !dirs.is_empty() && ["model.rs", "views.rs"].contains(&name[0]);
    match top(file).as_str() {
        "" => Ok(TOP),
        _ if model => Ok(1),
        m => table(m).ok_or_else(|| m.to_owned()),
    }
}

/// Where and what: `src/<from>:<line>: `<path>` -> <to>`.
fn at(i: &Import) -> String {
    format!("src/{}:{}: `{}` -> {}", i.from, i.line, i.path, i.to)
}

/// Files reachable from `a` along one or more edges.
fn reach<'a, T>(edges: &BTreeMap<(&'a str, &'a str), T>, a: &'a str) -> BTreeSet<&'a str> {
    let (mut seen, mut todo) = (BTreeSet::new(), vec![a]);
    while let Some(f) = todo.pop() {
        for &(from, to) in edges.keys() {
            if from == f && seen.insert(to) {
                todo.push(to);
            }
        }
    }
    seen
}

/// Rule 1: the file import graph has no cycle; reports each cycle's files and inner edges.
fn check_cycles(g: &Graph) -> Vec<String> {
    let mut edges: BTreeMap<(&str, &str), BTreeMap<&str, Vec<String>>> = BTreeMap::new();
    for i in &g.imports {
        let lines = edges
            .entry((&i.from, &i.to))
            .or_default()
            .entry(&i.path)
            .or_default();
        lines.push(i.line.to_string());
        lines.dedup();
    }
    let reaches: BTreeMap<&str, _> = g.files.iter().map(|f| (&**f, reach(&edges, f))).collect();
    let (mut done, mut out) = (BTreeSet::new(), Vec::new());
    for (f, reached) in &reaches {
        let mut scc: Vec<&str> = reached.iter().copied().collect();
        scc.retain(|b| reaches[b].contains(f));
        if scc.len() < 2 || !done.insert(scc.clone()) {
            continue;
        }
        let mut msg = format!("cycle through {} files: {}", scc.len(), scc.join(", "));
        for ((a, b), names) in &edges {
            if scc.contains(a) && scc.contains(b) {
                let names: Vec<String> = names
                    .iter()
                    .map(|(p, l)| format!("`{p}` (line {})", l.join(", ")))
                    .collect();
                msg += &format!("\n    {a} -> {b}: {}", names.join(", "));
            }
        }
        out.push(msg);
    }
    out
}

/// Rule 2: every top-level module is in `LAYERS`, and no file imports from a higher layer.
fn check_layers(g: &Graph) -> Vec<String> {
    let mut missing = BTreeMap::new(); // one message per missing module
    for f in &g.files {
        if let Err(m) = layer_of(f) {
            let msg = format!("module `{m}` (src/{f}) is not in the layer table: add it to LAYERS");
            missing.entry(m).or_insert(msg);
        }
    }
    let mut out: Vec<String> = missing.into_values().collect();
    for i in &g.imports {
        if let (Ok(a), Ok(b)) = (layer_of(&i.from), layer_of(&i.to))
            && b > a
        {
            let (at, na, nb) = (at(i), NAMES[a as usize], NAMES[b as usize]);
            out.push(format!("{at}: layer {a} ({na}) imports layer {b} ({nb})"));
        }
    }
    out
}

/// Rule 3: no capability imports another's server, repo or pages; only the top imports the top.
fn check_rooms(g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for i in &g.imports {
        let (at, from, to) = (at(i), top(&i.from), top(&i.to));
        let room = module_of(&i.to).get(1).cloned().unwrap_or_default();
        let capabilities = table(&from) == Some(CAPABILITY) && table(&to) == Some(CAPABILITY);
        if capabilities && from != to && ROOMS.contains(&room.as_str()) {
            out.push(format!(
                "{at}: capability `{from}` reaches into `{to}`'s {room}"
            ));
        }
        if let (Ok(a), Some(TOP)) = (layer_of(&i.from), table(&to))
            && a < TOP
        {
            let name = NAMES[a as usize];
            out.push(format!(
                "{at}: layer {a} ({name}) imports `{to}`; only layer {TOP} may"
            ));
        }
    }
    out
}

/// Reads every `.rs` file under the package's `src/`, sorted, as (path under `src/`, source).
fn real_tree() -> Vec<(String, String)> {
    let root = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let (mut out, mut dirs) = (Vec::new(), vec![root.clone()]);
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = entry.expect("directory entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(&root).unwrap().to_string_lossy();
                let source = std::fs::read_to_string(&p).expect("readable source");
                out.push((rel.replace('\\', "/"), source));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under {}", root.display());
    out.sort();
    out
}

/// Fails with the rule and one violation per line when any were found.
fn verdict(rule: &str, found: Vec<String>) {
    let (n, list) = (found.len(), found.join("\n"));
    assert!(found.is_empty(), "\n{rule}\n{n} violation(s):\n{list}\n");
}

#[test]
fn no_import_cycle() {
    let rule = "Rule: files do not import each other in a circle.";
    verdict(rule, check_cycles(&analyse(&real_tree())));
}

#[test]
fn imports_follow_the_layers() {
    let rule = "Rule: a module imports only from its own layer or a lower one (table LAYERS).";
    verdict(rule, check_layers(&analyse(&real_tree())));
}

#[test]
fn capabilities_keep_to_their_rooms() {
    let rule = "Rule: no capability imports another capability's server, repo or pages; \
                nothing below the top layer imports shell or setup.";
    verdict(rule, check_rooms(&analyse(&real_tree())));
}

/// Self-tests: each check on a tiny synthetic tree, proving it catches its violation.
mod synthetic {
    use super::*;

    /// Analyses an in-memory tree written as `## path` lines, each followed by that file.
    fn graph(tree: &str) -> Graph {
        let files = tree
            .split("## ")
            .skip(1)
            .map(|f| f.split_once('\n').unwrap());
        analyse(&files.map(|(p, s)| (p.into(), s.into())).collect::<Vec<_>>())
    }

    #[test]
    fn reads_paths_as_the_compiler_does() {
        let g = graph(
            r#"
## lib.rs
pub mod a; pub mod x; pub use x::X;
## a/mod.rs
pub mod b;
use super::X;
## a/b/mod.rs
use super::Thing;
## a/b/c.rs
use super::d::F;
fn f() { super::super::G; }
## a/b/d.rs
use self::inner::Z;
mod inner;
fn own() -> crate::a::b::d::Own {}
## x.rs
use crate::{
    a::b::{c::C, d as dd},
    a::{self as top, Top},
};
// use crate::a::b::c::Commented;
/* crate::a::Block */
fn f() -> crate::a::b::d::D<'_> { let s = "crate::a::S"; let c = '{'; crate::X }
#[cfg(test)]
mod tests {
    use super::*;
    use crate::a::b::c::InTest;
}
mod inner {
    fn g() { super::super::a::Inner; $crate::a::Macro; }
}
"#,
        );
        let found: Vec<String> = g.imports.iter().map(at).collect();
        let expected = [
            "src/a/b/mod.rs:1: `crate::a::Thing` -> a/mod.rs",
            "src/a/b/c.rs:1: `crate::a::b::d::F` -> a/b/d.rs",
            "src/a/b/c.rs:2: `crate::a::G` -> a/mod.rs",
            "src/x.rs:2: `crate::a::b::c::C` -> a/b/c.rs",
            "src/x.rs:2: `crate::a::b::d` -> a/b/d.rs",
            "src/x.rs:3: `crate::a` -> a/mod.rs",
            "src/x.rs:3: `crate::a::Top` -> a/mod.rs",
            "src/x.rs:7: `crate::a::b::d::D` -> a/b/d.rs",
            "src/x.rs:14: `crate::a::Inner` -> a/mod.rs",
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn finds_a_cycle() {
        let tree =
            "## i18n/mod.rs\nuse crate::text::t;\n## text.rs\nuse crate::error::E;\n## error.rs\n";
        assert!(check_cycles(&graph(tree)).is_empty());
        let g = graph(&format!(
            "{tree}\nfn f() {{ crate::text::t(); crate::text::t() }}"
        ));
        let expected = "cycle through 2 files: error.rs, text.rs\n    \
                        error.rs -> text.rs: `crate::text::t` (line 2)\n    \
                        text.rs -> error.rs: `crate::error::E` (line 1)";
        assert_eq!(check_cycles(&g), [expected]);
    }

    #[test]
    fn finds_layer_breaks_and_unknown_modules() {
        let g = graph(
            "## error.rs\nuse crate::auth::Session;\n## auth/mod.rs\n\
             ## auth/model.rs\nuse crate::auth::server::x;\nuse crate::orgs::model::Org;\n\
             ## auth/server.rs\nuse super::model::User;\nuse crate::db::Db;\n\
             ## orgs/model/mod.rs\nuse crate::ui::Button;\nuse crate::db::Db;\n\
             ## db/mod.rs\n## ui/mod.rs\n## widgets.rs\nuse crate::error::E;\n\
             ## standardization/views.rs\nuse crate::standardization::server::S;\n\
             ## standardization/server.rs\n",
        );
        let expected = [
            "module `widgets` (src/widgets.rs) is not in the layer table: add it to LAYERS",
            "src/error.rs:1: `crate::auth::Session` -> auth/mod.rs: layer 0 (leaf) imports layer 3 (shared services)",
            "src/auth/model.rs:1: `crate::auth::server::x` -> auth/server.rs: layer 1 (kit and models) imports layer 3 (shared services)",
            "src/orgs/model/mod.rs:2: `crate::db::Db` -> db/mod.rs: layer 1 (kit and models) imports layer 2 (core)",
            "src/standardization/views.rs:1: `crate::standardization::server::S` -> standardization/server.rs: layer 1 (kit and models) imports layer 4 (capabilities)",
        ];
        assert_eq!(check_layers(&g), expected);
    }

    #[test]
    fn finds_room_breaks() {
        let g = graph(
            "## standardization/server.rs\nuse crate::projects::repo::r;\n\
             use crate::projects::model::M;\nuse crate::projects::pages::list::L;\n\
             ## projects/repo.rs\n## projects/model.rs\n## projects/pages/mod.rs\n\
             ## projects/pages/list.rs\nuse crate::projects::repo::r;\n\
             ## orgs/model.rs\nfn f(s: crate::setup::State) {}\n\
             ## setup.rs\n## shell/mod.rs\nuse crate::setup::X;\n",
        );
        let expected = [
            "src/standardization/server.rs:1: `crate::projects::repo::r` -> projects/repo.rs: capability `standardization` reaches into `projects`'s repo",
            "src/standardization/server.rs:3: `crate::projects::pages::list::L` -> projects/pages/list.rs: capability `standardization` reaches into `projects`'s pages",
            "src/orgs/model.rs:1: `crate::setup::State` -> setup.rs: layer 1 (kit and models) imports `setup`; only layer 5 may",
        ];
        assert_eq!(check_rooms(&g), expected);
    }
}
