//! English beside the documents' Chinese: `api-spec/i18n/en/<service>.yaml`.
//!
//! Every prose text of a spec (service title, operation summary, description and group, field
//! descriptions, enumeration meanings, constraint notes, rule and rate-limit sentences, error
//! descriptions and groups) has a stable key ([`texts`]). A text written in Chinese needs an entry
//! in the i18n file: its English and the short hash ([`source_hash`]) of the Chinese it was
//! translated from, so a changed document shows up as a stale entry. A text with no CJK character
//! is English already and is its own translation: it has no entry. The format and the keys are
//! documented in `api-spec/README.md`.

use crate::{EnumValue, Field, LoadedSpec, OneOf, ServiceSpec, SpecError, StructDef};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// What a text documents (coverage is reported per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Title,
    Group,
    Summary,
    Description,
    Common,
    Request,
    Response,
    Struct,
    Member,
    Enum,
    Note,
    Rule,
    RateLimit,
    Error,
    ErrorGroup,
}

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::Title,
        Kind::Group,
        Kind::Summary,
        Kind::Description,
        Kind::Common,
        Kind::Request,
        Kind::Response,
        Kind::Struct,
        Kind::Member,
        Kind::Enum,
        Kind::Note,
        Kind::Rule,
        Kind::RateLimit,
        Kind::Error,
        Kind::ErrorGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Title => "service title",
            Kind::Group => "operation group",
            Kind::Summary => "operation summary",
            Kind::Description => "operation description",
            Kind::Common => "common parameter",
            Kind::Request => "request parameter",
            Kind::Response => "response field",
            Kind::Struct => "struct",
            Kind::Member => "struct field",
            Kind::Enum => "enumeration value",
            Kind::Note => "constraint note",
            Kind::Rule => "one-of rule",
            Kind::RateLimit => "rate limit",
            Kind::Error => "error code",
            Kind::ErrorGroup => "error group",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One prose text of a spec, with its stable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// Stable key (`QueryDevice.request.ProductKey`, `error.iot.common.InvalidTenant`).
    pub key: String,
    pub kind: Kind,
    /// The text as the spec holds it.
    pub text: String,
    /// Operation and member naming the spec entry (to locate it in the spec file).
    pub operation: Option<String>,
    pub member: Option<String>,
}

impl SourceText {
    /// Whether the text needs an English entry (it has a CJK character).
    pub fn needs_translation(&self) -> bool {
        has_cjk(&self.text)
    }
}

/// Whether `text` holds a CJK ideograph or CJK punctuation.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    })
}

/// First 8 hex digits of the SHA-256 of the UTF-8 text (`printf %s "$text" | sha256sum | cut -c1-8`).
pub fn source_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Every prose text of `spec`, in file order, each with its key. Keys are unique: a value an
/// enumeration lists twice gets `#2` appended.
pub fn texts(spec: &ServiceSpec) -> Vec<SourceText> {
    let mut c = Collector::default();
    c.push("title".into(), Kind::Title, &spec.service.title, None, None);
    for f in &spec.common_parameters {
        c.field(&format!("common.{}", f.name), Kind::Common, f, None);
    }
    for e in &spec.errors {
        let key = format!("error.{}", e.code);
        c.push(key.clone(), Kind::Error, &e.description, None, None);
        if let Some(g) = &e.group {
            c.push(format!("{key}.group"), Kind::ErrorGroup, g, None, None);
        }
    }
    for op in &spec.operations {
        let o = op.name.as_str();
        let at = Some(o);
        c.push(format!("{o}.summary"), Kind::Summary, &op.summary, at, None);
        if let Some(d) = &op.description {
            c.push(format!("{o}.description"), Kind::Description, d, at, None);
        }
        if let Some(g) = &op.group {
            c.push(format!("{o}.group"), Kind::Group, g, at, None);
        }
        if let Some(r) = &op.rate_limit {
            c.push(
                format!("{o}.rate_limit"),
                Kind::RateLimit,
                &r.text,
                at,
                None,
            );
        }
        c.rules(&format!("{o}.one_of"), &op.one_of, at);
        for f in &op.request {
            c.field(&format!("{o}.request.{}", f.name), Kind::Request, f, at);
        }
        for f in &op.response {
            c.field(&format!("{o}.response.{}", f.name), Kind::Response, f, at);
        }
        for s in &op.structs {
            c.struct_def(&format!("{o}.struct.{}", s.name), s, at);
        }
    }
    c.out
}

