//! `iotcloud-emulator --port 8080 [--data-dir DIR] [--seed N] [--fault OP:key=value,...]`

use clap::Parser;
use iotcloud_emulator::{Emulator, FaultRule, Limits};
use std::path::PathBuf;
use std::time::Duration;

/// A local emulator of Alibaba Cloud IoT, Alibaba Cloud MQTT and Huawei OceanConnect.
#[derive(Debug, Parser)]
#[command(name = "iotcloud-emulator", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Keep state in DIR/state.json across restarts (memory only without it).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Seed of the fault-injection random source.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A fault rule, e.g. `QueryProduct:error=0.2,kind=throttling,latency=50` (repeatable;
    /// keys: error, kind=server-error|unavailable|throttling, latency, drop, truncate, malformed).
    #[arg(long = "fault", value_parser = FaultRule::parse)]
    faults: Vec<FaultRule>,
    /// Do not enforce the documented QPS limits.
    #[arg(long)]
    no_throttling: bool,
    /// An enterprise IoT instance, e.g. `iot-cn-0pp1n8t4x0e` (repeatable): requests with this
    /// IotInstanceId get its own state; requests without one go to the public instance.
    #[arg(long = "instance", value_name = "IOT_INSTANCE_ID")]
    instances: Vec<String>,
    /// Seconds a request head may take from its first byte [10].
    #[arg(long, value_name = "SECS")]
    header_read_timeout: Option<u64>,
    /// Seconds a connection may wait idle for its next request before it is closed [100].
    #[arg(long, value_name = "SECS")]
    keep_alive_idle_timeout: Option<u64>,
    /// Seconds a request body may take before the minimum rate applies [10].
    #[arg(long, value_name = "SECS")]
    body_read_timeout: Option<u64>,
    /// Minimum request-body rate in bytes per second after --body-read-timeout [1024].
    #[arg(long, value_name = "BYTES")]
    body_min_rate: Option<u64>,
    /// Largest request body in bytes (413 beyond) [1048576].
    #[arg(long, value_name = "BYTES")]
    max_body_bytes: Option<usize>,
    /// Connections served at once; more wait in the listen backlog [128].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
}

impl Args {
    /// The connection limits: the defaults of [`Limits`] unless a flag says otherwise.
    fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        let secs = Duration::from_secs;
        if let Some(s) = self.header_read_timeout {
            limits.header_read_timeout = secs(s);
        }
        if let Some(s) = self.keep_alive_idle_timeout {
            limits.keep_alive_idle_timeout = secs(s);
        }
        if let Some(s) = self.body_read_timeout {
            limits.body_read_timeout = secs(s);
        }
        if let Some(rate) = self.body_min_rate {
            limits.body_min_bytes_per_sec = rate;
        }
        if let Some(bytes) = self.max_body_bytes {
            limits.max_body_bytes = bytes;
        }
        if let Some(n) = self.max_connections {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        limits
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut builder = Emulator::builder()
        .port(args.port)
        .seed(args.seed)
        .throttling(!args.no_throttling)
        .limits(args.limits());
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir);
    }
    for rule in args.faults {
        builder = builder.fault(rule);
    }
    for id in &args.instances {
        builder = builder.instance(id);
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("iotcloud-emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let url = emulator.base_url().to_string();
    let creds = emulator.credentials();
    println!("iotcloud-emulator listening on {url}");
    if let Some(key) = creds.access_key() {
        println!("  Alibaba IoT (Version=2018-01-20) and MQTT (Version=2020-04-20): POST {url}/");
        println!("    AccessKeyId:     {}", key.id);
        println!("    AccessKeySecret: {}   (demo value)", key.secret);
    }
    if let Some(app) = creds.oceanconnect_app() {
        println!("  Huawei OceanConnect: {url}/iocm/...");
        println!("    appId:  {}", app.app_id);
        println!("    secret: {}   (demo value)", app.secret);
        println!("    demo device: {}", iotcloud_emulator::DEMO_OC_DEVICE_ID);
    }
    match &args.data_dir {
        Some(dir) => println!(
            "  state: {}",
            dir.join(iotcloud_emulator::persist::STATE_FILE).display()
        ),
        None => println!("  state: memory only"),
    }
    println!(
        "  IoT instances: public (no IotInstanceId){}",
        args.instances
            .iter()
            .map(|i| format!(", {i}"))
            .collect::<String>()
    );
    println!("  inspection: {url}/_emulator/messages, /_emulator/faults, /_emulator/state, /_emulator/instances");
    println!("Try (OceanConnect login needs no signature):");
    if let Some(app) = creds.oceanconnect_app() {
        println!(
            "  curl -s -X POST {url}/iocm/app/sec/v1.1.0/login -d appId={} -d secret={}",
            app.app_id, app.secret
        );
    }
    println!("Alibaba requests must be signed (section 2.5); the emulator signs one for curl with the demo key:");
    println!(
        "  curl -s -X POST \"$(curl -s '{url}/_emulator/sign?Action=QueryProductList&CurrentPage=1&PageSize=10' | sed -E 's/.*\"url\":\"([^\"]*)\".*/\\1/')\""
    );
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("iotcloud-emulator: cannot wait for Ctrl-C; stopping");
    }
    emulator.shutdown().await;
    std::process::ExitCode::SUCCESS
}
