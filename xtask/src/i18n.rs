//! The English beside the Chinese: `cargo xtask check` (its i18n part), `cargo xtask i18n-report`
//! and `cargo xtask i18n-fill --tm <files>`. Format and keys: `api-spec/README.md`.

use iotcloud_spec::i18n::{self, Kind, Translations};
use iotcloud_spec::{LoadedSpec, SpecError};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// First lines of every i18n file.
const HEADER: &str = "# English of the Chinese texts of api-spec/SERVICE.yaml, one entry per text key.\n\
# `hash`: first 8 hex digits of the SHA-256 of the Chinese source; `cargo xtask check` reports the entry\n\
# as stale when the source changes. Texts already in English have no entry. See api-spec/README.md.\n";

/// Every i18n problem of one spec: file errors and [`i18n::check`]'s.
pub fn check(spec: &LoadedSpec) -> Vec<SpecError> {
    match i18n::load_for(&spec.path) {
        Ok(Some(t)) => i18n::check(spec, &t),
        Ok(None) => {
            // No file: every Chinese text is missing.
            let empty = Translations {
                path: i18n::path_for(&spec.path),
                entries: Vec::new(),
            };
            i18n::check(spec, &empty)
        }
        Err(e) => vec![e],
    }
}

/// Loads the spec files of `dir` (`api-spec/`), named relative to `root`.
pub fn load_specs(root: &Path) -> Result<Vec<LoadedSpec>, Vec<String>> {
    let dir = root.join("api-spec");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| vec![format!("{}: cannot list: {e}", dir.display())])?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        let rel = Path::new("api-spec").join(&name);
        match std::fs::read_to_string(dir.join(&name)) {
            Ok(text) => match iotcloud_spec::parse(&rel, &text) {
                Ok(s) => out.push(s),
                Err(e) => errors.push(e.to_string()),
            },
            Err(e) => errors.push(format!("{}: cannot read: {e}", rel.display())),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `cargo xtask i18n-report`: coverage per service and kind, then stale and missing entries.
/// Paths in `specs` are relative to `root`.
pub fn report(root: &Path, specs: &[LoadedSpec]) -> Result<String, String> {
    let mut out = String::new();
    let mut totals: BTreeMap<Kind, i18n::KindCoverage> = BTreeMap::new();
    let mut problems = String::new();
    let _ = writeln!(
        out,
        "{:<22} {:<22} {:>6} {:>8} {:>11} {:>9}",
        "service", "kind", "texts", "english", "translated", "coverage"
    );
    for spec in specs {
        let t = i18n::load_for(&root.join(&spec.path)).map_err(|e| e.to_string())?;
        let t = t.map(|mut t| {
            t.path = i18n::path_for(&spec.path);
            t
        });
        let c = i18n::coverage(&spec.spec, t.as_ref());
        let name = &spec.spec.service.name;
        for (kind, k) in &c.per_kind {
            row(&mut out, name, kind.as_str(), k);
            let tot = totals.entry(*kind).or_default();
            tot.texts += k.texts;
            tot.english += k.english;
            tot.translated += k.translated;
        }
        let all = sum(c.per_kind.values());
        row(&mut out, name, "(all)", &all);
        for s in &c.stale {
            let _ = writeln!(problems, "stale   {s}");
        }
        for m in &c.missing {
            let _ = writeln!(problems, "missing {}: {m}", spec.path.display());
        }
        if let Some(t) = &t {
            let keys: std::collections::HashSet<String> =
                i18n::texts(&spec.spec).into_iter().map(|t| t.key).collect();
            for e in t.entries.iter().filter(|e| !keys.contains(&e.key)) {
                let _ = writeln!(
                    problems,
                    "unknown {}:{}: {}",
                    t.path.display(),
                    e.line,
                    e.key
                );
            }
        }
    }
    for (kind, k) in &totals {
        row(&mut out, "(all services)", kind.as_str(), k);
    }
    row(&mut out, "(all services)", "(all)", &sum(totals.values()));
    if problems.is_empty() {
        out.push_str("\nno stale, missing or unknown entries\n");
    } else {
        out.push('\n');
        out.push_str(&problems);
    }
    Ok(out)
}

fn sum<'a>(it: impl Iterator<Item = &'a i18n::KindCoverage>) -> i18n::KindCoverage {
    it.fold(i18n::KindCoverage::default(), |mut a, k| {
        a.texts += k.texts;
        a.english += k.english;
        a.translated += k.translated;
        a
    })
}

fn row(out: &mut String, service: &str, kind: &str, k: &i18n::KindCoverage) {
    let need = k.texts - k.english;
    let pct = if need == 0 {
        100.0
    } else {
        100.0 * k.translated as f64 / need as f64
    };
    let _ = writeln!(
        out,
        "{service:<22} {kind:<22} {:>6} {:>8} {:>11} {:>8.1}%",
        k.texts, k.english, k.translated, pct
    );
}

/// A translation memory: JSON arrays of `{"zh": ..., "en": ...}`.
pub fn read_tm(files: &[PathBuf]) -> Result<HashMap<String, String>, String> {
    #[derive(serde::Deserialize)]
    struct Pair {
        zh: String,
        en: String,
    }
    let mut tm = HashMap::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("{}: cannot read: {e}", f.display()))?;
        let pairs: Vec<Pair> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        for p in pairs {
            tm.insert(p.zh, p.en);
        }
    }
    Ok(tm)
}

/// What `i18n-fill` did to one service.
#[derive(Debug, Default)]
pub struct Filled {
    pub path: PathBuf,
    pub added: usize,
    pub kept: usize,
    /// Keys of Chinese texts the memory does not hold.
    pub untranslated: Vec<String>,
    /// The new file text (`None`: the service has no Chinese text and no file).
    pub text: Option<String>,
}

/// Entries for every Chinese text of `spec` that has none: existing entries are kept as they are
/// (stale ones too: `check` reports them), new ones come from `tm`. Entries follow the spec's
/// text order; entries whose key is gone stay at the end for `check` to report.
pub fn fill(
    spec: &LoadedSpec,
    existing: Option<&Translations>,
    tm: &HashMap<String, String>,
) -> Filled {
    let mut f = Filled {
        path: i18n::path_for(&spec.path),
        ..Filled::default()
    };
    let mut entries = Vec::new();
    let texts = i18n::texts(&spec.spec);
    for t in texts.iter().filter(|t| t.needs_translation()) {
        if let Some(e) = existing.and_then(|x| x.get(&t.key)) {
            entries.push((e.key.clone(), e.hash.clone(), e.en.clone()));
            f.kept += 1;
        } else if let Some(en) = tm.get(&t.text) {
            entries.push((t.key.clone(), i18n::source_hash(&t.text), en.clone()));
            f.added += 1;
        } else {
            f.untranslated.push(t.key.clone());
        }
    }
    if let Some(x) = existing {
        let keys: std::collections::HashSet<&str> = texts.iter().map(|t| t.key.as_str()).collect();
        for e in x.entries.iter().filter(|e| !keys.contains(e.key.as_str())) {
            entries.push((e.key.clone(), e.hash.clone(), e.en.clone()));
        }
    }
    if !entries.is_empty() || existing.is_some() {
        let header = HEADER.replace("SERVICE", &spec.spec.service.name);
        f.text = Some(i18n::render(&header, &entries));
    }
    f
}
