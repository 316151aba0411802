//! Cold load through 20 ms round trips: structs of 10, 100 and 500 names plus
//! two by-path groups, loaded from the moto emulator through the loopback
//! proxy, beside the two strategies other loaders use, in the same run:
//!
//! - `ssm-config`: `load()`, batches of 10 issued concurrently beside the walks;
//! - `sequential batches`: `GetParameters` of 10 names, one call after the
//!   other, then each walk (as ssm-cache and Powertools do);
//! - `one call per name`: `GetParameter` per name in a loop, then each walk
//!   (as many hand-written loaders do).
//!
//! ```sh
//! cargo bench --bench cold_load                          # 5 rounds, groups of 8
//! cargo bench --bench cold_load -- --rounds 3 --group-size 20
//! cargo bench --bench cold_load -- --no-peers               # without the Python peers
//! ```
//!
//! On the 100-name struct, the Python peers ssm-cache and Powertools load
//! the same names through the same proxy (`benches/peers_cold_load.py`, with
//! the versions of `benches/peers-requirements.txt`, installed into the test
//! virtualenv on first use), timed by the script itself so the interpreter's
//! start-up is left out.
//!
//! A by-path group of up to 9 parameters is one page; 10 or more take
//! several pages, one after the other (moto adds an empty last page after a
//! full one), so the group size sets the length of the longest chain.
//!
//! Prints a table (median wall time, as a multiple of one round trip, and
//! the requests the proxy saw per action) and writes it as CSV to
//! `target/bench/cold_load_groups_of_N.csv` for `scripts/plot_cold_load.py`.

#[path = "../tests/suite/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use aws_sdk_ssm::Client;
use ssm_config::{SsmConfig, plan::PlannedKind, source::AwsSource};
use support::backend::Backend as _;
use support::emulator::{self, Emulator};
use support::proxy::Proxy;

const ROUND_TRIP: Duration = Duration::from_millis(20);

#[path = "support/ten.rs"]
mod ten;
use ten::Ten;

macro_rules! load_struct {
    ($name:ident; $($group:ident),*) => {
        #[derive(SsmConfig, Debug)]
        #[ssm(prefix = "/bench")]
        #[allow(dead_code)]
        struct $name {
            $(#[ssm(nested)] $group: Ten,)*
            #[ssm(by_path = "paths/a")]
            path_a: HashMap<String, String>,
            #[ssm(by_path = "paths/b")]
            path_b: HashMap<String, String>,
        }
    };
}
load_struct!(Load10; g00);
load_struct!(Load100; g00, g01, g02, g03, g04, g05, g06, g07, g08, g09);
load_struct!(Load500;
    g00, g01, g02, g03, g04, g05, g06, g07, g08, g09, g10, g11, g12, g13, g14, g15, g16,
    g17, g18, g19, g20, g21, g22, g23, g24, g25, g26, g27, g28, g29, g30, g31, g32, g33,
    g34, g35, g36, g37, g38, g39, g40, g41, g42, g43, g44, g45, g46, g47, g48, g49);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Strategy {
    Library,
    SequentialBatches,
    OneCallPerName,
    /// A Python library, run by `benches/peers_cold_load.py`.
    Peer(&'static str),
}

impl Strategy {
    fn label(self) -> &'static str {
        match self {
            Strategy::Library => "ssm-config load()",
            Strategy::SequentialBatches => "sequential batches of 10",
            Strategy::OneCallPerName => "one call per name",
            Strategy::Peer(label) => label,
        }
    }
}

/// The Python peers measured on the 100-name struct.
const PEERS: [(&str, &str); 2] = [
    ("ssm-cache", "ssm-cache 3.0.0 (Python)"),
    ("powertools", "Powertools 3.37.0 (Python)"),
];

fn venv_python() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/moto-venv/bin/python")
}

/// Installs the peers into the test virtualenv when they are missing.
fn install_peers() {
    let python = venv_python();
    let present = std::process::Command::new(&python)
        .args(["-c", "import ssm_cache, aws_lambda_powertools"])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        let requirements =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers-requirements.txt");
        let status = std::process::Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(requirements)
            .status()
            .expect("run pip");
        assert!(status.success(), "installing the Python peers failed");
    }
}

/// One load by a Python peer; its own timing, which leaves out the
/// interpreter's start-up.
fn run_peer(peer: &str, work: &Workload, endpoint: &str) -> Duration {
    use std::io::Write as _;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers_cold_load.py");
    let mut child = std::process::Command::new(venv_python())
        .arg(script)
        .args(["--endpoint", endpoint, "--peer", peer])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the peer script");
    let input = serde_json::json!({ "names": work.names, "paths": work.paths });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().expect("the peer script");
    assert!(output.status.success(), "the {peer} load failed");
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    Duration::from_secs_f64(result["ms"].as_f64().expect("ms") / 1000.0)
}

/// The names and paths a struct reads, from its own plan.
struct Workload {
    names: Vec<String>,
    paths: Vec<String>,
    load: fn(AwsSource) -> futures::BoxFuture,
}

mod futures {
    pub type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;
}

fn workload<T: SsmConfig>() -> Workload {
    let mut names = Vec::new();
    let mut paths = Vec::new();
    for p in T::loader().plan() {
        match p.kind {
            PlannedKind::ByPath { .. } => paths.push(p.name),
            _ => names.push(p.name),
        }
    }
    Workload {
        names,
        paths,
        load: |source| {
            Box::pin(async move {
                T::loader().source(source).load().await.expect("load");
            })
        },
    }
}

async fn walk(client: &Client, path: &str) {
    let mut token = None;
    loop {
        let page = client
            .get_parameters_by_path()
            .path(path)
            .recursive(true)
            .with_decryption(true)
            .set_next_token(token)
            .send()
            .await
            .expect("GetParametersByPath");
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return;
        }
    }
}

