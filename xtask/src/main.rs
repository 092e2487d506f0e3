//! `cargo xtask <command>`: see `cargo xtask --help`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Extract, check and expand the API descriptions in api-spec/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read api-spec/sources/, apply api-spec/overrides/, write api-spec/<service>.yaml (and its
    /// source lines to api-spec/positions/<service>.yaml) and print a summary.
    Extract,
    /// Validate every api-spec/*.yaml and fail if any differs from a fresh extraction.
    Check,
    /// Coverage of the English texts (api-spec/i18n/en/) per service and kind; stale, missing and unknown entries.
    I18nReport,
    /// Add entries for Chinese texts that have none, from a translation memory (JSON arrays of
    /// {"zh", "en"}); existing entries are kept. The committed YAML is then the source of truth.
    I18nFill {
        /// Translation-memory files.
        #[arg(long, required = true, num_args = 1..)]
        tm: Vec<std::path::PathBuf>,
    },
    /// Pretty-print the code iotcloud-codegen generates, into target/expand/<service>.rs.
    Expand {
        /// Service (file stem of api-spec/*.yaml); all services when absent.
        service: Option<String>,
        /// Only this operation's types and client method (requires a service).
        #[arg(long, requires = "service")]
        operation: Option<String>,
        /// Print to stdout instead of writing files.
        #[arg(long)]
        stdout: bool,
    },
    /// Fail unless every published crate's rust-version covers the locked dependencies'.
    Msrv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract => extract(),
        Command::Check => check(),
        Command::I18nReport => i18n_report(),
        Command::I18nFill { tm } => i18n_fill(&tm),
        Command::Expand {
            service,
            operation,
            stdout,
        } => expand(service, operation, stdout),
        Command::Msrv => msrv(),
    }
}

fn msrv() -> ExitCode {
    let report = match xtask::msrv::report() {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some((version, crates)) = &report.required {
        println!(
            "locked dependencies need rust {version} ({})",
            crates.join(", ")
        );
    }
    let problems = xtask::msrv::problems(&report);
    for problem in &problems {
        eprintln!("error: {problem}");
    }
    if problems.is_empty() {
        println!(
            "{} published crates state a rust-version that covers them",
            report.members.len()
        );
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn extract() -> ExitCode {
    let dir = xtask::spec_dir();
    let outputs = match xtask::extract::extract_all(&dir) {
        Ok(o) => o,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = xtask::extract::write(&dir, &outputs) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    print!("{}", xtask::extract::summary(&outputs));
    ExitCode::SUCCESS
}

fn check() -> ExitCode {
    let report = xtask::check::check(&xtask::workspace_root());
    for p in &report.problems {
        eprintln!("{p}");
    }
    if report.problems.is_empty() {
        println!(
            "api-spec: {} specs valid and up to date ({})",
            report.checked.len(),
            report.checked.join(", ")
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("cargo xtask check: {} problem(s)", report.problems.len());
        ExitCode::FAILURE
    }
}

fn i18n_report() -> ExitCode {
    let root = xtask::workspace_root();
    let report = xtask::i18n::load_specs(&root)
        .map_err(|e| e.join("\n"))
        .and_then(|specs| xtask::i18n::report(&root, &specs));
    match report {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn i18n_fill(tm: &[std::path::PathBuf]) -> ExitCode {
    let root = xtask::workspace_root();
    let run = || -> Result<(), String> {
        let tm = xtask::i18n::read_tm(tm)?;
        let specs = xtask::i18n::load_specs(&root).map_err(|e| e.join("\n"))?;
        for spec in &specs {
            let existing =
                iotcloud_spec::i18n::load_for(&root.join(&spec.path)).map_err(|e| e.to_string())?;
            let filled = xtask::i18n::fill(spec, existing.as_ref(), &tm);
            let Some(text) = filled.text else { continue };
            let path = root.join(&filled.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!(
                "{}: {} kept, {} added, {} not in the memory",
                filled.path.display(),
                filled.kept,
                filled.added,
                filled.untranslated.len()
            );
            for k in &filled.untranslated {
                println!("  untranslated: {k}");
            }
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn expand(service: Option<String>, operation: Option<String>, stdout: bool) -> ExitCode {
    let root = xtask::workspace_root();
    let services = match service {
        Some(s) => vec![s],
        None => match xtask::expand::services(&root) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut failed = false;
    for s in services {
        match xtask::expand::expand(&root, &s, operation.as_deref()) {
            Ok(code) if stdout => print!("{code}"),
            Ok(code) => {
                let path = xtask::expand::output_path(&root, &s);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &code));
                match written {
                    Ok(()) => println!(
                        "{} ({})",
                        path.display(),
                        xtask::expand::summary(&root, &s, &code)
                    ),
                    Err(e) => {
                        eprintln!("error: {}: cannot write: {e}", path.display());
                        failed = true;
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("{e}");
                }
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
