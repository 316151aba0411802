//! A store that reads at once and answers later, so what a call returns may
//! be older than the store by the time it arrives: the race a refresh must
//! survive. The delay is fixed or pseudo-random, and calls can be throttled
//! on demand.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ssm_config::MemorySource;
use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError, SourceErrorKind,
};

#[derive(Clone)]
pub struct Late {
    pub inner: MemorySource,
    delay: Delay,
    throttling: Arc<AtomicBool>,
    /// Which calls (by the names or path they ask for) are throttled while
    /// throttling is on.
    throttles: fn(&[String]) -> bool,
}

#[derive(Clone)]
enum Delay {
    Fixed(Duration),
    /// Below the duration, from a seeded xorshift.
    Below(Duration, Arc<Mutex<u64>>),
}

impl Late {
    /// Answers every call `delay` after reading.
    pub fn by(inner: MemorySource, delay: Duration) -> Self {
        Late {
            inner,
            delay: Delay::Fixed(delay),
            throttling: Arc::default(),
            throttles: |_| true,
        }
    }

    /// Answers each call after a pseudo-random delay below `ceiling`.
    pub fn jittered(inner: MemorySource, ceiling: Duration, seed: u64) -> Self {
        Late {
            delay: Delay::Below(ceiling, Arc::new(Mutex::new(seed | 1))),
            ..Late::by(inner, Duration::ZERO)
        }
    }

    /// While [`throttle`](Late::throttle) is on, throttles the calls
    /// `which` picks.
    pub fn throttling(self, which: fn(&[String]) -> bool) -> Self {
        Late {
            throttles: which,
            ..self
        }
    }

    pub fn throttle(&self, on: bool) {
        self.throttling.store(on, Ordering::SeqCst);
    }

    async fn answer<R>(
        &self,
        operation: &'static str,
        asked: &[String],
        read: R,
    ) -> Result<R, SourceError> {
        let delay = match &self.delay {
            Delay::Fixed(delay) => *delay,
            Delay::Below(ceiling, seed) => {
                let mut seed = seed.lock().unwrap();
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                ceiling.mul_f64((*seed >> 11) as f64 / (1u64 << 53) as f64)
            }
        };
        let throttled = self.throttling.load(Ordering::SeqCst) && (self.throttles)(asked);
        tokio::time::sleep(delay).await;
        match throttled {
            true => Err(SourceError::new(
                SourceErrorKind::Throttled,
                operation,
                "Rate exceeded",
            )),
            false => Ok(read),
        }
    }
}

impl ParameterSource for Late {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let read = self.inner.get_parameters(names, decrypt).await;
            self.answer("GetParameters", names, read).await?
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            let read = self.inner.get_parameters_by_path(query).await;
            self.answer(
                "GetParametersByPath",
                std::slice::from_ref(&query.path),
                read,
            )
            .await?
        })
    }
    fn describe(&self) -> String {
        "a store that answers late".into()
    }
}
