//! `iotcloud sign`: the canonical query, string-to-sign and signature of a set of parameters,
//! for finding out why a service answers `SignatureDoesNotMatch`; with `--v3`, the canonical
//! request, string-to-sign and `Authorization` header of signature V3.

use clap::{Arg, ArgAction, ArgMatches, Command};
use iotcloud_runtime::{signer, signer_v3};

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
             AccessKeyId=testid Action=Pub Format=XML MessageContent=aGVsbG93b3JsZA= ...\n\n\
             With --v3 (ACS3-HMAC-SHA256), KEY=VALUE and --query give the query parameters only; \
             every --header is signed (give host and the x-acs-* headers), --body is the raw body \
             (x-acs-content-sha256 is added from it unless given), and --access-key-id (or \
             ALIBABA_CLOUD_ACCESS_KEY_ID) names the key in the Authorization header.",
        )
        .arg(
            Arg::new("v3")
                .long("v3")
                .action(ArgAction::SetTrue)
                .help("Signature V3 (ACS3-HMAC-SHA256): print canonical request, string-to-sign and Authorization"),
        )
        .arg(
            Arg::new("header")
                .long("header")
                .value_name("NAME:VALUE")
                .action(ArgAction::Append)
                .requires("v3")
                .help("With --v3: a header to sign, e.g. x-acs-action:Pub"),
        )
        .arg(
            Arg::new("body")
                .long("body")
                .value_name("TEXT")
                .requires("v3")
                .help("With --v3: the raw request body (default: empty)"),
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
    let v3 = m.get_flag("v3");
    if params.is_empty() && !v3 {
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
    if v3 {
        return run_v3(m, &method, &params, &secret);
    }
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

/// `sign --v3`: `params` are the query parameters; the headers and body come from `m`.
fn run_v3(
    m: &ArgMatches,
    method: &str,
    params: &[(String, String)],
    secret: &str,
) -> Result<(), Failure> {
    let key_id = m
        .try_get_one::<String>("access-key-id")
        .ok()
        .flatten()
        .cloned()
        .or_else(|| std::env::var("ALIBABA_CLOUD_ACCESS_KEY_ID").ok())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Failure::Usage(
                "--v3 needs the AccessKeyId: --access-key-id or ALIBABA_CLOUD_ACCESS_KEY_ID".into(),
            )
        })?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for h in m.get_many::<String>("header").into_iter().flatten() {
        let (k, v) = h
            .split_once(':')
            .ok_or_else(|| Failure::Usage(format!("--header: expected NAME:VALUE, got {h:?}")))?;
        if k.trim().is_empty() {
            return Err(Failure::Usage(format!(
                "--header: the header name is empty in {h:?}"
            )));
        }
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    if headers.is_empty() {
        return Err(Failure::Usage(
            "--v3 needs the headers to sign: --header host:... --header x-acs-action:... ..."
                .into(),
        ));
    }
    let body = m.get_one::<String>("body").map_or("", String::as_str);
    let payload_hash = match headers.iter().find(|(k, _)| k == "x-acs-content-sha256") {
        Some((_, given)) => given.clone(),
        None => {
            let hash = signer_v3::hex_sha256(body.as_bytes());
            headers.push(("x-acs-content-sha256".into(), hash.clone()));
            hash
        }
    };
    let signed = signer_v3::sign(method, params, &headers, &payload_hash, &key_id, secret);
    println!("canonical request:\n{}\n", signed.canonical_request);
    println!("string to sign:\n{}\n", signed.string_to_sign);
    println!("Authorization: {}", signed.authorization);
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