/// The key of a one-of rule: its alternatives, `IotId|ProductKey+DeviceName`.
pub fn rule_key(rule: &OneOf) -> String {
    let alts: Vec<String> = rule.alternatives.iter().map(|a| a.join("+")).collect();
    alts.join("|")
}

#[derive(Default)]
struct Collector {
    out: Vec<SourceText>,
    seen: HashMap<String, usize>,
}

impl Collector {
    fn push(
        &mut self,
        key: String,
        kind: Kind,
        text: &str,
        operation: Option<&str>,
        member: Option<&str>,
    ) {
        if text.trim().is_empty() {
            return;
        }
        let n = self.seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let key = if *n > 1 { format!("{key}#{n}") } else { key };
        self.out.push(SourceText {
            key,
            kind,
            text: text.to_string(),
            operation: operation.map(str::to_string),
            member: member.map(str::to_string),
        });
    }

    fn field(&mut self, key: &str, kind: Kind, f: &Field, op: Option<&str>) {
        let member = Some(f.name.as_str());
        self.push(key.to_string(), kind, &f.description, op, member);
        self.enum_values(key, &f.enum_values, op, member);
        for (i, note) in f.constraints.notes.iter().enumerate() {
            self.push(
                format!("{key}.note.{}", i + 1),
                Kind::Note,
                note,
                op,
                member,
            );
        }
    }

    fn enum_values(&mut self, key: &str, values: &[EnumValue], op: Option<&str>, m: Option<&str>) {
        for v in values {
            let k = format!("{key}.enum.{}", v.value);
            self.push(k, Kind::Enum, &v.description, op, m);
        }
    }

    fn rules(&mut self, key: &str, rules: &[OneOf], op: Option<&str>) {
        for r in rules {
            let k = format!("{key}.{}", rule_key(r));
            self.push(k, Kind::Rule, &r.text, op, None);
        }
    }

    fn struct_def(&mut self, key: &str, s: &StructDef, op: Option<&str>) {
        let member = Some(s.name.as_str());
        self.push(key.to_string(), Kind::Struct, &s.description, op, member);
        self.rules(&format!("{key}.one_of"), &s.one_of, op);
        for f in &s.fields {
            self.field(&format!("{key}.{}", f.name), Kind::Member, f, op);
        }
    }
}

/// One entry of an i18n file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// [`source_hash`] of the Chinese the English was written from.
    pub hash: String,
    pub en: String,
    /// 1-based line of the entry's key in the file.
    pub line: usize,
}

/// A loaded i18n file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translations {
    pub path: PathBuf,
    /// Entries in file order.
    pub entries: Vec<Entry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDef {
    hash: String,
    en: String,
}

/// The i18n file of a spec file: `api-spec/aliyun-iot.yaml` -> `api-spec/i18n/en/aliyun-iot.yaml`.
pub fn path_for(spec_path: &Path) -> PathBuf {
    let dir = spec_path.parent().unwrap_or(Path::new(""));
    let name = spec_path.file_name().unwrap_or_default();
    dir.join("i18n").join("en").join(name)
}

