//! The example programs of `examples/` run to completion against the emulator and print what
//! they promise: once against an emulator this test starts (`IOTCLOUD_ENDPOINT`), once with no
//! settings at all (each example then starts its own embedded emulator).
//!
//! The binaries are the ones `cargo test` builds beside this test (it builds every example of
//! the package); run `cargo test -p iotcloud` (or `cargo build -p iotcloud --examples` first).

use std::path::PathBuf;
use std::process::{Command, Output};

use iotcloud_emulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use iotcloud_emulator::Emulator;

/// `target/<profile>/examples/<name>`: this test runs from `target/<profile>/deps/`.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current exe: {e}"));
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap_or_else(|| panic!("{} has no profile directory", exe.display()));
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: run `cargo test -p iotcloud` (it builds the examples) or \
         `cargo build -p iotcloud --examples`",
        path.display()
    );
    path
}

/// Runs an example with only `PATH` and `vars` in its environment (no cloud settings leak in).
fn run(name: &str, vars: &[(&str, &str)]) -> String {
    let mut command = Command::new(example(name));
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command.env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    // No profile files either: a home without them.
    command.env("HOME", std::env::temp_dir());
    command.envs(vars.iter().copied());
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(
        status.success(),
        "{name} failed ({status}):\n{stdout}\n{}",
        String::from_utf8_lossy(&stderr)
    );
    stdout
}

fn has_line(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l == line),
        "no line `{line}` in:\n{out}"
    );
}

fn has_line_starting(out: &str, prefix: &str) {
    assert!(
        out.lines().any(|l| l.starts_with(prefix)),
        "no line starting `{prefix}` in:\n{out}"
    );
}

fn check_page_devices(out: &str) {
    for name in ["sensor-1", "sensor-2", "sensor-3"] {
        // Registered, never connected: the documented status of such a device.
        has_line(out, &format!("device {name}: UNACTIVE"));
    }
    has_line(out, "3 devices");
}

fn check_device_lifecycle(out: &str) {
    has_line_starting(out, "registered thermostat-1: iot id ");
    has_line_starting(out, "property set: message ");
    has_line_starting(out, "published 7 bytes: message ");
    has_line(
        out,
        "no-such-device: not found (iot.device.NotExistedDevice)",
    );
}

fn check_rrpc(out: &str) {
    has_line(out, "rrpc code: SUCCESS");
    has_line(out, "sent [7e, 01, 02, 00, ff, 7e]");
    // The emulated device answers with the bytes it was sent.
    has_line(out, "answer [7e, 01, 02, 00, ff, 7e]");
}

#[tokio::test(flavor = "multi_thread")]
async fn examples_run_against_a_running_emulator() {
    let emulator = Emulator::start()
        .await
        .unwrap_or_else(|e| panic!("emulator: {e}"));
    let url = emulator.base_url().to_string();
    // The examples block on their own runtime; this one keeps serving the emulator meanwhile.
    let outputs = tokio::task::spawn_blocking(move || {
        let vars = [
            ("IOTCLOUD_ENDPOINT", url.as_str()),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET),
            ("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"),
        ];
        [
            run("page_devices", &vars),
            run("device_lifecycle", &vars),
            run("rrpc_bytes", &vars),
        ]
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    check_page_devices(&outputs[0]);
    check_device_lifecycle(&outputs[1]);
    check_rrpc(&outputs[2]);
    // The examples really talked to this emulator: their devices are in its state.
    let state = format!("{:?}", emulator.state());
    for name in ["sensor-3", "thermostat-1", "echo-1"] {
        assert!(state.contains(name), "{name} not in the emulator's state");
    }
}

#[test]
fn examples_run_against_the_embedded_emulator() {
    for (name, check) in [
        ("page_devices", check_page_devices as fn(&str)),
        ("device_lifecycle", check_device_lifecycle),
        ("rrpc_bytes", check_rrpc),
    ] {
        let out = run(name, &[]);
        has_line_starting(
            &out,
            "no cloud settings: embedded emulator at http://127.0.0.1:",
        );
        check(&out);
    }
}
