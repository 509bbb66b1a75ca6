//! `portail`, the binary: parses the command line, sets up logging and runs the command.
//! Commands live in [`commands`]; this file only wires them.

mod bench;
mod cli;
mod commands;
mod config;
mod demo;
mod demo_data;
mod generate;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::cli::Cli;

/// mimalloc rather than the system allocator: a search allocates and frees many short-lived
/// buffers on several threads (tantivy's scorers, facet counts, rows, JSON), and glibc's malloc,
/// free and consolidation took about a tenth of a search request's CPU (`perf record` on
/// `portail bench search` at a million datasets).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // reqwest and sqlx use rustls without choosing a crypto provider: pick ring, once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    init_logging(cli.command.default_log_filter());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the causes on one line: "what failed: why".
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default: `info`, see
/// [`cli::Command::default_log_filter`]).
fn init_logging(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
