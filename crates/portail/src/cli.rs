//! The command line: every command, option, default and environment variable of `portail`.
//!
//! Keep `docs/configuration.md` in step with the options here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Portail: an open data portal compatible with udata's API.
#[derive(Debug, Parser)]
#[command(name = "portail", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Folder for Portail's files; the default SQLite database lives there
    /// [default: ./portail-data].
    #[arg(long, global = true, env = "PORTAIL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://path/to/portail.db or postgres://user:password@host:5432/db
    /// [default: the SQLite file <DIR>/portail.db].
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Folder of this process's search index, rebuilt from the database when missing or
    /// unusable; every process needs its own [default: <DIR>/index].
    #[arg(long, global = true, env = "PORTAIL_INDEX_DIR", value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Load the demo catalog (users, organizations, 50 datasets) into an empty database.
    Demo,
    /// Create or update the database schema.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rebuild the search index from the database (with a progress bar). The server must not be
    /// running on the same index folder; a running server rebuilds its index by itself when it
    /// finds it missing or damaged at start.
    Reindex,
    /// Add a synthetic catalog, for benchmarks and load tests.
    Generate(GenerateArgs),
    /// Measure performance.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Check every remote resource that is due now, once, and print a summary.
    CheckLinks(CheckOpts),
    /// Harvest remote catalogs (CKAN, DCAT, OpenDataSoft).
    #[command(subcommand)]
    Harvest(HarvestCommand),
}

impl Command {
    /// The log filter when `RUST_LOG` is unset.
    pub fn default_log_filter(&self) -> &'static str {
        match self {
            // Under load, sqlx warns about every statement slower than a second, which would
            // bury the results; the latencies measured already tell.
            Command::Bench(_) => "warn,sqlx::query=error",
            Command::Reindex => "warn",
            // The progress line of `harvest run` owns stderr; warnings still show.
            Command::Harvest(_) => "warn",
            _ => "info",
        }
    }
}

/// Options of `portail serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "PORTAIL_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    pub listen: String,
    /// Public base URL of the portal, e.g. https://data.example.org, for absolute links
    /// [default: from each request's Host].
    #[arg(long, env = "PORTAIL_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Folder of templates overriding the embedded ones (same file names), re-read when they
    /// change [default: the embedded templates only].
    #[arg(long, env = "PORTAIL_TEMPLATES_DIR", value_name = "DIR")]
    pub templates_dir: Option<std::path::PathBuf>,
    /// Load the demo catalog first when the database has no dataset.
    #[arg(long)]
    pub demo: bool,
    /// Days a deleted dataset can still be restored before it is purged with its files.
    #[arg(
        long,
        env = "PORTAIL_PURGE_GRACE_DAYS",
        default_value_t = portail_app::datasets::DEFAULT_PURGE_GRACE_DAYS,
        value_name = "DAYS"
    )]
    pub purge_grace_days: i64,
    #[command(flatten)]
    pub files: FileOpts,
    #[command(flatten)]
    pub checks: CheckOpts,
}

/// How remote resources are checked for availability.
#[derive(Debug, Clone, Args)]
pub struct CheckOpts {
    /// Check remote resources in the background while serving.
    #[arg(long, env = "PORTAIL_LINK_CHECKS", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub link_checks: bool,
    /// Hours between two checks of the same resource.
    #[arg(long, env = "PORTAIL_CHECK_EVERY_HOURS", default_value_t = portail_app::checks::DEFAULT_RECHECK_HOURS, value_name = "HOURS")]
    pub check_every_hours: i64,
    /// Requests in flight to one host.
    #[arg(
        long,
        env = "PORTAIL_CHECK_PER_HOST",
        default_value_t = 2,
        value_name = "N"
    )]
    pub check_per_host: usize,
    /// Pause after a request before the next one to the same host, in milliseconds.
    #[arg(
        long,
        env = "PORTAIL_CHECK_DELAY_MS",
        default_value_t = 500,
        value_name = "MS"
    )]
    pub check_delay_ms: u64,
    /// Requests in flight overall.
    #[arg(
        long,
        env = "PORTAIL_CHECK_CONCURRENCY",
        default_value_t = 32,
        value_name = "N"
    )]
    pub check_concurrency: usize,
    /// Time allowed for one check (connection included), in seconds.
    #[arg(
        long,
        env = "PORTAIL_CHECK_TIMEOUT_SECS",
        default_value_t = 15,
        value_name = "SECS"
    )]
    pub check_timeout_secs: u64,
}

