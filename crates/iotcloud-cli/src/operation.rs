//! One subcommand per operation, built at run time from the SDK's `OperationMeta` (which
//! carries the spec's help facts), and the conversion of its flags into the JSON request
//! `dispatch` takes.

use std::io::Read as _;

use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase as _;
use serde_json::{Map, Value};

use iotcloud_runtime::meta::PageStyle;

use crate::catalog::{English, Lang, Location, OperationMeta, ParamMeta};
use crate::exit::{self, Failure};
use crate::types::{self, Ty};

/// Flags every operation subcommand has besides its parameters.
const INPUT_JSON: &str = "input-json";
/// Names taken by global flags; a parameter with one of them gets a `-param` suffix.
pub const RESERVED: &[&str] = &[
    "help",
    "lang",
    INPUT_JSON,
    "region",
    "endpoint",
    "profile",
    "access-key-id",
    "output",
    "dry-run",
    "all-pages",
    "oc-app-id",
    "oc-ca-file",
    "oc-client-cert",
    "oc-client-key",
];

/// The subcommand name of an operation: `QueryDevice` -> `query-device`.
pub fn command_name(op: &OperationMeta) -> String {
    op.name.to_kebab_case()
}

/// The flag of a parameter: the kebab-case of its Rust name (`product_key` -> `product-key`).
pub fn flag_name(p: &ParamMeta) -> String {
    let rust = p.rust.trim_start_matches("r#").trim_end_matches('_');
    let flag = rust.to_kebab_case();
    if RESERVED.contains(&flag.as_str()) {
        format!("{flag}-param")
    } else {
        flag
    }
}

/// The clap id of a parameter's flag, apart from the global flags' ids.
fn arg_id(p: &ParamMeta) -> String {
    format!("param:{}", p.wire)
}

/// The texts of the help in one language: the metadata's original or its English.
#[derive(Clone, Copy)]
struct Texts {
    english: &'static English,
    lang: Lang,
}

impl Texts {
    fn get(self, original: &'static str) -> &'static str {
        self.english.text(original, self.lang)
    }
}

/// The clap command of one operation, its help in `lang`.
pub fn command(op: &'static OperationMeta, english: &'static English, lang: Lang) -> Command {
    let t = Texts { english, lang };
    let summary = if op.summary.is_empty() {
        op.name
    } else {
        t.get(op.summary)
    };
    let mut cmd = Command::new(command_name(op))
        .about(summary)
        .long_about(long_about(op, t))
        .after_long_help(exit::HELP)
        .arg(
            Arg::new(INPUT_JSON)
                .long(INPUT_JSON)
                .value_name("FILE|-")
                .help("Read the whole request from a JSON object keyed by wire names (`-` reads stdin); flags override its members"),
        );
    for p in op.params {
        cmd = cmd.arg(param_arg(p, t));
    }
    cmd
}

fn long_about(op: &OperationMeta, t: Texts) -> String {
    let mut text = String::from(t.get(op.summary));
    if !op.description.is_empty() {
        text.push_str("\n\n");
        text.push_str(t.get(op.description).trim());
    }
    for rule in op.rules {
        text.push_str("\n\nRule: ");
        text.push_str(&rule_with_flags(op, t.get(rule)));
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let service = op.service;
    text.push_str(&format!(
        "Wire: {} {} `{}` ({} {}, {})",
        op.method, op.path, op.name, service.product, service.api_version, service.name
    ));
    if let Some(limit) = op.rate_limit_per_second {
        text.push_str(&format!("\nRate limit: {limit} requests per second"));
    }
    if let Some(p) = op.pagination {
        let how = match p.style {
            PageStyle::PageNumber => format!("by {} and {}", p.request_page, p.request_size),
            PageStyle::TimeCursor => format!("by a time cursor in {}", p.request_page),
        };
        text.push_str(&format!(
            "\nPaginated {how}: --all-pages prints the items of every page"
        ));
        if let Some(max) = p.max_size {
            text.push_str(&format!(
                " ({} defaults to the documented maximum, {max})",
                p.request_size
            ));
        }
    }
    text
}

/// A rule of the metadata with its wire names turned into flags:
/// `exactly one of: --iot-id | --product-key with --device-name (sentence)`. Only the part
/// before the document's sentence names parameters; the sentence is kept verbatim.
fn rule_with_flags(op: &OperationMeta, rule: &str) -> String {
    let (head, sentence) = match rule.find(" (") {
        Some(i) => rule.split_at(i),
        None => (rule, ""),
    };
    let head: Vec<String> = head
        .split(' ')
        .map(|word| match op.param(word) {
            Some(p) => format!("--{}", flag_name(p)),
            None => word.to_string(),
        })
        .collect();
    format!("{}{sentence}", head.join(" "))
}

fn param_arg(p: &'static ParamMeta, t: Texts) -> Arg {
    let ty = Ty::parse(p.ty);
    let description = t.get(p.description);
    let short = first_sentence(description);
    let mut long = String::new();
    long.push_str(description.trim());
    let location = match p.location {
        Location::Query => "query",
        Location::Body => "body",
        Location::Path => "path",
        Location::Header => "header",
    };
    long.push_str(&format!(
        "\n[{}{}, {} parameter `{}`{}]",
        if p.required { "required, " } else { "" },
        p.ty,
        location,
        p.wire,
        if p.sensitive { ", secret" } else { "" }
    ));
    for c in p.constraints {
        long.push_str(&format!("\nConstraint: {}", t.get(c)));
    }
    if let Some(def) = p.default {
        long.push_str(&format!("\nDefault: {def}"));
    }
    if p.json {
        long.push_str("\nThe value is a JSON document.");
    }
    if !p.enum_values.is_empty() {
        long.push_str("\nValues:");
        for v in p.enum_values {
            long.push_str(&format!("\n  {}: {}", v.value, t.get(v.meaning)));
        }
    }
    if !p.members.is_empty() {
        long.push_str("\nMembers (write KEY=VALUE for the first two in order, Member=value,... or a JSON object):");
        for m in p.members {
            long.push_str(&format!(
                "\n  {} ({}{}): {}",
                m.wire,
                m.ty,
                if m.required { ", required" } else { "" },
                t.get(m.description)
            ));
        }
    }
    if let Some(ex) = p.example {
        long.push_str(&format!("\nExample: {ex}"));
    }
    if matches!(ty, Ty::List(_)) {
        long.push_str("\nRepeat the flag for each element.");
    }
    let mut arg = Arg::new(arg_id(p))
        .long(flag_name(p))
        .value_name(ty.value_name())
        .help(if p.required {
            format!("{short} [required]")
        } else {
            short
        })
        .long_help(long);
    arg = match ty {
        Ty::List(_) => arg.action(ArgAction::Append),
        Ty::Boolean => arg
            .action(ArgAction::Set)
            .num_args(0..=1)
            .default_missing_value("true"),
        _ => arg.action(ArgAction::Set),
    };
    arg
}

fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '\n') || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    text[..end].trim_end_matches('\n').to_string()
}

