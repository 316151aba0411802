//! Read latency while the configuration is being refreshed over and over,
//! beside idle reads, in the same run: `Live::get()` against an
//! `RwLock<Arc<T>>` whose writer publishes the same refreshes.
//!
//! ```sh
//! cargo bench -p ssm-config --bench reads_during_refresh
//! ```
//!
//! Each read is timed on its own (the clock's own cost, the `timer only`
//! row, is included in every figure). One thread reads while another
//! refreshes; rounds are interleaved and the table gives the median of each
//! round's median, p99 and p99.9.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use ssm_config::{Live, MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/bench")]
#[allow(dead_code)] // read through black_box only
struct Config {
    host: String,
    port: u16,
    replicas: Vec<String>,
    timeout_ms: u64,
}

/// Work for the other thread: runs until the flag is set, counting swaps.
type Busy = Arc<dyn Fn(&AtomicBool, &AtomicU64) + Send + Sync>;

const READS: usize = 1_000_000;
const ROUNDS: usize = 5;

#[derive(Clone, Copy)]
struct Percentiles {
    median: u64,
    p99: u64,
    p999: u64,
}

fn timed_reads(read: &dyn Fn()) -> Percentiles {
    let mut nanos: Vec<u64> = Vec::with_capacity(READS);
    for _ in 0..READS {
        let began = Instant::now();
        read();
        nanos.push(began.elapsed().as_nanos() as u64);
    }
    nanos.sort_unstable();
    let at = |q: f64| nanos[((nanos.len() as f64 * q) as usize).min(nanos.len() - 1)];
    Percentiles {
        median: at(0.5),
        p99: at(0.99),
        p999: at(0.999),
    }
}

fn median_of(values: impl Iterator<Item = u64>) -> u64 {
    let mut v: Vec<u64> = values.collect();
    v.sort_unstable();
    v[v.len() / 2]
}

/// Runs `read` on this thread while `busy` runs on another until the reads
/// end; `busy` gets a stop flag and counts what it did.
fn with_background(busy: Option<Busy>, read: &dyn Fn()) -> (Percentiles, u64) {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let worker = busy.map(|busy| {
        let (stop, done) = (stop.clone(), done.clone());
        std::thread::spawn(move || busy(&stop, &done))
    });
    let result = timed_reads(read);
    stop.store(true, Ordering::SeqCst);
    if let Some(worker) = worker {
        worker.join().unwrap();
    }
    (result, done.load(Ordering::SeqCst))
}

fn main() {
    let runtime = Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    );
    let store = MemorySource::new();
    store.put("/bench/host", "db-a");
    store.put("/bench/port", "5432");
    store.put_string_list("/bench/replicas", ["r1", "r2", "r3"]);
    store.put("/bench/timeout_ms", "250");
    let live: Live<Config> = runtime
        .block_on(Config::loader().source(store.clone()).load())
        .unwrap();
    let rwlock = Arc::new(RwLock::new(live.get().into_arc()));

    let refresh_live: Busy = {
        let (live, store, runtime) = (live.clone(), store.clone(), runtime.clone());
        Arc::new(move |stop, done| {
            // Every refresh changes a value, so every one swaps a new snapshot.
            let mut flip = false;
            while !stop.load(Ordering::Relaxed) {
                flip = !flip;
                store.put("/bench/host", if flip { "db-b" } else { "db-a" });
                runtime.block_on(live.refresh()).unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // The same refresh, its result published through the lock: the same
    // rate of swaps as `Live` sees.
    let swap_rwlock: Busy = {
        let (rwlock, live, store, runtime) =
            (rwlock.clone(), live.clone(), store.clone(), runtime.clone());
        Arc::new(move |stop, done| {
            let mut flip = false;
            while !stop.load(Ordering::Relaxed) {
                flip = !flip;
                store.put("/bench/host", if flip { "db-b" } else { "db-a" });
                let fresh = runtime.block_on(live.refresh()).unwrap();
                *rwlock.write().unwrap() = fresh.into_arc();
                done.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let read_live = || {
        black_box(live.get());
    };
    let read_rwlock = || {
        black_box(Arc::clone(&rwlock.read().unwrap()));
    };
    let timer_only = || {};
    type Case<'a> = (&'a str, &'a dyn Fn(), Option<Busy>);
    let cases: Vec<Case<'_>> = vec![
        ("timer only", &timer_only, None),
        ("Live::get, idle", &read_live, None),
        (
            "Live::get, refresh running",
            &read_live,
            Some(refresh_live.clone()),
        ),
        ("RwLock<Arc<T>> read, idle", &read_rwlock, None),
        (
            "RwLock<Arc<T>> read, refresh running",
            &read_rwlock,
            Some(swap_rwlock.clone()),
        ),
    ];

    let mut rounds: Vec<Vec<(Percentiles, u64)>> = vec![Vec::new(); cases.len()];
    for _ in 0..ROUNDS {
        for (i, (_, read, busy)) in cases.iter().enumerate() {
            rounds[i].push(with_background(busy.clone(), *read));
        }
    }
    println!(
        "read latency, {READS} timed reads on one thread, another thread refreshing; median of {ROUNDS} interleaved rounds"
    );
    println!(
        "{:<38} {:>9} {:>9} {:>10} {:>16}",
        "case", "median ns", "p99 ns", "p99.9 ns", "swaps per round"
    );
    for (i, (name, _, busy)) in cases.iter().enumerate() {
        let r = &rounds[i];
        let swaps = median_of(r.iter().map(|(_, n)| *n));
        println!(
            "{name:<38} {:>9} {:>9} {:>10} {:>16}",
            median_of(r.iter().map(|(p, _)| p.median)),
            median_of(r.iter().map(|(p, _)| p.p99)),
            median_of(r.iter().map(|(p, _)| p.p999)),
            if busy.is_some() {
                swaps.to_string()
            } else {
                "-".into()
            },
        );
    }
}
