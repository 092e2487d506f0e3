//! The runtime's and the emulator's top-level modules depend on each other one way only
//! (ARCHITECTURE.md): a cycle hides a responsibility in the wrong module. This reads each
//! module's `crate::` paths outside comments and test modules and fails on any cycle, naming
//! the lines that close it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module name -> (module it uses -> first `file:line` that uses it).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn module_files(src: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(src).expect("src dir") {
        let path = entry.expect("dir entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                for e in std::fs::read_dir(&dir).expect("module dir") {
                    let p = e.expect("dir entry").path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        out.push((stem.clone(), p));
                    }
                }
            }
        } else if path.extension().is_some_and(|x| x == "rs") && stem != "lib" && stem != "main" {
            out.push((stem, path));
        }
    }
    out
}

/// The first path segments after `crate::` on one line (`crate::a::B`, `crate::{a, b::c}`).
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(pos) = rest.find("crate::") {
        rest = &rest[pos + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            found.push(item);
        } else {
            found.push(rest.to_string());
        }
    }
    found
        .iter()
        .map(|p| {
            p.trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn graph(crate_dir: &str) -> Graph {
    let src = root().join(crate_dir).join("src");
    let files = module_files(&src);
    let modules: Vec<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    for (module, path) in &files {
        if path.file_stem().is_some_and(|s| s == "tests") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("module source");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            // Unit tests sit at a file's end; what they use is not the module's dependency.
            if code.starts_with("#[cfg(test)]")
                && lines
                    .get(i + 1)
                    .is_some_and(|next| next.trim_start().starts_with("mod tests"))
            {
                break;
            }
            if code.starts_with("//") {
                continue;
            }
            for used in crate_paths(code) {
                if used != *module && modules.contains(&used) {
                    let at = format!(
                        "{}:{}",
                        path.strip_prefix(root()).unwrap_or(path).display(),
                        i + 1
                    );
                    graph
                        .entry(module.clone())
                        .or_default()
                        .entry(used)
                        .or_insert(at);
                }
            }
        }
    }
    graph
}

/// One cycle of the graph as `a -> b (file:line) -> a (file:line)`, if there is any.
fn find_cycle(graph: &Graph) -> Option<String> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let ring: Vec<&String> = path[start..].iter().chain([&path[start]]).collect();
            let steps: Vec<String> = ring
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {} ({})",
                        w[0],
                        w[1],
                        graph[w[0].as_str()][w[1].as_str()]
                    )
                })
                .collect();
            return Some(steps.join(", "));
        }
        if done.iter().any(|n| n == node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.push(node.to_string());
        None
    }
    let mut done = Vec::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn paths_after_crate_are_read_from_plain_and_grouped_uses() {
    assert_eq!(crate_paths("use crate::client::Handle;"), ["client"]);
    assert_eq!(
        crate_paths("use crate::{de, error::{ErrorKind, Inner}, retry};"),
        ["de", "error", "retry"]
    );
    assert_eq!(
        crate_paths("let x = crate::percent::encode(crate::wire::f());"),
        ["percent", "wire"]
    );
    assert!(crate_paths("pub(crate) fn f() {}").is_empty());
}

#[test]
fn a_cycle_is_found_and_named_by_its_lines() {
    let mut g = Graph::new();
    g.entry("a".into())
        .or_default()
        .insert("b".into(), "a.rs:3".into());
    g.entry("b".into())
        .or_default()
        .insert("c".into(), "b.rs:4".into());
    assert_eq!(find_cycle(&g), None);
    g.entry("c".into())
        .or_default()
        .insert("a".into(), "c.rs:5".into());
    assert_eq!(
        find_cycle(&g).as_deref(),
        Some("a -> b (a.rs:3), b -> c (b.rs:4), c -> a (c.rs:5)")
    );
}

#[test]
fn runtime_modules_have_no_cycle() {
    let g = graph("crates/iotcloud-runtime");
    assert!(g.len() > 10, "the runtime's modules were not read: {g:?}");
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn emulator_modules_have_no_cycle() {
    let g = graph("crates/iotcloud-emulator");
    assert!(g.len() > 5, "the emulator's modules were not read: {g:?}");
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn codegen_modules_have_no_cycle() {
    let g = graph("crates/iotcloud-codegen");
    assert!(
        g.len() > 2,
        "the code generator's modules were not read: {g:?}"
    );
    assert_eq!(find_cycle(&g), None);
}