/// The JSON request of an operation: `--input-json` first, then every given flag, keyed by wire names.
/// A required parameter given neither way is a usage error.
pub fn request(op: &'static OperationMeta, m: &ArgMatches) -> Result<Value, Failure> {
    let mut obj = match m.get_one::<String>(INPUT_JSON) {
        Some(src) => read_input_json(src)?,
        None => Map::new(),
    };
    for p in op.params {
        let Some(mut values) = m.get_many::<String>(&arg_id(p)) else {
            continue;
        };
        let ty = Ty::parse(p.ty);
        let convert = |v: &String| {
            types::convert(&ty, v, p.members)
                .map_err(|e| Failure::Usage(format!("--{} ({}): {e}", flag_name(p), p.wire)))
        };
        let value = match ty {
            Ty::List(_) => {
                let mut items = Vec::new();
                for v in values {
                    match convert(v)? {
                        // A JSON array given once stands for the whole list.
                        Value::Array(a) => items.extend(a),
                        other => items.push(other),
                    }
                }
                Value::Array(items)
            }
            _ => match values.next_back() {
                Some(v) => convert(v)?,
                None => continue,
            },
        };
        obj.insert(p.wire.to_string(), value);
    }
    let missing: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && !obj.contains_key(p.wire))
        .map(|p| format!("--{} ({})", flag_name(p), p.wire))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::Usage(format!(
            "{} needs {}",
            command_name(op),
            missing.join(", ")
        )));
    }
    Ok(Value::Object(obj))
}

fn read_input_json(src: &str) -> Result<Map<String, Value>, Failure> {
    let text = if src == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::Usage(format!("--input-json -: cannot read stdin: {e}")))?;
        s
    } else {
        std::fs::read_to_string(src)
            .map_err(|e| Failure::Usage(format!("--input-json {src}: {e}")))?
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::Usage(format!(
            "--input-json {src}: expected a JSON object keyed by wire names"
        ))),
        Err(e) => Err(Failure::Usage(format!("--input-json {src}: {e}"))),
    }
}
