//! `iotcloud emulator`: the embedded emulator in the foreground, until Ctrl-C.

use std::path::PathBuf;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use iotcloud_emulator::{Emulator, FaultRule};

use crate::exit::Failure;

/// The `emulator` subcommand.
pub fn command() -> Command {
    Command::new("emulator")
        .about("Run the local emulator of all three services in the foreground (Ctrl-C stops it)")
        .long_about(
            "Run the local emulator of Alibaba Cloud IoT, Alibaba Cloud MQTT and Huawei OceanConnect on \
             127.0.0.1 in the foreground (Ctrl-C stops it). It verifies signatures and tokens like the \
             services do, keeps state for the core flows and answers the documented examples otherwise.\n\n\
             Point the CLI or the SDK at it with --endpoint http://127.0.0.1:PORT and the demo credentials it prints.",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("PORT")
                .value_parser(value_parser!(u16))
                .default_value("8080")
                .help("Port on 127.0.0.1 (0 picks a free one)"),
        )
        .arg(
            Arg::new("data-dir")
                .long("data-dir")
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .help("Keep state in DIR across restarts (memory only without it)"),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_name("N")
                .value_parser(value_parser!(u64))
                .default_value("0")
                .help("Seed of the fault-injection random source"),
        )
        .arg(
            Arg::new("fault")
                .long("fault")
                .value_name("OP:key=value,...")
                .action(ArgAction::Append)
                .help("A fault rule, e.g. QueryProduct:error=0.2,kind=throttling,latency=50 (repeatable)"),
        )
        .arg(
            Arg::new("no-throttling")
                .long("no-throttling")
                .action(ArgAction::SetTrue)
                .help("Do not enforce the documented QPS limits"),
        )
        .arg(
            Arg::new("instance")
                .long("instance")
                .value_name("IOT_INSTANCE_ID")
                .action(ArgAction::Append)
                .help("An enterprise IoT instance, e.g. iot-cn-0pp1n8t4x0e, with its own state (repeatable); calls without --iot-instance-id go to the public instance"),
        )
}

/// Runs the emulator until Ctrl-C.
pub async fn run(m: &ArgMatches) -> Result<(), Failure> {
    let mut builder = Emulator::builder()
        .port(m.get_one::<u16>("port").copied().unwrap_or(8080))
        .seed(m.get_one::<u64>("seed").copied().unwrap_or(0))
        .throttling(!m.get_flag("no-throttling"));
    if let Some(dir) = m.get_one::<PathBuf>("data-dir") {
        builder = builder.data_dir(dir);
    }
    for text in m.get_many::<String>("fault").into_iter().flatten() {
        let rule =
            FaultRule::parse(text).map_err(|e| Failure::Usage(format!("--fault {text}: {e}")))?;
        builder = builder.fault(rule);
    }
    for id in m.get_many::<String>("instance").into_iter().flatten() {
        builder = builder.instance(id);
    }
    let emulator = builder
        .start()
        .await
        .map_err(|e| Failure::Other(format!("the emulator did not start: {e}")))?;
    let url = emulator.base_url().to_string();
    println!("iotcloud emulator listening on {url} (Ctrl-C stops it)");
    let creds = emulator.credentials();
    if let Some(key) = creds.access_key() {
        println!(
            "  Alibaba IoT and MQTT: {url}/  AccessKeyId {}  AccessKeySecret {} (demo values)",
            key.id, key.secret
        );
        println!(
            "  try: ALIBABA_CLOUD_ACCESS_KEY_ID={} ALIBABA_CLOUD_ACCESS_KEY_SECRET={} \\",
            key.id, key.secret
        );
        println!("         iotcloud --endpoint {url} aliyun-iot query-product-list --current-page 1 --page-size 10");
    }
    if let Some(app) = creds.oceanconnect_app() {
        println!(
            "  Huawei OceanConnect: {url}/iocm/...  appId {}  secret {} (demo values)",
            app.app_id, app.secret
        );
        println!("  demo device: {}", iotcloud_emulator::DEMO_OC_DEVICE_ID);
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::Other(format!("cannot wait for Ctrl-C: {e}")))?;
    emulator.shutdown().await;
    Ok(())
}
