//! A mutation fuzzer for every response decoder of every operation, on stable Rust.
//!
//! Seeds are the documented response examples (`api-spec/*.yaml`); each case applies one to
//! three mutations (truncation, type swap, deep nesting, huge and negative numbers, invalid
//! UTF-8 as far as a `&str` decoder can receive it, duplicate keys, 10 MB strings, byte
//! noise) and feeds the body to the generated `decode_output`, which decodes exactly as a
//! call does and then serialises and `Debug`-formats the typed value. Every case runs under
//! `catch_unwind`; a decode error is a pass, a panic is a failure.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde_json::{Map, Value};

/// One operation's decoder and its documented example.
pub struct Seed {
    pub service: &'static str,
    pub operation: String,
    pub example: Value,
}

/// The documented response example of every operation of the three services.
pub fn seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    for service in ["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../api-spec")
            .join(format!("{service}.yaml"));
        let loaded = iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
        for op in &loaded.spec.operations {
            // The two token operations have no JSON example: they start from `{}`.
            let example = match &op.examples.response {
                Some(ex) => serde_json::from_str(&ex.json)
                    .unwrap_or_else(|e| panic!("{service} {}: example is not JSON: {e}", op.name)),
                None => Value::Object(Map::new()),
            };
            out.push(Seed {
                service,
                operation: op.name.clone(),
                example,
            });
        }
    }
    out
}

/// Decodes `body` as `operation`'s response through the generated entry point; `true` when
/// it decoded (an error is an ordinary outcome, not a failure).
pub fn decode(service: &str, operation: &str, body: &str) -> bool {
    use iotcloud::{aliyun, huawei};
    match service {
        "aliyun-iot" => aliyun::iot::decode_output(operation, body).is_ok(),
        "aliyun-mqtt" => aliyun::mqtt::decode_output(operation, body).is_ok(),
        _ => huawei::oceanconnect::decode_output(operation, body).is_ok(),
    }
}

/// SplitMix64: deterministic, seedable, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The mutation families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    Truncate,
    TypeSwap,
    DeepNesting,
    ExtremeNumber,
    InvalidUtf8,
    DuplicateKeys,
    HugeString,
    ByteNoise,
}

pub const MUTATIONS: [Mutation; 8] = [
    Mutation::Truncate,
    Mutation::TypeSwap,
    Mutation::DeepNesting,
    Mutation::ExtremeNumber,
    Mutation::InvalidUtf8,
    Mutation::DuplicateKeys,
    Mutation::HugeString,
    Mutation::ByteNoise,
];

/// 10 MB, the size the issue asks for.
const HUGE: usize = 10 * 1024 * 1024;

/// Number of nodes in a tree (for picking one at random).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// The `n`-th node in pre-order.
fn nth<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().find_map(|c| nth(c, n)),
        Value::Object(m) => m.values_mut().find_map(|c| nth(c, n)),
        _ => None,
    }
}

/// A node chosen uniformly from the whole tree (the root included).
fn pick<'a>(v: &'a mut Value, rng: &mut Rng) -> &'a mut Value {
    let mut n = rng.below(count(v));
    nth(v, &mut n).expect("a pre-order index below the node count names a node")
}

/// A value of a random other JSON type, including the lenient forms the decoders accept.
fn swapped(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64),
        3 => Value::String("not a number".into()),
        4 => Value::String("123".into()),
        5 => Value::String("true".into()),
        6 => Value::Array(vec![Value::Null, Value::from(1)]),
        7 => Value::Object(Map::new()),
        8 => serde_json::json!({"List": {"Item": [1, "x", null]}}),
        _ => Value::String(String::new()),
    }
}

/// Numbers at and past every integer type's edge, as JSON text (some are not representable
/// in a `Value`, so they are spliced into the text).
const EXTREME_NUMBERS: &[&str] = &[
    "-1",
    "-0",
    "0",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "1e308",
    "-1e308",
    "1e999",
    "-1e999",
    "4.9e-324",
    "1.5",
    "-1.5e10",
    "\"-9223372036854775809\"",
    "\"1e999\"",
    "\"NaN\"",
    "\"-Infinity\"",
];

/// Strings a `&str` decoder can receive from bytes that were not UTF-8: JSON escapes of lone
/// surrogates (what a UTF-16 producer emits for broken text), replacement characters,
/// control characters and overlong-looking escapes.
const BROKEN_TEXT: &[&str] = &[
    "\"\\ud800\"",
    "\"\\udc80abc\"",
    "\"abc\\ud83d\"",
    "\"\\ud83d\\u0041\"",
    "\"\u{FFFD}\u{FFFD}\"",
    "\"\\u0000\\u001f\"",
    "\"\\uZZZZ\"",
    "\"\\\"",
    "\"\u{10FFFF}\u{0}\"",
];

/// A marker no example contains, replaced by raw text after serialisation.
const MARK: &str = "\u{1}fuzz-splice\u{1}";

fn splice(v: &mut Value, rng: &mut Rng, raw: &str) -> String {
    *pick(v, rng) = Value::String(MARK.into());
    let text = v.to_string();
    text.replacen(&Value::String(MARK.into()).to_string(), raw, 1)
}

