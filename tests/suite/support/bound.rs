//! Runs a test body on tokio's paused clock in a thread of its own, under a
//! real-time bound: a library that spins keeps the paused clock from moving,
//! and the bound turns that hang into a failure.

use std::future::Future;
use std::time::{Duration, Instant};

/// Real time a paused-clock test may take, however much simulated time it
/// covers.
const REAL_BOUND: Duration = Duration::from_secs(60);

/// Runs `body` on a fresh current-thread runtime with a paused clock;
/// fails if it has not finished after [`REAL_BOUND`] of real time.
pub fn on_paused_clock<F, Fut>(body: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let worker = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
            .block_on(body());
    });
    let deadline = Instant::now() + REAL_BOUND;
    while !worker.is_finished() {
        assert!(
            Instant::now() < deadline,
            "no end after {REAL_BOUND:?} of real time: something spins"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}
