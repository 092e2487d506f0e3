//! Global flags (region, endpoint, profile, credentials, OceanConnect application) and the
//! runtime configuration they make. Credentials not given on the command line come from the
//! runtime's chain: environment, `~/.aliyun/config.json`, `~/.alibabacloud/credentials.ini`, ECS RAM role.

use std::ffi::OsString;

use clap::{Arg, ArgAction, ArgMatches};
use iotcloud_runtime::credentials::{DefaultChain, Env};
use iotcloud_runtime::meta::Lang;
use iotcloud_runtime::{Config, Credentials, OceanConnectConfig, SignatureVersion};

use crate::catalog::ServiceParamMeta;
use crate::exit::Failure;

/// The clap id prefix of service-parameter flags; the wire name follows.
const SERVICE_PARAMETER: &str = "service-parameter:";

/// The global flags, valid before or after the subcommand.
pub fn args() -> Vec<Arg> {
    let global = |a: Arg| {
        a.global(true)
            .hide_env_values(true)
            .help_heading("Global options")
    };
    vec![
        global(
            Arg::new("region")
                .long("region")
                .value_name("REGION")
                .env("ALIBABA_CLOUD_REGION_ID")
                .help("Region, e.g. cn-shanghai (sent as RegionId; picks the endpoint)"),
        ),
        global(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .env("IOTCLOUD_ENDPOINT")
                .help("Endpoint override, scheme included (e.g. http://127.0.0.1:8080 for the emulator)"),
        ),
        global(
            Arg::new("profile")
                .long("profile")
                .value_name("NAME")
                .help("Credentials profile of ~/.aliyun/config.json or ~/.alibabacloud/credentials.ini (default: ALIBABA_CLOUD_PROFILE, then the file's current one)"),
        ),
        global(
            Arg::new("access-key-id")
                .long("access-key-id")
                .value_name("ID")
                .help("AccessKeyId; its secret is read from ALIBABA_CLOUD_ACCESS_KEY_SECRET (default: the credentials chain)"),
        ),
        global(
            Arg::new("security-token")
                .long("security-token")
                .value_name("TOKEN")
                .requires("access-key-id")
                .help("STS SecurityToken of --access-key-id (temporary credentials)"),
        ),
        global(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .action(ArgAction::Count)
                .help("Log to stderr: -v info and where credentials came from, -vv debug, -vvv trace (RUST_LOG, e.g. iotcloud_runtime=debug, wins); secrets stay redacted"),
        ),
        global(
            Arg::new("oc-app-id")
                .long("oc-app-id")
                .value_name("APP_ID")
                .env("OCEANCONNECT_APP_ID")
                .help("OceanConnect application id; its secret is read from OCEANCONNECT_SECRET"),
        ),
        global(
            Arg::new("oc-base-url")
                .long("oc-base-url")
                .value_name("URL")
                .env("OCEANCONNECT_BASE_URL")
                .help("OceanConnect base URL, e.g. https://server:8743 (default: --endpoint)"),
        ),
        global(
            Arg::new("oc-ca-file")
                .long("oc-ca-file")
                .value_name("PEM")
                .help("Extra root CA (PEM file) to trust for OceanConnect"),
        ),
        global(
            Arg::new("oc-client-cert")
                .long("oc-client-cert")
                .value_name("PEM")
                .requires("oc-client-key")
                .help("Client certificate chain (PEM file) for mutual TLS"),
        ),
        global(
            Arg::new("oc-client-key")
                .long("oc-client-key")
                .value_name("PEM")
                .requires("oc-client-cert")
                .help("Client private key (PEM file) for mutual TLS"),
        ),
        global(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FORMAT")
                .value_parser(crate::output::FORMATS.iter().map(|(name, _)| *name).collect::<Vec<_>>())
                .help("json, pretty, jsonl or wire (default: pretty on a terminal, else json)")
                .long_help(crate::output::help()),
        ),
        global(
            Arg::new("signature-version")
                .long("signature-version")
                .value_name("VERSION")
                .value_parser(["v1", "v3"])
                .help("Alibaba signature: v1 (HMAC-SHA1, the documented one; default) or v3 (ACS3-HMAC-SHA256)"),
        ),
        global(
            Arg::new("dry-run")
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help("Print the signed request that would be sent (secrets redacted) and exit"),
        ),
        global(
            Arg::new("lang")
                .long("lang")
                .value_name("LANG")
                .value_parser(["en", "zh"])
                .help("Language of the operations' help: en (default) or zh, the documents' own text (default zh when LANG starts with zh)"),
        ),
        global(
            Arg::new("all-pages")
                .long("all-pages")
                .action(ArgAction::SetTrue)
                .help("Call a paginated operation page after page and print all their items as one JSON array (one per line with --output jsonl)"),
        ),
    ]
}

