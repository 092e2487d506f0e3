//! `iotcloud sign`: the canonical query, string-to-sign and signature of a set of parameters,
//! for finding out why a service answers `SignatureDoesNotMatch`.

use clap::{Arg, ArgAction, ArgMatches, Command};
use iotcloud_runtime::signer;

use crate::exit::Failure;

const DEFAULT_SECRET_ENV: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";

/// The `sign` subcommand.
pub fn command() -> Command {
    Command::new("sign")
        .about("Print the canonical query, string-to-sign and signature of an Alibaba Cloud RPC request")
        .long_about(
            "Print the canonical query, string-to-sign and signature of an Alibaba Cloud RPC request \
             (signature version 1.0, HMAC-SHA1), computed by the same signer the SDK uses.\n\n\
             Give every parameter the request carries, common ones included (AccessKeyId, Action, \
             Timestamp, SignatureNonce, ...), as KEY=VALUE with raw (not percent-encoded) values, \
             and/or paste a request URL or query string with --query. A Signature parameter is \
             left out of the canonical query and compared with the computed one. The AccessKeySecret is read from the environment, never from the command line.\n\n\
             Example (the worked example of section 2.5 of the IoT Platform cloud development guide):\n  \
             ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret iotcloud sign --method GET \\\n    \
             AccessKeyId=testid Action=Pub Format=XML MessageContent=aGVsbG93b3JsZA= ...",
        )
        .arg(
            Arg::new("method")
                .long("method")
                .value_name("METHOD")
                .default_value("POST")
                .help("HTTP method; part of the string-to-sign (the SDK sends POST)"),
        )
        .arg(
            Arg::new("secret-env")
                .long("secret-env")
                .value_name("VAR")
                .default_value(DEFAULT_SECRET_ENV)
                .help("Environment variable holding the AccessKeySecret"),
        )
        .arg(
            Arg::new("query")
                .long("query")
                .value_name("URL|QUERY")
                .action(ArgAction::Append)
                .help("A request URL or percent-encoded query string whose parameters are added"),
        )
        .arg(
            Arg::new("params")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("A request parameter with its raw value"),
        )
}

/// Runs `sign`.
pub fn run(m: &ArgMatches) -> Result<(), Failure> {
    let method = m
        .get_one::<String>("method")
        .map_or("POST", String::as_str)
        .to_ascii_uppercase();
    let var = m
        .get_one::<String>("secret-env")
        .map_or(DEFAULT_SECRET_ENV, String::as_str);
    let mut params: Vec<(String, String)> = Vec::new();
    for q in m.get_many::<String>("query").into_iter().flatten() {
        params.extend(parse_query(q)?);
    }
    for kv in m.get_many::<String>("params").into_iter().flatten() {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| Failure::Usage(format!("expected KEY=VALUE, got {kv:?}")))?;
        params.push((k.to_string(), v.to_string()));
    }
    if params.is_empty() {
        return Err(Failure::Usage(
            "give the request's parameters as KEY=VALUE or --query".into(),
        ));
    }
    let secret = std::env::var(var)
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Failure::Transport(format!(
                "no AccessKeySecret: environment variable {var} is not set"
            ))
        })?;
    let signed = signer::sign(&method, &params, &secret);
    println!("canonical query: {}", signed.canonical_query);
    println!("string to sign:  {}", signed.string_to_sign);
    println!("signature:       {}", signed.signature);
    println!(
        "url-encoded:     Signature={}",
        signer::percent_encode(&signed.signature)
    );
    // A pasted request that carries its Signature: say whether it is the one computed here.
    for (_, given) in params.iter().filter(|(k, _)| k == "Signature") {
        let verdict = if *given == signed.signature {
            "matches"
        } else {
            "DOES NOT MATCH"
        };
        println!("given signature: {given} ({verdict})");
    }
    Ok(())
}

/// Parameters of a URL (`https://host/?a=b&c=d`) or bare query string, percent-decoded.
fn parse_query(text: &str) -> Result<Vec<(String, String)>, Failure> {
    let query = match text.split_once('?') {
        Some((_, q)) => q,
        None => text,
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|e| Failure::Usage(format!("--query: {s:?} is not UTF-8 after decoding: {e}")))
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}
