//! Shared by the CLI tests: an emulator in-process and the `iotcloud` binary pointed at it.
#![allow(dead_code)]

use std::process::Output;

use iotcloud_emulator::Emulator;

/// A running emulator and the demo credentials it accepts.
pub struct Lab {
    pub emulator: Emulator,
    pub url: String,
    pub key_id: String,
    pub key_secret: String,
    pub app_id: String,
    pub app_secret: String,
}

impl Lab {
    pub async fn start() -> Lab {
        let emulator = Emulator::builder()
            .throttling(false)
            .start()
            .await
            .expect("emulator starts");
        let url = emulator.base_url().to_string();
        let creds = emulator.credentials();
        let key = creds.access_key().expect("demo access key");
        let app = creds.oceanconnect_app().expect("demo OceanConnect app");
        Lab {
            url,
            key_id: key.id.clone(),
            key_secret: key.secret.clone(),
            app_id: app.app_id.clone(),
            app_secret: app.secret.clone(),
            emulator,
        }
    }

    /// `iotcloud --endpoint URL --region cn-shanghai --output json ARGS...` with the demo credentials.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_output("json", args)
    }

    /// [`Lab::run`] with `--output FORMAT`.
    pub fn run_output(&self, format: &str, args: &[&str]) -> Run {
        let mut cmd = bare();
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", &self.key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &self.key_secret)
            .env("OCEANCONNECT_SECRET", &self.app_secret)
            .args([
                "--endpoint",
                &self.url,
                "--region",
                "cn-shanghai",
                "--output",
                format,
            ])
            .args(args);
        Run::from(cmd.output().expect("iotcloud runs"))
    }
}

/// The binary with a clean environment: no credentials, profiles or endpoint from the host.
pub fn bare() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("iotcloud").expect("the iotcloud binary is built");
    for var in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_PROFILE",
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        "ALIBABA_CLOUD_REGION_ID",
        "IOTCLOUD_ENDPOINT",
        "OCEANCONNECT_APP_ID",
        "OCEANCONNECT_BASE_URL",
        "OCEANCONNECT_SECRET",
        "ALIBABA_CLOUD_IOT_INSTANCE_ID",
        "LANG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env(
        "HOME",
        std::env::temp_dir().join("iotcloud-cli-tests-no-home"),
    )
    .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    .env("COLUMNS", "100");
    cmd
}

/// What one run printed.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit 0 and parses stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(
            self.code,
            Some(0),
            "stderr: {}\nstdout: {}",
            self.stderr,
            self.stdout
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Every line of stdout as a JSON document.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}