/// One global flag per service-level parameter (`--iot-instance-id`, also read from its
/// variable), from the SDK's metadata; a name several services share is one flag.
pub fn service_parameter_args<'a>(
    params: impl IntoIterator<Item = &'a ServiceParamMeta>,
) -> Vec<Arg> {
    let mut seen = std::collections::BTreeSet::new();
    params
        .into_iter()
        .filter(|p| seen.insert(p.wire))
        .map(|p| {
            let mut help = p.description.trim().to_string();
            help.push_str(&format!(
                " Sent as {} on every operation of the services that have it; a request's own value (--input-json) wins.",
                p.wire
            ));
            Arg::new(format!("{SERVICE_PARAMETER}{}", p.wire))
                .long(heck::ToKebabCase::to_kebab_case(p.rust))
                .value_name("ID")
                .env(p.env)
                .global(true)
                .help_heading("Global options")
                .help(help)
        })
        .collect()
}

/// What the global flags say.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    region: Option<String>,
    endpoint: Option<String>,
    profile: Option<String>,
    access_key_id: Option<String>,
    security_token: Option<String>,
    oc_app_id: Option<String>,
    oc_base_url: Option<String>,
    oc_ca_file: Option<String>,
    oc_client: Option<(String, String)>,
    /// Service-level parameters by wire name (`--iot-instance-id`).
    service_parameters: Vec<(String, String)>,
    signature_version: Option<String>,
    /// `--output`.
    pub output: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--all-pages`.
    pub all_pages: bool,
}

impl Settings {
    /// Reads the global flags from the matches of any subcommand level.
    pub fn from_matches(m: &ArgMatches) -> Settings {
        let s = |id: &str| m.try_get_one::<String>(id).ok().flatten().cloned();
        Settings {
            region: s("region"),
            endpoint: s("endpoint"),
            profile: s("profile"),
            access_key_id: s("access-key-id"),
            security_token: s("security-token"),
            oc_app_id: s("oc-app-id"),
            oc_base_url: s("oc-base-url"),
            oc_ca_file: s("oc-ca-file"),
            oc_client: s("oc-client-cert").zip(s("oc-client-key")),
            service_parameters: m
                .ids()
                .filter_map(|id| {
                    let wire = id.as_str().strip_prefix(SERVICE_PARAMETER)?;
                    Some((wire.to_string(), s(id.as_str())?))
                })
                .collect(),
            signature_version: s("signature-version"),
            output: s("output"),
            dry_run: m
                .try_get_one::<bool>("dry-run")
                .ok()
                .flatten()
                .copied()
                .unwrap_or(false),
            all_pages: m
                .try_get_one::<bool>("all-pages")
                .ok()
                .flatten()
                .copied()
                .unwrap_or(false),
        }
    }

    /// Whether an OceanConnect application was named (`--oc-app-id` or `OCEANCONNECT_APP_ID`).
    pub fn has_oceanconnect_app(&self) -> bool {
        self.oc_app_id.is_some()
    }

    /// The runtime configuration these settings describe.
    pub fn config(&self) -> Result<Config, Failure> {
        let mut b = Config::builder()
            .user_agent_suffix(format!("iotcloud-cli/{}", env!("CARGO_PKG_VERSION")));
        if let Some(r) = self.region.clone().or_else(|| self.profile_region()) {
            b = b.region(r);
        }
        if let Some(e) = &self.endpoint {
            b = b.endpoint(e);
        }
        for (wire, value) in &self.service_parameters {
            b = b.service_parameter(wire, value);
        }
        if self.signature_version.as_deref() == Some("v3") {
            b = b.signature_version(SignatureVersion::V3);
        }
        if let Some(id) = &self.access_key_id {
            let secret = env_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET").ok_or_else(|| {
                Failure::Transport(
                    "--access-key-id needs its secret in ALIBABA_CLOUD_ACCESS_KEY_SECRET".into(),
                )
            })?;
            let token = self.security_token.clone();
            if token.is_none() && env_var("ALIBABA_CLOUD_SECURITY_TOKEN").is_some() {
                // Explicit credentials never pick up part of the environment's.
                eprintln!("warning: ALIBABA_CLOUD_SECURITY_TOKEN is ignored with --access-key-id; pass --security-token to use it");
            }
            tracing::info!(
                target: "iotcloud_cli",
                "credentials: --access-key-id {id}, its secret from ALIBABA_CLOUD_ACCESS_KEY_SECRET{}",
                if token.is_some() { ", SecurityToken from --security-token" } else { ", no SecurityToken" }
            );
            b = b.credentials(Credentials::new(id, secret, token));
        } else if let Some(profile) = &self.profile {
            tracing::info!(target: "iotcloud_cli", "credentials: profile {profile} (the provider that answered follows)");
            let mut vars: Vec<(String, String)> = std::env::vars().collect();
            vars.push(("ALIBABA_CLOUD_PROFILE".into(), profile.clone()));
            b = b.credentials_provider(DefaultChain::builder().env(Env::from_vars(vars)).build());
        } else {
            tracing::info!(target: "iotcloud_cli", "credentials: the default chain (the provider that answered follows)");
        }
        if let Some(app_id) = &self.oc_app_id {
            let base = self
                .oc_base_url
                .as_ref()
                .or(self.endpoint.as_ref())
                .ok_or_else(|| {
                    Failure::Usage("--oc-app-id needs --oc-base-url (or --endpoint)".into())
                })?;
            let secret = env_var("OCEANCONNECT_SECRET").ok_or_else(|| {
                Failure::Transport("--oc-app-id needs its secret in OCEANCONNECT_SECRET".into())
            })?;
            b = b.oceanconnect(OceanConnectConfig::new(base, app_id, secret));
        }
        if let Some(ca) = &self.oc_ca_file {
            b = b.add_root_ca_pem(read(ca, "--oc-ca-file")?);
        }
        if let Some((cert, key)) = &self.oc_client {
            let key = String::from_utf8(read(key, "--oc-client-key")?).map_err(|_| {
                Failure::Usage(format!("--oc-client-key {key}: not a PEM text file"))
            })?;
            b = b.client_identity_pem(read(cert, "--oc-client-cert")?, key);
        }
        Ok(b.build())
    }
}

impl Settings {
    /// Whether a region or an endpoint is known, so an Alibaba Cloud request has somewhere to go.
    pub fn has_destination(&self) -> bool {
        self.region.is_some() || self.endpoint.is_some() || self.profile_region().is_some()
    }

    /// The `region_id` of the selected profile of `~/.aliyun/config.json`, as the aliyun CLI uses it.
    fn profile_region(&self) -> Option<String> {
        let home = env_var("HOME").or_else(|| env_var("USERPROFILE"))?;
        let text = std::fs::read_to_string(std::path::Path::new(&home).join(".aliyun/config.json"))
            .ok()?;
        let config: serde_json::Value = serde_json::from_str(&text).ok()?;
        let name = self
            .profile
            .clone()
            .or_else(|| env_var("ALIBABA_CLOUD_PROFILE"))
            .or_else(|| {
                config
                    .get("current")
                    .and_then(|c| c.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "default".to_string());
        config
            .get("profiles")?
            .as_array()?
            .iter()
            .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name.as_str()))?
            .get("region_id")?
            .as_str()
            .filter(|r| !r.is_empty())
            .map(str::to_string)
    }
}

/// The `-v` count of the deepest subcommand (global flags can be given at any level).
pub fn verbosity(m: &ArgMatches) -> u8 {
    let here = m
        .try_get_one::<u8>("verbose")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(0);
    let below = m.subcommand().map(|(_, sub)| verbosity(sub)).unwrap_or(0);
    here.max(below)
}

/// Logs to stderr when `RUST_LOG` is set (its `target=level` list) or `-v` is given: `-v` the
/// CLI's steps and the credentials provider that answered, `-vv` debug, `-vvv` trace.
pub fn install_logging(verbose: u8) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let from_env = env_var("RUST_LOG").and_then(|spec| match spec.parse::<Targets>() {
        Ok(targets) => Some(targets),
        Err(e) => {
            eprintln!("warning: RUST_LOG={spec} not understood ({e}); it is ignored");
            None
        }
    });
    let targets = match (from_env, verbose) {
        (Some(targets), _) => targets,
        (None, 0) => return,
        (None, 1) => Targets::new()
            .with_default(LevelFilter::INFO)
            .with_target("iotcloud_runtime::credentials", LevelFilter::DEBUG),
        (None, 2) => Targets::new().with_default(LevelFilter::DEBUG),
        (None, _) => Targets::new().with_default(LevelFilter::TRACE),
    };
    let stderr_is_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(stderr_is_terminal);
    // A second install (never in practice) keeps the first.
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(targets))
        .try_init();
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn read(path: &str, flag: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::Usage(format!("{flag} {path}: {e}")))
}

/// The help language, needed before the command tree is built (help text is part of it):
/// `--lang en|zh` on the command line, else Chinese when `LANG` starts with `zh`, else English.
/// A `--lang` after `--` is an operand, not the flag.
pub fn help_lang(args: &[OsString], env_lang: Option<&str>) -> Lang {
    let mut chosen = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        let value = match arg.as_ref() {
            "--" => break,
            "--lang" => iter.next().map(|v| v.into_owned()),
            a => a.strip_prefix("--lang=").map(str::to_string),
        };
        if let Some(v) = value {
            chosen = Some(v);
        }
    }
    match chosen.as_deref() {
        Some("zh") => Lang::Original,
        Some(_) => Lang::English,
        None if env_lang.is_some_and(|l| l.starts_with("zh")) => Lang::Original,
        None => Lang::English,
    }
}

#[cfg(test)]
mod lang_tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn flag_then_environment_then_english() {
        let q = ["iotcloud", "aliyun-iot", "query-device", "--help"];
        assert_eq!(help_lang(&args(&q), None), Lang::English);
        assert_eq!(help_lang(&args(&q), Some("C.UTF-8")), Lang::English);
        assert_eq!(help_lang(&args(&q), Some("zh_CN.UTF-8")), Lang::Original);
        let zh = ["iotcloud", "--lang", "zh", "aliyun-iot", "--help"];
        assert_eq!(help_lang(&args(&zh), None), Lang::Original);
        assert_eq!(
            help_lang(&args(&["iotcloud", "--lang=zh"]), None),
            Lang::Original
        );
        let en = ["iotcloud", "--lang", "en", "--help"];
        assert_eq!(help_lang(&args(&en), Some("zh_CN.UTF-8")), Lang::English);
        let operand = ["iotcloud", "x", "--", "--lang", "zh"];
        assert_eq!(help_lang(&args(&operand), None), Lang::English);
    }
}
