//! Memory and calls of a live handle through an outage that never ends:
//! a store that accepts every call and never answers, and a parser that
//! panics on every refresh, beside a healthy store as the baseline, in the
//! same process. Real handles on tokio's paused clock, max age 5 s; the
//! figures are taken after 10, 100 and 1,000 max ages. Flat means the
//! outage costs a bounded number of calls per max age and no memory that
//! grows with time.
//!
//! ```sh
//! cargo bench --bench outage
//! ```

use ssm_config::live::RefreshPolicy;
use std::convert::Infallible;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
};
use ssm_config::{MemorySource, SsmConfig};

const MAX_AGE: Duration = Duration::from_secs(5);
const CHECKPOINTS: [u32; 3] = [10, 100, 1_000];

/// Parses anything but `boom`, on which it panics.
#[derive(Debug)]
struct Touchy(#[allow(dead_code)] String);

impl FromStr for Touchy {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<Self, Infallible> {
        assert!(s != "boom", "cannot parse {s}");
        Ok(Touchy(s.to_owned()))
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/outage")]
#[allow(dead_code)]
struct Service {
    host: String,
    port: u16,
    value: Touchy,
}

/// Counts calls; while stalled, a call never answers.
#[derive(Clone)]
struct Store {
    inner: MemorySource,
    stalled: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
}

impl ParameterSource for Store {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if self.stalled.load(Ordering::Relaxed) {
                std::future::pending::<()>().await;
            }
            self.inner.get_parameters(names, decrypt).await
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.inner.get_parameters_by_path(query)
    }
    fn describe(&self) -> String {
        "outage bench store".into()
    }
}

#[derive(Clone, Copy)]
enum Outage {
    None,
    Stall,
    Panic,
}

impl Outage {
    fn label(self) -> &'static str {
        match self {
            Outage::None => "healthy (baseline)",
            Outage::Stall => "store stalls",
            Outage::Panic => "parser panics",
        }
    }
}

/// Resident memory of this process, in KiB.
fn resident_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

/// Calls and resident memory at each checkpoint.
fn run(outage: Outage) -> Vec<(usize, u64)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let inner = MemorySource::new();
        inner.put("/outage/host", "db");
        inner.put("/outage/port", "5432");
        inner.put("/outage/value", "fine");
        let store = Store {
            inner: inner.clone(),
            stalled: Arc::default(),
            calls: Arc::default(),
        };
        let config = Service::loader()
            .source(store.clone())
            .refresh(RefreshPolicy::new().max_age(MAX_AGE))
            .load()
            .await
            .unwrap();
        match outage {
            Outage::None => {}
            Outage::Stall => store.stalled.store(true, Ordering::Relaxed),
            Outage::Panic => {
                inner.put("/outage/value", "boom");
            }
        }
        let mut figures = Vec::new();
        let mut elapsed = 0;
        for checkpoint in CHECKPOINTS {
            tokio::time::sleep(MAX_AGE * (checkpoint - elapsed)).await;
            elapsed = checkpoint;
            figures.push((store.calls.load(Ordering::Relaxed), resident_kib()));
        }
        assert_eq!(config.get().host, "db");
        figures
    })
}

fn main() {
    // The panicking parser panics on every refresh; its messages would
    // flood the output.
    std::panic::set_hook(Box::new(|_| {}));
    println!(
        "a live handle through an endless outage, max age {} s, paused clock; calls and resident memory after 10, 100 and 1,000 max ages\n",
        MAX_AGE.as_secs()
    );
    println!(
        "| outage | calls at 10 | at 100 | at 1,000 | calls per max age (100 to 1,000) | resident KiB at 10 | at 100 | at 1,000 | growth 10 to 1,000 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for outage in [Outage::None, Outage::Stall, Outage::Panic, Outage::None] {
        let figures = run(outage);
        let [(c10, m10), (c100, m100), (c1000, m1000)] = figures[..] else {
            unreachable!("three checkpoints")
        };
        println!(
            "| {} | {c10} | {c100} | {c1000} | {:.2} | {m10} | {m100} | {m1000} | {:+} KiB |",
            outage.label(),
            (c1000 - c100) as f64 / 900.0,
            m1000 as i64 - m10 as i64
        );
    }
}
