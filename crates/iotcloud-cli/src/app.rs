//! The command tree and what each branch runs.

use std::ffi::OsString;

use clap::{ArgMatches, Command};
use iotcloud_runtime::wire::DispatchMode;
use serde_json::Value;

use crate::catalog::{self, Lang, OperationMeta, Service, Session};
use crate::exit::{self, Failure};
use crate::output::{self, Format};
use crate::pages::{self, PageSource};
use crate::settings::{self, Settings};
use crate::{demo, emulator, operation, sign};

/// The whole command tree: one subcommand per service with one per operation, plus the tools.
pub fn root(services: &[Service], lang: Lang) -> Command {
    let mut root = Command::new("iotcloud")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call every operation of Alibaba Cloud IoT, Alibaba Cloud MQTT and Huawei OceanConnect from the command line")
        .long_about(
            "Call every operation of Alibaba Cloud IoT, Alibaba Cloud MQTT and Huawei OceanConnect \
             from the command line. Answers are JSON on stdout; errors go to stderr.\n\n\
             Examples:\n  \
             iotcloud aliyun-iot query-device --product-key pk --page-size 50\n  \
             iotcloud aliyun-iot query-device --product-key pk --all-pages\n  \
             iotcloud aliyun-iot query-device --product-key pk --all-pages --output jsonl\n  \
             iotcloud aliyun-iot query-device --product-key pk --output wire | jq '.Data.DeviceInfo[]'\n  \
             iotcloud aliyun-iot query-device --help\n  \
             iotcloud demo",
        )
        .after_long_help(exit::HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(settings::args())
        .args(settings::service_parameter_args(
            services.iter().flat_map(|s| s.parameters),
        ));
    for s in services {
        let mut cmd = Command::new(s.name)
            .about(s.about())
            .subcommand_required(true)
            .arg_required_else_help(true)
            .after_long_help(exit::HELP);
        for op in s.operations {
            cmd = cmd.subcommand(operation::command(op, s.english, lang));
        }
        root = root.subcommand(cmd);
    }
    root.subcommand(sign::command())
        .subcommand(emulator::command())
        .subcommand(demo::command())
}

/// Runs the command line `args` (program name first) and returns the exit code.
pub async fn run(args: Vec<OsString>) -> u8 {
    let services = catalog::services();
    let lang = settings::help_lang(&args, std::env::var("LANG").ok().as_deref());
    let matches = match root(&services, lang).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    settings::install_logging(settings::verbosity(&matches));
    let result = match matches.subcommand() {
        Some(("sign", m)) => sign::run(m),
        Some(("emulator", m)) => emulator::run(m).await,
        Some(("demo", m)) => demo::run(m).await,
        Some((name, m)) => match services.iter().find(|s| s.name == name) {
            Some(service) => run_operation(service, m).await,
            None => Err(Failure::Usage(format!("unknown command {name}"))),
        },
        None => Err(Failure::Usage("a command is required".into())),
    };
    match result {
        Ok(()) => exit::OK,
        Err(f) => {
            eprintln!("{f}");
            f.exit_code()
        }
    }
}

async fn run_operation(service: &Service, m: &ArgMatches) -> Result<(), Failure> {
    let Some((name, m)) = m.subcommand() else {
        return Err(Failure::Usage(format!(
            "{} needs an operation",
            service.name
        )));
    };
    let op: &'static OperationMeta = service
        .operations
        .iter()
        .copied()
        .find(|op| operation::command_name(op) == name)
        .ok_or_else(|| Failure::Usage(format!("unknown operation {name}")))?;
    let settings = Settings::from_matches(m);
    let request = operation::request(op, m)?;
    let format = Format::choose(settings.output.as_deref());
    let session = Session::new(&settings, service.name, op)?;
    if settings.dry_run {
        let prepared = session
            .dispatch(op.name, request, DispatchMode::DryRun)
            .await?;
        return output::print(&prepared, format.style);
    }
    if settings.all_pages {
        let paging = op.pagination.ok_or_else(|| {
            Failure::Usage(format!(
                "{name} is not paginated: --all-pages does not apply"
            ))
        })?;
        let mut request = request;
        // Fewer round trips: the documented largest page unless the user chose a size.
        if let (Some(max), Some(obj)) = (paging.max_size, request.as_object_mut()) {
            obj.entry(paging.request_size).or_insert(Value::from(max));
        }
        let source = Caller {
            session: &session,
            operation: op.name,
            mode: format.answers(),
        };
        pages::run(&source, paging, request, format).await?;
        return Ok(());
    }
    let answer = session.dispatch(op.name, request, format.answers()).await?;
    output::print(&answer, format.style)
}

struct Caller<'a> {
    session: &'a Session,
    operation: &'static str,
    mode: DispatchMode,
}

impl PageSource for Caller<'_> {
    async fn call(&self, request: Value) -> Result<Value, Failure> {
        self.session
            .dispatch(self.operation, request, self.mode)
            .await
    }
}
