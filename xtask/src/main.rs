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
    /// Read api-spec/sources/, apply api-spec/overrides/, write api-spec/<service>.yaml.
    Extract,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract => extract(),
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
    for s in &outputs {
        let path = dir.join(s.file_name());
        if let Err(e) = std::fs::write(&path, &s.yaml) {
            eprintln!("error: {}: cannot write: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    print!("{}", xtask::extract::summary(&outputs));
    ExitCode::SUCCESS
}
