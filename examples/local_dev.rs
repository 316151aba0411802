//! Running on a laptop: the quickstart's struct loaded from a checked-in
//! TOML file (nested tables, names relative to the struct's prefix), with
//! an environment override, a live edit, and a typo caught.
//!
//! ```sh
//! cargo run --example local_dev
//! ORDERS_DB_HOST=db.test cargo run --example local_dev   # your own override
//! ```
//!
//! It needs no AWS settings. The source is a stack of layers, first one
//! wins: your personal `examples/local.override.toml` when it exists (it is
//! optional, and not checked in), then `examples/local.toml`. In a service
//! the last layer would be SSM itself: `.then(AwsSource::from_env().await)`,
//! asked only for what the files lack. Above every layer, `ORDERS_*`
//! variables override single fields (`Loader::env_prefix`).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ssm_config::SsmConfig;
use ssm_config::doctor::Finding;
use ssm_config::origin::Origin;
use ssm_config::source::{FileSource, Layered};

// The struct, shared by the examples, is in `examples/common/app_config.rs`
// (and in the README).
#[path = "common/app_config.rs"]
mod app_config;
use app_config::AppConfig;

fn main() -> ExitCode {
    // An override as a shell would set it; set here, before any thread
    // exists, so the example shows one without your help.
    if std::env::var_os("ORDERS_CACHE__TTL_SECS").is_none() {
        // SAFETY: no other thread runs yet: the runtime starts below.
        unsafe { std::env::set_var("ORDERS_CACHE__TTL_SECS", "5") };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run())
}

async fn run() -> ExitCode {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    // Edits go to a copy, so the checked-in file stays as it is.
    let scratch = std::env::temp_dir().join(format!("ssm-config-local-dev-{}", std::process::id()));
    let local = scratch.join("local.toml");
    if let Err(err) = std::fs::create_dir_all(&scratch)
        .and_then(|()| std::fs::copy(examples.join("local.toml"), &local).map(drop))
    {
        eprintln!("cannot copy examples/local.toml: {err}");
        return ExitCode::FAILURE;
    }
    let mut code = show(&examples, &local).await;
    if code == ExitCode::SUCCESS {
        code = typo(&local).await;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    code
}

async fn show(examples: &Path, local: &Path) -> ExitCode {
    let source = Layered::new()
        .then_optional(FileSource::new(examples.join("local.override.toml")))
        .then(FileSource::new(local));
    let config = match AppConfig::loader()
        .source(source)
        .var("APP_ENV", "dev")
        .env_prefix("ORDERS_")
        .load()
        .await
    {
        Ok(config) => config,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };

    println!(
        "Where each value came from (precedence: env > earlier layer > later layer > default):"
    );
    for (field, origin) in config.get().metadata().origins() {
        println!("  {field:<16} {origin}");
    }
    let snapshot = config.get();
    println!(
        "\ncache.ttl_secs = {} (ORDERS_CACHE__TTL_SECS wins over the file's 60)",
        snapshot.cache.ttl_secs
    );

    if let Some(origin @ Origin::Env { .. }) = config.get().metadata().origin("db_host") {
        println!("db_host comes from {origin}, which wins over any edit of the file");
        return ExitCode::SUCCESS;
    }
    // Edit the file as a developer would; the next refresh delivers it.
    let mut changes = config.subscribe();
    let db_host = config.map(|c| c.db_host.clone());
    println!("db_host = {} before the edit", db_host.get());
    let edited = match std::fs::read_to_string(local) {
        Ok(text) => text.replace("\"localhost\"", "\"db.local.test\""),
        Err(err) => {
            eprintln!("cannot read {}: {err}", local.display());
            return ExitCode::FAILURE;
        }
    };
    if let Err(err) = std::fs::write(local, edited) {
        eprintln!("cannot edit {}: {err}", local.display());
        return ExitCode::FAILURE;
    }
    // A service refreshes when the max age runs out, or in the background;
    // here at once.
    if let Err(err) = config.refresh().await {
        eprintln!("{err}");
        return ExitCode::FAILURE;
    }
    match tokio::time::timeout(Duration::from_secs(5), changes.changed()).await {
        Ok(Ok(())) => println!(
            "subscriber saw db_host = {} after the edit; map() gives {}",
            changes.borrow().db_host,
            db_host.get()
        ),
        _ => {
            eprintln!("the edit did not reach the subscriber");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// A typo in the file: the field keeps its default, and the load warns
/// (through `tracing`) of the entry no field reads; the doctor shows it too.
async fn typo(local: &Path) -> ExitCode {
    let typo = "\n[parameters.dev.orders.cache]\nttl_sec = 30\n";
    let mut text = std::fs::read_to_string(local).unwrap_or_default();
    text.push_str(typo);
    if let Err(err) = std::fs::write(local, text) {
        eprintln!("cannot edit {}: {err}", local.display());
        return ExitCode::FAILURE;
    }
    let report = AppConfig::loader()
        .source(FileSource::new(local))
        .var("APP_ENV", "dev")
        .diagnose()
        .await;
    println!("\nAfter adding `ttl_sec = 30` under [parameters.dev.orders.cache], the doctor says:");
    for row in report
        .rows
        .iter()
        .filter(|row| row.finding == Finding::Unused)
    {
        println!("  {}  {}", row.name, row.detail);
    }
    ExitCode::SUCCESS
}
