//! What one read of the configuration costs: `Live::get()` beside the
//! baselines a hand-written service would use, `RwLock<Arc<T>>` and
//! `Mutex<Arc<T>>`, reading the same struct, on 1 and 2 threads, in one run.
//!
//! ```sh
//! cargo bench -p ssm-config --bench read_cost
//! ```
//!
//! Rounds are interleaved (each candidate once per round) so that noise from
//! a shared machine falls on all of them alike; the table gives medians and
//! ratios to the `RwLock` read.

use ssm_config::live::RefreshPolicy;
use std::hint::black_box;
use std::sync::{Arc, Barrier, Mutex, RwLock};
use std::time::{Duration, Instant};

use ssm_config::{Live, MemorySource, Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/bench")]
#[allow(dead_code)] // read through black_box only
struct Config {
    host: String,
    port: u16,
    password: Secret<String>,
    replicas: Vec<String>,
    timeout_ms: u64,
}

const READS_PER_THREAD: u64 = 2_000_000;
const ROUNDS: usize = 7;

type Read = Arc<dyn Fn() + Send + Sync>;

/// Nanoseconds per read on the slowest of `threads` threads.
fn per_read(read: &Read, threads: usize) -> f64 {
    let start = Arc::new(Barrier::new(threads + 1));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (read, start) = (Arc::clone(read), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let began = Instant::now();
                for _ in 0..READS_PER_THREAD {
                    read();
                }
                began.elapsed()
            })
        })
        .collect();
    start.wait();
    let slowest = workers
        .into_iter()
        .map(|w| w.join().unwrap())
        .max()
        .unwrap();
    slowest.as_secs_f64() * 1e9 / READS_PER_THREAD as f64
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = MemorySource::new();
    store.put("/bench/host", "db.internal");
    store.put("/bench/port", "5432");
    store.put_secure("/bench/password", "secret");
    store.put_string_list("/bench/replicas", ["r1", "r2", "r3"]);
    store.put("/bench/timeout_ms", "250");
    let load = |max_age: Option<Duration>| -> Live<Config> {
        let loader = Config::loader().source(store.clone());
        let loader = match max_age {
            Some(max_age) => loader.refresh(RefreshPolicy::new().max_age(max_age)),
            None => loader,
        };
        runtime.block_on(loader.load()).unwrap()
    };
    let config = load(Some(Duration::from_secs(3600)));
    let shared = config.get().into_arc();
    let rwlock = Arc::new(RwLock::new(Arc::clone(&shared)));
    let borrowed_rwlock = Arc::clone(&rwlock);
    let mutex = Arc::new(Mutex::new(Arc::clone(&shared)));
    let owning_config = config.clone();

    let candidates: Vec<(&str, Read)> = vec![
        (
            "RwLock<Arc<T>> read + clone (baseline)",
            Arc::new(move || {
                black_box(Arc::clone(&rwlock.read().unwrap()));
            }),
        ),
        (
            "RwLock<Arc<T>> read, no clone",
            Arc::new(move || {
                black_box(&borrowed_rwlock.read().unwrap().port);
            }),
        ),
        (
            "Mutex<Arc<T>> lock + clone",
            Arc::new(move || {
                black_box(Arc::clone(&mutex.lock().unwrap()));
            }),
        ),
        (
            "Live::get (snapshot), max_age set",
            Arc::new(move || {
                black_box(config.get());
            }),
        ),
        (
            "Live::get().into_arc(), max_age set",
            Arc::new(move || {
                black_box(owning_config.get().into_arc());
            }),
        ),
    ];

    let mut medians = Vec::new();
    for threads in [1, 2] {
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); candidates.len()];
        for _ in 0..ROUNDS {
            for (i, (_, read)) in candidates.iter().enumerate() {
                samples[i].push(per_read(read, threads));
            }
        }
        medians.push(samples.into_iter().map(median).collect::<Vec<f64>>());
    }
    println!(
        "read cost: {READS_PER_THREAD} reads per thread, median of {ROUNDS} interleaved rounds"
    );
    println!(
        "{:<40} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "candidate", "1t ns", "1t ratio", "2t ns", "2t ratio", "2t/1t"
    );
    for (i, (name, _)) in candidates.iter().enumerate() {
        let (one, two) = (medians[0][i], medians[1][i]);
        println!(
            "{name:<40} {one:>9.1} {:>9.2} {two:>9.1} {:>9.2} {:>9.2}",
            one / medians[0][0],
            two / medians[1][0],
            two / one
        );
    }
}
