//! One module per command: each opens what it needs, calls the use cases or the loaders, and
//! prints the outcome. Results go to stdout (so they can be captured), progress and logs to
//! stderr.

mod check_links;
mod demo;
mod generate;
mod harvest;
mod migrate;
mod reindex;
mod serve;
mod token;
mod user;

use portail_app::AppError;

use crate::cli::{BenchCommand, Cli, Command, HarvestCommand, TokenCommand, UserCommand};

/// Runs the command of the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let global = &cli.global;
    match &cli.command {
        Command::Serve(args) => serve::run(global, args).await,
        Command::Demo => demo::run(global).await,
        Command::Migrate => migrate::run(global).await,
        Command::User(UserCommand::Create(args)) => user::create(global, args).await,
        Command::Token(TokenCommand::Create(args)) => token::create(global, args).await,
        Command::Reindex => reindex::run(global).await,
        Command::Generate(args) => generate::run(global, args).await,
        Command::Bench(BenchCommand::Api(args)) => crate::bench::api(global, args).await,
        Command::Bench(BenchCommand::Upload(args)) => crate::bench::upload::run(global, args).await,
        Command::Bench(BenchCommand::Search(args)) => crate::bench::search::run(global, args).await,
        Command::Bench(BenchCommand::Catalog(args)) => {
            crate::bench::catalog::run(global, args).await
        }
        Command::CheckLinks(args) => check_links::run(global, args).await,
        Command::Bench(BenchCommand::Harvest(args)) => {
            crate::bench::harvest::run(global, args).await
        }
        Command::Harvest(HarvestCommand::Create(args)) => harvest::create(global, args).await,
        Command::Harvest(HarvestCommand::List) => harvest::list(global).await,
        Command::Harvest(HarvestCommand::Preview(args)) => harvest::preview(global, args).await,
        Command::Harvest(HarvestCommand::Run(args)) => harvest::run(global, args).await,
        Command::Harvest(HarvestCommand::Jobs(args)) => harvest::jobs(global, args).await,
    }
}

/// Turns a use-case error into a CLI error, with one line per invalid field.
fn app_error(what: &str, err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation(errors) => {
            let mut message = format!("{what}: invalid input");
            for (field, messages) in &errors.0 {
                message.push_str(&format!("\n  {field}: {}", messages.join(" ")));
            }
            anyhow::anyhow!(message)
        }
        other => anyhow::anyhow!("{what}: {other}"),
    }
}