/// Parses an i18n file. `path` is only used in error messages.
pub fn parse(path: &Path, text: &str) -> Result<Translations, SpecError> {
    let err = |line: usize, key: &str, message: String| SpecError {
        file: path.to_path_buf(),
        line,
        key: key.to_string(),
        message,
    };
    let map: serde_yaml::Mapping = match serde_yaml::from_str::<Option<serde_yaml::Mapping>>(text) {
        Ok(m) => m.unwrap_or_default(),
        Err(e) => {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            return Err(err(line, "", e.to_string()));
        }
    };
    let lines = key_lines(text);
    let mut entries = Vec::with_capacity(map.len());
    for (k, v) in map {
        let Some(key) = k.as_str().map(str::to_string) else {
            return Err(err(0, "", format!("a key is not a string: {k:?}")));
        };
        let line = lines.get(&key).copied().unwrap_or(0);
        let def: EntryDef = serde_yaml::from_value(v)
            .map_err(|e| err(line, &key, format!("expected `hash:` and `en:` ({e})")))?;
        entries.push(Entry {
            key,
            hash: def.hash,
            en: def.en,
            line,
        });
    }
    Ok(Translations {
        path: path.to_path_buf(),
        entries,
    })
}

/// Loads the i18n file next to a spec; `Ok(None)` when there is none.
pub fn load_for(spec_path: &Path) -> Result<Option<Translations>, SpecError> {
    let path = path_for(spec_path);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SpecError {
            file: path,
            line: 0,
            key: String::new(),
            message: format!("cannot read: {e}"),
        }),
    }
}

/// 1-based line of every top-level key (a line at column 0 ending in `:`).
fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '#', '-']) || line.is_empty() {
            continue;
        }
        if let Some(raw) = line.trim_end().strip_suffix(':') {
            if let Ok(key) = serde_yaml::from_str::<String>(raw) {
                out.entry(key).or_insert(i + 1);
            }
        }
    }
    out
}

impl Translations {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Source text -> English, for every entry whose source in `spec` is current.
    pub fn by_source(&self, spec: &ServiceSpec) -> HashMap<String, String> {
        let by_key: HashMap<&str, &Entry> =
            self.entries.iter().map(|e| (e.key.as_str(), e)).collect();
        let mut out = HashMap::new();
        for t in texts(spec) {
            if let Some(e) = by_key.get(t.key.as_str()) {
                if e.hash == source_hash(&t.text) {
                    out.entry(t.text).or_insert_with(|| e.en.clone());
                }
            }
        }
        out
    }
}

/// Every problem of `translations` against `spec`: entries whose key is gone, texts without an
/// entry, stale entries (source hash changed), entries for English texts, empty English, and one
/// source translated two ways (the English is looked up by source text when rendered).
pub fn check(spec: &LoadedSpec, translations: &Translations) -> Vec<SpecError> {
    let mut out = Vec::new();
    let at = |e: &Entry, message: String| SpecError {
        file: translations.path.clone(),
        line: e.line,
        key: e.key.clone(),
        message,
    };
    let texts = texts(&spec.spec);
    let by_key: HashMap<&str, &SourceText> = texts.iter().map(|t| (t.key.as_str(), t)).collect();
    let mut english_of: BTreeMap<&str, &Entry> = BTreeMap::new();
    for e in &translations.entries {
        let Some(t) = by_key.get(e.key.as_str()) else {
            out.push(at(
                e,
                format!("no such text in {} (remove the entry)", spec.path.display()),
            ));
            continue;
        };
        if !t.needs_translation() {
            out.push(at(
                e,
                "the source is English and is its own translation (remove the entry)".into(),
            ));
            continue;
        }
        if e.en.trim().is_empty() {
            out.push(at(e, "empty English".into()));
        }
        let now = source_hash(&t.text);
        if e.hash != now {
            out.push(at(
                e,
                format!(
                    "stale: the source changed since it was translated (hash {} was {}); translate again and set `hash: {now}`. Source now: {}",
                    now, e.hash, t.text
                ),
            ));
            continue;
        }
        match english_of.get(t.text.as_str()) {
            Some(first) if first.en != e.en => out.push(at(
                e,
                format!(
                    "the same source is translated differently at line {} ({}): use one English",
                    first.line, first.key
                ),
            )),
            Some(_) => {}
            None => {
                english_of.insert(&t.text, e);
            }
        }
    }
    let keys: std::collections::HashSet<&str> = translations
        .entries
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    for t in texts.iter().filter(|t| t.needs_translation()) {
        if !keys.contains(t.key.as_str()) {
            out.push(spec.error_at(
                t.operation.as_deref(),
                t.member.as_deref(),
                t.key.clone(),
                format!(
                    "no English in {} (add `{}:` with `hash: {}`)",
                    translations.path.display(),
                    t.key,
                    source_hash(&t.text)
                ),
            ));
        }
    }
    out
}