/// Applies one mutation; structural ones change `v`, textual ones return the new text.
fn mutate(v: &mut Value, text: Option<String>, m: Mutation, rng: &mut Rng) -> String {
    match m {
        Mutation::TypeSwap => {
            *pick(v, rng) = swapped(rng);
            v.to_string()
        }
        Mutation::DeepNesting => {
            let depth = [2, 64, 127, 128, 129, 1_000, 100_000][rng.below(7)];
            if rng.below(2) == 0 {
                let (open, close) = if rng.below(2) == 0 {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                let raw = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                splice(v, rng, &raw)
            } else {
                // Unclosed: the parser must stop at its depth limit or at the end.
                let raw = "[".repeat(depth);
                splice(v, rng, &raw)
            }
        }
        Mutation::ExtremeNumber => {
            let raw = EXTREME_NUMBERS[rng.below(EXTREME_NUMBERS.len())];
            splice(v, rng, raw)
        }
        Mutation::InvalidUtf8 => {
            let raw = BROKEN_TEXT[rng.below(BROKEN_TEXT.len())];
            splice(v, rng, raw)
        }
        Mutation::HugeString => {
            // 10 MB strings are costly: one in 64 has the full size, the others 64 KiB
            // through the same code.
            let size = if rng.below(64) == 0 { HUGE } else { 64 * 1024 };
            let fill = ["x", "9", "\\n", "\u{00e9}"][rng.below(4)];
            let raw = format!("\"{}\"", fill.repeat(size / fill.len()));
            splice(v, rng, &raw)
        }
        Mutation::DuplicateKeys => duplicate_keys(v, rng),
        Mutation::Truncate => {
            let t = text.unwrap_or_else(|| v.to_string());
            let mut at = rng.below(t.len() + 1);
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            t[..at].to_string()
        }
        Mutation::ByteNoise => {
            let mut bytes = text.unwrap_or_else(|| v.to_string()).into_bytes();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                const NOISE: &[u8] = b"{}[]\":,0-e.\\ntfu";
                let noise = NOISE[rng.below(NOISE.len())];
                match rng.below(3) {
                    0 if at < bytes.len() => bytes[at] = noise,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, noise),
                }
            }
            // Noise can split a multi-byte character: such bodies cannot reach a `&str`
            // decoder, so they are repaired the way a lossy reader would.
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// The text of `v` with every key of one object written twice, the second time with a
/// value of another type (serde keeps the last or refuses; either is fine, a panic is not).
fn duplicate_keys(v: &mut Value, rng: &mut Rng) -> String {
    let target = pick(v, rng);
    if let Value::Object(m) = target {
        let mut parts = Vec::new();
        for (k, val) in m.iter() {
            let key = Value::String(k.clone()).to_string();
            parts.push(format!("{key}:{val}"));
            parts.push(format!("{key}:{}", swapped(rng)));
        }
        let raw = format!("{{{}}}", parts.join(","));
        *target = Value::String(MARK.into());
        let text = v.to_string();
        return text.replacen(&Value::String(MARK.into()).to_string(), &raw, 1);
    }
    // Not an object: duplicate a top-level key instead.
    let text = v.to_string();
    match text.strip_prefix('{') {
        Some(rest) if rest != "}" => format!("{{\"RequestId\":1,\"RequestId\":null,{rest}"),
        _ => text,
    }
}

/// One case: the seed's example mutated by `first` and up to two more random mutations.
pub fn case(seed: &Seed, first: Mutation, rng: &mut Rng) -> String {
    let mut v = seed.example.clone();
    let mut text = mutate(&mut v, None, first, rng);
    for _ in 0..rng.below(3) {
        let m = MUTATIONS[rng.below(MUTATIONS.len())];
        // Structural mutations need the tree: re-parse the text when it still is JSON.
        match m {
            Mutation::Truncate | Mutation::ByteNoise => text = mutate(&mut v, Some(text), m, rng),
            _ => match serde_json::from_str::<Value>(&text) {
                Ok(mut parsed) => text = mutate(&mut parsed, None, m, rng),
                Err(_) => text = mutate(&mut v, Some(text), Mutation::ByteNoise, rng),
            },
        }
    }
    text
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub cases: u64,
    pub decoded: u64,
    pub refused: u64,
    pub panics: Vec<String>,
    pub per_mutation: [u64; 8],
    pub largest_body: usize,
    /// Bodies of 10 MB or more.
    pub ten_mb_bodies: u64,
}

/// Runs `cases` cases from `rng_seed`, round-robin over operations and mutation families so
/// that every decoder meets every family.
pub fn run(seeds: &[Seed], cases: u64, rng_seed: u64) -> Report {
    let mut rng = Rng::new(rng_seed);
    let mut report = Report::default();
    for i in 0..cases {
        let seed = &seeds[(i % seeds.len() as u64) as usize];
        let family = ((i / seeds.len() as u64) % MUTATIONS.len() as u64) as usize;
        let first = MUTATIONS[family];
        let body = case(seed, first, &mut rng);
        report.largest_body = report.largest_body.max(body.len());
        report.ten_mb_bodies += u64::from(body.len() >= HUGE);
        report.per_mutation[family] += 1;
        // Quiet while decoding only: a panic is reported below, with the body.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            decode(seed.service, &seed.operation, &body)
        }));
        std::panic::set_hook(previous);
        match outcome {
            Ok(true) => report.decoded += 1,
            Ok(false) => report.refused += 1,
            Err(p) => {
                let what = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let head: String = body.chars().take(300).collect();
                report.panics.push(format!(
                    "{} {} ({first:?}): {what}\n  body: {head}",
                    seed.service, seed.operation
                ));
            }
        }
        report.cases += 1;
    }
    report
}

/// Peak resident memory of this process in KiB (Linux), for the "bounded memory" figure.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