impl CheckOpts {
    /// The settings of the check job.
    pub fn settings(&self) -> portail_app::checks::CheckSettings {
        portail_app::checks::CheckSettings {
            recheck_after: chrono::Duration::hours(self.check_every_hours.max(1)),
            per_host: self.check_per_host.max(1),
            politeness: std::time::Duration::from_millis(self.check_delay_ms),
            concurrency: self.check_concurrency.max(1),
            ..portail_app::checks::CheckSettings::default()
        }
    }

    /// The SSRF-guarded client of the checks (policy from `PORTAIL_OUTBOUND_ALLOW`).
    pub fn fetcher(&self) -> anyhow::Result<portail_harvest::outbound::HttpFetcher> {
        let timeout = std::time::Duration::from_secs(self.check_timeout_secs.max(1));
        let config = portail_harvest::outbound::OutboundConfig {
            connect_timeout: timeout.min(std::time::Duration::from_secs(10)),
            timeout,
            ..portail_harvest::outbound::OutboundConfig::from_env()
                .map_err(|e| anyhow::anyhow!("PORTAIL_OUTBOUND_ALLOW: {e}"))?
        };
        portail_harvest::outbound::HttpFetcher::new(config)
            .map_err(|e| anyhow::anyhow!("cannot build the link-check client: {e}"))
    }
}

/// Where hosted files go, and the limits on uploads.
#[derive(Debug, Clone, Args)]
pub struct FileOpts {
    /// Where hosted files go: file:///abs/path or s3://bucket/prefix
    /// [default: file://<DIR>/files].
    #[arg(long, env = "PORTAIL_STORAGE_URL", value_name = "URL")]
    pub storage_url: Option<String>,
    /// Endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000 [default: AWS].
    #[arg(long, env = "PORTAIL_S3_ENDPOINT", value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// S3 region.
    #[arg(
        long,
        env = "PORTAIL_S3_REGION",
        default_value = "us-east-1",
        value_name = "REGION"
    )]
    pub s3_region: String,
    /// Allow a plain-HTTP S3 endpoint (local servers).
    #[arg(long, env = "PORTAIL_S3_ALLOW_HTTP", value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub s3_allow_http: bool,
    /// Largest uploaded file: bytes, or with a unit (500MB, 2GiB).
    #[arg(long, env = "PORTAIL_MAX_UPLOAD_SIZE", default_value = "10GiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_upload_size: u64,
    /// Comma-separated file extensions accepted for uploads [default: udata's list].
    #[arg(
        long,
        env = "PORTAIL_ALLOWED_EXTENSIONS",
        value_name = "LIST",
        value_delimiter = ','
    )]
    pub allowed_extensions: Vec<String>,
    /// Hours the chunks of an unfinished chunked upload are kept.
    #[arg(
        long,
        env = "PORTAIL_CHUNK_RETENTION_HOURS",
        default_value_t = 24,
        value_name = "HOURS"
    )]
    pub chunk_retention_hours: u64,
}

/// Parses a size in bytes: `1048576`, `500MB`, `2GiB`, `10 kB`... (decimal and binary units).
pub fn parse_size(raw: &str) -> Result<u64, String> {
    let raw = raw.trim();
    let split = raw
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("\"{raw}\" is not a size (expected e.g. 500MB or 2GiB)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "tib" => 1 << 40,
        other => {
            return Err(format!(
                "unknown size unit \"{other}\" (use B, kB, MB, GB, KiB, MiB, GiB)"
            ));
        }
    };
    Ok((number * factor as f64) as u64)
}

