//! `caseshare`: parse the arguments, run the command, exit with its code.
#![forbid(unsafe_code)]

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = caseshare::cli::Cli::parse();
    std::process::ExitCode::from(caseshare::cli::run(cli) as u8)
}
