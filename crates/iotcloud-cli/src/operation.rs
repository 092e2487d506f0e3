//! One subcommand per operation, built at run time from the SDK's `OperationMeta` and the
//! spec's help facts, and the conversion of its flags into the JSON request `dispatch` takes.

use std::io::Read as _;

use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase as _;
use serde_json::{Map, Value};

use crate::catalog::{Location, OperationMeta, ParamMeta};
use crate::exit::{self, Failure};
use crate::spec_docs::{self, OpDoc, PageStyle, ParamDoc};
use crate::types::{self, Ty};

/// Flags every operation subcommand has besides its parameters.
const INPUT_JSON: &str = "input-json";
/// Names taken by global flags; a parameter with one of them gets a `-param` suffix.
pub const RESERVED: &[&str] = &[
    "help",
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

/// The clap command of one operation.
pub fn command(service: &str, op: &'static OperationMeta) -> Command {
    let doc = spec_docs::operation(service, op.name);
    let summary = doc
        .map(|d| d.summary)
        .filter(|s| !s.is_empty())
        .unwrap_or(op.name);
    let mut cmd = Command::new(command_name(op))
        .about(summary.to_string())
        .long_about(long_about(op, doc))
        .after_long_help(exit::HELP)
        .arg(
            Arg::new(INPUT_JSON)
                .long(INPUT_JSON)
                .value_name("FILE|-")
                .help("Read the whole request from a JSON object keyed by wire names (`-` reads stdin); flags override its members"),
        );
    for p in op.params {
        cmd = cmd.arg(param_arg(p, doc.and_then(|d| d.param(p.wire))));
    }
    cmd
}

fn long_about(op: &OperationMeta, doc: Option<&OpDoc>) -> String {
    let mut text = String::new();
    if let Some(d) = doc {
        text.push_str(d.summary);
        if !d.description.is_empty() {
            text.push_str("\n\n");
            text.push_str(d.description.trim());
        }
        for rule in d.rules {
            text.push_str("\n\nRule: ");
            text.push_str(rule);
        }
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
    if let Some(p) = doc.and_then(|d| d.paging.as_ref()) {
        let how = match p.style {
            PageStyle::PageNumber => format!("by {} and {}", p.request_page, p.request_size),
            PageStyle::TimeCursor => format!("by a time cursor in {}", p.request_page),
        };
        text.push_str(&format!("\nPaginated {how}: --all-pages prints every page"));
        if let Some(max) = p.max_size {
            text.push_str(&format!(
                " ({} defaults to the documented maximum, {max})",
                p.request_size
            ));
        }
    }
    text
}

fn param_arg(p: &'static ParamMeta, doc: Option<&'static ParamDoc>) -> Arg {
    let ty = Ty::parse(p.ty);
    let short = first_sentence(p.description);
    let mut long = String::new();
    long.push_str(p.description.trim());
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
    if let Some(d) = doc {
        for c in d.constraints {
            long.push_str(&format!("\nConstraint: {c}"));
        }
        if let Some(def) = d.default {
            long.push_str(&format!("\nDefault: {def}"));
        }
        if d.json {
            long.push_str("\nThe value is a JSON document.");
        }
        if !d.enums.is_empty() {
            long.push_str("\nValues:");
            for (value, meaning) in d.enums {
                long.push_str(&format!("\n  {value}: {meaning}"));
            }
        }
        if !d.members.is_empty() {
            long.push_str("\nMembers (write KEY=VALUE for the first two in order, Member=value,... or a JSON object):");
            for m in d.members {
                long.push_str(&format!(
                    "\n  {} ({}{}): {}",
                    m.wire,
                    m.ty,
                    if m.required { ", required" } else { "" },
                    m.description
                ));
            }
        }
        if let Some(ex) = d.example {
            long.push_str(&format!("\nExample: {ex}"));
        }
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
pub fn request(
    service: &str,
    op: &'static OperationMeta,
    m: &ArgMatches,
) -> Result<Value, Failure> {
    let doc = spec_docs::operation(service, op.name);
    let mut obj = match m.get_one::<String>(INPUT_JSON) {
        Some(src) => read_input_json(src)?,
        None => Map::new(),
    };
    for p in op.params {
        let Some(mut values) = m.get_many::<String>(&arg_id(p)) else {
            continue;
        };
        let ty = Ty::parse(p.ty);
        let members = doc
            .and_then(|d| d.param(p.wire))
            .map(|d| d.members)
            .unwrap_or(&[]);
        let convert = |v: &String| {
            types::convert(&ty, v, members)
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