/// One cold load; returns its wall time.
async fn run(strategy: Strategy, work: &Workload, endpoint: &str) -> Duration {
    if let Strategy::Peer(label) = strategy {
        let (peer, _) = PEERS.iter().find(|(_, l)| *l == label).expect("a peer");
        return run_peer(peer, work, endpoint);
    }
    let began = Instant::now();
    let client = emulator::ssm_client(endpoint);
    match strategy {
        Strategy::Library => (work.load)(AwsSource::new(client)).await,
        Strategy::SequentialBatches => {
            for batch in work.names.chunks(10) {
                let out = client
                    .get_parameters()
                    .set_names(Some(batch.to_vec()))
                    .with_decryption(true)
                    .send()
                    .await
                    .expect("GetParameters");
                assert_eq!(out.parameters().len(), batch.len());
            }
            for path in &work.paths {
                walk(&client, path).await;
            }
        }
        Strategy::OneCallPerName => {
            for name in &work.names {
                client
                    .get_parameter()
                    .name(name)
                    .with_decryption(true)
                    .send()
                    .await
                    .expect("GetParameter");
            }
            for path in &work.paths {
                walk(&client, path).await;
            }
        }
        Strategy::Peer(_) => unreachable!("run above"),
    }
    began.elapsed()
}

async fn seed(emulator: &Emulator, work: &Workload, group_size: usize) {
    let mut all: Vec<String> = work.names.clone();
    for path in &work.paths {
        all.extend((0..group_size).map(|i| format!("{path}/p{i:02}")));
    }
    for name in all {
        emulator.put(&name, "v").await;
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

struct Row {
    names: usize,
    strategy: Strategy,
    delay: Duration,
    median: Duration,
    requests: BTreeMap<String, u64>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let option = |name: &str, default: usize| -> usize {
        std::env::args()
            .skip_while(|a| a != name)
            .nth(1)
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let rounds = option("--rounds", 5);
    let group_size = option("--group-size", 8);
    let with_peers = !std::env::args().any(|a| a == "--no-peers");
    let emulator = Emulator::start().await.expect(
        "the moto emulator is needed: run `cargo test --test suite emulator::` once to install it",
    );
    let workloads = [
        (10, workload::<Load10>()),
        (100, workload::<Load100>()),
        (500, workload::<Load500>()),
    ];
    seed(&emulator, &workloads[2].1, group_size).await;
    let proxy = Proxy::start(&emulator.endpoint).await;

    let mut rows = Vec::new();
    for (names, work) in &workloads {
        assert_eq!(work.names.len(), *names);
        let mut cases: Vec<(Strategy, Duration)> = vec![
            (Strategy::Library, Duration::ZERO),
            (Strategy::Library, ROUND_TRIP),
            (Strategy::SequentialBatches, ROUND_TRIP),
            (Strategy::OneCallPerName, ROUND_TRIP),
        ];
        if *names == 100 && with_peers {
            install_peers();
            cases.extend(PEERS.map(|(_, label)| (Strategy::Peer(label), ROUND_TRIP)));
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
        let mut requests = vec![BTreeMap::new(); cases.len()];
        for _ in 0..rounds {
            for (i, (strategy, delay)) in cases.iter().enumerate() {
                proxy.set_delay(*delay);
                proxy.reset_counts();
                times[i].push(run(*strategy, work, &proxy.endpoint()).await);
                requests[i] = proxy.requests();
            }
        }
        for (i, (strategy, delay)) in cases.into_iter().enumerate() {
            rows.push(Row {
                names: *names,
                strategy,
                delay,
                median: median(times[i].clone()),
                requests: requests[i].clone(),
            });
        }
    }
    report(&rows, rounds, group_size);
}

fn report(rows: &[Row], rounds: usize, group_size: usize) {
    println!(
        "cold load from moto through the loopback proxy, median of {rounds} interleaved rounds; \
         each struct also has 2 by-path groups of {group_size} parameters\n"
    );
    println!(
        "| names | strategy | added delay | wall time | round trips | vs ssm-config | requests |"
    );
    println!("|---:|---|---:|---:|---:|---:|---|");
    let mut csv = String::from("names,strategy,delay_ms,median_ms,round_trips,requests\n");
    for row in rows {
        let library = rows
            .iter()
            .find(|r| {
                r.names == row.names && r.strategy == Strategy::Library && r.delay == row.delay
            })
            .map(|r| r.median);
        let ratio = match library {
            Some(l) if row.delay > Duration::ZERO => {
                format!("{:.1}x", row.median.as_secs_f64() / l.as_secs_f64())
            }
            _ => "".into(),
        };
        let trips = if row.delay > Duration::ZERO {
            format!("{:.1}", row.median.as_secs_f64() / row.delay.as_secs_f64())
        } else {
            "".into()
        };
        let requests: Vec<String> = row
            .requests
            .iter()
            .map(|(action, n)| format!("{n} {action}"))
            .collect();
        let total: u64 = row.requests.values().sum();
        println!(
            "| {} | {} | {} ms | {:.0} ms | {trips} | {ratio} | {} ({}) |",
            row.names,
            row.strategy.label(),
            row.delay.as_millis(),
            row.median.as_secs_f64() * 1e3,
            total,
            requests.join(", ")
        );
        let _ = writeln!(
            csv,
            "{},{},{},{:.1},{trips},{total}",
            row.names,
            row.strategy.label(),
            row.delay.as_millis(),
            row.median.as_secs_f64() * 1e3
        );
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let file = format!("cold_load_groups_of_{group_size}.csv");
    std::fs::write(dir.join(&file), csv).expect("write the CSV");
    println!("\nwritten: target/bench/{file}");
}