/// Coverage of one service: per kind, texts needing English, covered (current entry), stale, missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub per_kind: BTreeMap<Kind, KindCoverage>,
    pub stale: Vec<String>,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCoverage {
    /// All texts of the kind.
    pub texts: usize,
    /// Texts in English already (no entry needed).
    pub english: usize,
    /// Chinese texts with a current entry.
    pub translated: usize,
}

/// Coverage of `spec` by `translations` (none: nothing translated).
pub fn coverage(spec: &ServiceSpec, translations: Option<&Translations>) -> Coverage {
    let mut c = Coverage::default();
    for t in texts(spec) {
        let k = c.per_kind.entry(t.kind).or_default();
        k.texts += 1;
        if !t.needs_translation() {
            k.english += 1;
            continue;
        }
        match translations.and_then(|tr| tr.get(&t.key)) {
            Some(e) if e.hash == source_hash(&t.text) => k.translated += 1,
            Some(e) => c
                .stale
                .push(format!("{}:{}: {}", e_path(translations), e.line, t.key)),
            None => c.missing.push(t.key.clone()),
        }
    }
    c
}

fn e_path(t: Option<&Translations>) -> String {
    t.map(|t| t.path.display().to_string()).unwrap_or_default()
}

/// The i18n file text for `entries` (key, hash, English), in the given order.
pub fn render(header: &str, entries: &[(String, String, String)]) -> String {
    let mut map = serde_yaml::Mapping::new();
    for (key, hash, en) in entries {
        let mut e = serde_yaml::Mapping::new();
        e.insert("hash".into(), hash.clone().into());
        e.insert("en".into(), en.clone().into());
        map.insert(key.clone().into(), e.into());
    }
    let body = serde_yaml::to_string(&map).unwrap_or_default();
    format!("{header}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_prefix() {
        assert_eq!(source_hash(""), "e3b0c442");
        assert_eq!(source_hash("abc"), "ba7816bf");
    }

    #[test]
    fn cjk_detection() {
        assert!(has_cjk("设备"));
        assert!(has_cjk("a，b"));
        assert!(!has_cjk("The device name."));
    }

    #[test]
    fn parses_entries_with_lines() {
        let text = "# header\nA.summary:\n  hash: 0123abcd\n  en: One.\n'error.x: y':\n  hash: 89abcdef\n  en: |-\n    Two\n    lines\n";
        let t = parse(Path::new("x.yaml"), text).unwrap();
        assert_eq!(t.entries.len(), 2);
        assert_eq!(
            (t.entries[0].key.as_str(), t.entries[0].line),
            ("A.summary", 2)
        );
        assert_eq!(
            (t.entries[1].key.as_str(), t.entries[1].line),
            ("error.x: y", 5)
        );
        assert_eq!(t.entries[1].en, "Two\nlines");
    }

    #[test]
    fn render_round_trips() {
        let entries = vec![
            (
                "B.request.X".to_string(),
                "00000000".to_string(),
                "a: b\nc".to_string(),
            ),
            (
                "error.a.b".to_string(),
                "11111111".to_string(),
                "'quoted'".to_string(),
            ),
        ];
        let text = render("# h\n", &entries);
        let t = parse(Path::new("x.yaml"), &text).unwrap();
        let back: Vec<(String, String, String)> = t
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.hash.clone(), e.en.clone()))
            .collect();
        assert_eq!(back, entries);
        assert_eq!(
            t.entries[1].line,
            text.lines()
                .position(|l| l.starts_with("error.a.b"))
                .unwrap()
                + 1
        );
    }

    #[test]
    fn rejects_unknown_fields_with_line() {
        let e = parse(
            Path::new("x.yaml"),
            "A.summary:\n  hash: '1'\n  english: x\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("en"), "{e}");
    }
}