/// `portail user ...`
/// `portail harvest ...`: sources and runs, from the command line.
#[derive(Debug, Subcommand)]
pub enum HarvestCommand {
    /// Create a harvest source (pending validation unless `--validate`).
    Create(HarvestCreateArgs),
    /// List the harvest sources.
    List,
    /// Show what a run would do with the first 20 records; nothing is saved.
    Preview(HarvestSourceArg),
    /// Run a source now, in this process, with a progress line on stderr.
    Run(HarvestSourceArg),
    /// List the jobs of a source, newest first.
    Jobs(HarvestSourceArg),
}

/// A harvest source, by id or slug.
#[derive(Debug, Clone, Args)]
pub struct HarvestSourceArg {
    /// Id or slug of the source.
    pub source: String,
}

/// Options of `portail harvest create`.
#[derive(Debug, Clone, Args)]
pub struct HarvestCreateArgs {
    /// Name of the source.
    #[arg(long)]
    pub name: String,
    /// Catalog URL (CKAN or ODS site root, or DCAT document).
    #[arg(long)]
    pub url: String,
    /// Backend: ckan, dcat or ods.
    #[arg(long)]
    pub backend: String,
    /// Organization (id or slug) the harvested datasets belong to.
    #[arg(long, conflicts_with = "owner")]
    pub organization: Option<String>,
    /// E-mail of the user the harvested datasets belong to.
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Keep only remote datasets matching key=value (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub filter: Vec<String>,
    /// Drop remote datasets matching key=value (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub exclude: Vec<String>,
    /// Accept the source at once (it is then scheduled daily).
    #[arg(long)]
    pub validate: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; prints its id.
    Create(UserCreateArgs),
}

/// Options of `portail user create`.
#[derive(Debug, Args)]
pub struct UserCreateArgs {
    #[arg(long)]
    pub email: String,
    /// At least 8 characters.
    #[arg(long)]
    pub password: String,
    #[arg(long, default_value = "")]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub last_name: String,
    /// Give the account every right on the portal.
    #[arg(long)]
    pub sysadmin: bool,
}

/// `portail token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints only the secret, e.g. for
    /// `TOKEN=$(portail token create --email me@example.org)`.
    Create(TokenCreateArgs),
}

/// Options of `portail token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// E-mail of the user the token acts as.
    #[arg(long)]
    pub email: String,
    /// A name to recognise the token by in lists.
    #[arg(long)]
    pub name: Option<String>,
}

/// Options of `portail generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of datasets to add.
    #[arg(long, value_name = "N")]
    pub datasets: u64,
    /// Resources attached to each dataset.
    #[arg(long, default_value_t = 3, value_name = "K")]
    pub resources_per_dataset: u32,
    /// Organizations publishing them [default: max(N/1000, 5)].
    #[arg(long, value_name = "M")]
    pub organizations: Option<u64>,
    /// Seed of the random generator: the same seed gives the same titles, tags, licenses...
    /// (ids and dates still differ) [default: random, printed at the end].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

/// `portail bench ...`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a catalog, start the server in-process and load the dataset endpoints.
    ///
    /// Runs in a fresh temporary folder unless --data-dir or --database-url is given; an
    /// existing catalog there is reused as it is.
    Api(BenchApiArgs),
    /// Harvest a generated DCAT and CKAN catalog served from loopback: datasets/s, peak RSS.
    ///
    /// Runs in a fresh temporary folder unless --data-dir or --database-url is given.
    Harvest(BenchHarvestArgs),
    /// Upload a large file to a real server process and download it back, against `cp`.
    ///
    /// Writes a test file of random bytes, times `cp` (and `cp` + fsync) of it as the
    /// baseline, then starts `portail serve` as a child process and measures the upload
    /// (throughput, checksum, peak memory growth of the server) and the download. Runs in a
    /// fresh temporary folder, removed at the end, unless --data-dir is given; the database is
    /// always the SQLite file of that folder and files go to its `files` folder, so that the
    /// test file, its copy and the upload are all on one filesystem.
    Upload(BenchUploadArgs),
    /// Generate a catalog, build its search index (timed), then run a mix of realistic searches
    /// with facets from concurrent clients against the server started in this process.
    ///
    /// Runs in a fresh temporary folder unless --data-dir or --database-url is given; an
    /// existing catalog there is reused as it is.
    Search(BenchSearchArgs),
    /// Generate a catalog, then fetch its whole DCAT catalog page by page as a harvester does
    /// (Turtle by default), from the server started in this process, and time it.
    ///
    /// Runs in a fresh temporary folder unless --data-dir or --database-url is given.
    Catalog(BenchCatalogArgs),
}

