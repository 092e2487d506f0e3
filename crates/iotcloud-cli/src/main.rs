//! `iotcloud`: every operation of every service as a subcommand, generated from the same spec
//! as the SDK; plus `sign`, `emulator` and `demo`. Run `iotcloud --help` for the exit codes.

mod app;
mod catalog;
mod demo;
mod emulator;
mod exit;
mod operation;
mod output;
mod pages;
mod settings;
mod sign;
mod types;

use std::process::ExitCode;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::OTHER);
        }
    };
    let code = runtime.block_on(app::run(std::env::args_os().collect()));
    ExitCode::from(code)
}