/// Options of `portail bench catalog`.
#[derive(Debug, Clone, Args)]
pub struct BenchCatalogArgs {
    /// Datasets to generate (when the database is empty).
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub datasets: u64,
    /// Datasets per page (the catalog accepts at most 1000).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub page_size: u64,
    /// Extension of the format to fetch: ttl, rdf, jsonld or nt.
    #[arg(long, default_value = "ttl", value_name = "EXT")]
    pub format: String,
}

/// Options of `portail bench search`.
#[derive(Debug, Clone, Args)]
pub struct BenchSearchArgs {
    /// Datasets to generate (when the database is empty).
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub datasets: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub clients: usize,
    /// How long the load runs, in seconds.
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    pub duration: u64,
    /// Keep a complete index found in the folder instead of rebuilding (and timing) it.
    #[arg(long)]
    pub reuse_index: bool,
    /// Queries of the engine-alone pass that follows the load (one thread, no HTTP).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub engine_queries: usize,
    /// Seconds of the same load before the measured one, not counted: a server that just
    /// started still maps the database into each connection (page faults) and grows its
    /// allocator's heaps. 0 measures a cold start.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub warmup: u64,
}

/// Options of `portail bench upload`.
/// Options of `portail bench harvest`.
#[derive(Debug, Clone, Args)]
pub struct BenchHarvestArgs {
    /// Datasets in each generated catalog.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub datasets: u64,
}

#[derive(Debug, Clone, Args)]
pub struct BenchUploadArgs {
    /// Size of the test file: bytes, or with a unit (500MiB, 100MB, 2GiB).
    #[arg(long, default_value = "2GiB", value_name = "SIZE", value_parser = parse_size)]
    pub size: u64,
}

/// Options of `portail bench api`.
#[derive(Debug, Clone, Args)]
pub struct BenchApiArgs {
    /// Datasets to generate (when the database is empty).
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub datasets: u64,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32, value_name = "C")]
    pub connections: u32,
    /// Seconds of measurement per endpoint.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub duration: u64,
    /// HTTP client that sends the load.
    #[arg(long, value_enum, default_value_t = LoadClient::Auto)]
    pub client: LoadClient,
}

/// Which client sends the load in `portail bench api`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoadClient {
    /// wrk when it is on PATH, else the built-in client.
    Auto,
    /// wrk (https://github.com/wg/wrk; Debian: apt-get install wrk).
    Wrk,
    /// A client inside this process; it shares the CPU with the server.
    Builtin,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("10 kB"), Ok(10_000));
        assert_eq!(parse_size("1.5KiB"), Ok(1536));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn bench_upload_takes_a_size() {
        let cli = Cli::try_parse_from(["portail", "bench", "upload", "--size", "500MiB"]).unwrap();
        let Command::Bench(BenchCommand::Upload(args)) = cli.command else {
            panic!("not bench upload");
        };
        assert_eq!(args.size, 500 << 20);
        let cli = Cli::try_parse_from(["portail", "bench", "upload"]).unwrap();
        let Command::Bench(BenchCommand::Upload(args)) = cli.command else {
            panic!("not bench upload");
        };
        assert_eq!(args.size, 2 << 30);
    }

    #[test]
    fn global_options_work_after_the_command() {
        let cli = Cli::try_parse_from(["portail", "migrate", "--data-dir", "/tmp/x"]).unwrap();
        assert_eq!(cli.global.data_dir, Some(PathBuf::from("/tmp/x")));
        assert!(matches!(cli.command, Command::Migrate));
    }
}
