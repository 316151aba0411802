//! The store every instance of the fleet reads: a `MemorySource` behind a
//! counter of calls per simulated second, throttling above the quota when
//! asked to.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ssm_config::MemorySource;
use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError, SourceErrorKind,
};
use tokio::time::Instant;

use crate::{QUOTA, jittered};

/// The store every instance reads: counts calls per simulated second.
#[derive(Clone)]
pub(crate) struct Recorder {
    pub(crate) inner: MemorySource,
    /// Second 0 of `per_second`.
    pub(crate) start: Arc<Mutex<Instant>>,
    pub(crate) per_second: Arc<Mutex<Vec<u64>>>,
    /// With a quota: a token bucket of `QUOTA` a second, and the calls it
    /// throttled.
    bucket: Arc<Mutex<Option<Bucket>>>,
    pub(crate) throttled: Arc<Mutex<u64>>,
    /// Attempts per call: 3 models the SDK's standard retries, 1 a source
    /// that fails at the first throttle (or a spent retry budget).
    pub(crate) attempts: u32,
}

/// `QUOTA` tokens a second, at most `QUOTA` saved up.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(at: Instant) -> Self {
        Bucket {
            tokens: QUOTA as f64,
            at,
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * QUOTA as f64;
        self.tokens = (self.tokens + refill).min(QUOTA as f64);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Recorder {
    pub(crate) fn new(start: Instant, quota: bool, seconds: Duration) -> Self {
        let inner = MemorySource::new();
        for g in 0..10 {
            for f in 0..10 {
                inner.put(&format!("/fleet/g{g}/f{f}"), "value");
            }
        }
        inner.put("/fleet/version", "1");
        Recorder {
            inner,
            start: Arc::new(Mutex::new(start)),
            per_second: Arc::new(Mutex::new(vec![0; seconds.as_secs() as usize])),
            bucket: Arc::new(Mutex::new(quota.then(|| Bucket::full(start)))),
            throttled: Arc::default(),
            attempts: 3,
        }
    }

    /// From now on: count from zero, with no quota.
    pub(crate) fn restart(&self) {
        *self.start.lock().unwrap() = Instant::now();
        self.per_second.lock().unwrap().fill(0);
        *self.throttled.lock().unwrap() = 0;
        *self.bucket.lock().unwrap() = None;
    }

    /// From now on: count from zero, and throttle above the quota.
    pub(crate) fn restart_with_quota(&self) {
        let now = Instant::now();
        *self.start.lock().unwrap() = now;
        self.per_second.lock().unwrap().fill(0);
        *self.throttled.lock().unwrap() = 0;
        *self.bucket.lock().unwrap() = Some(Bucket::full(now));
    }

    /// What the AWS SDK's standard retry mode does with a throttled call:
    /// up to 3 attempts, waiting a random time below 1 s, then 2 s.
    pub(crate) async fn admit(&self, operation: &'static str) -> Result<(), SourceError> {
        let elapsed = self.start.lock().unwrap().elapsed();
        let mut seed = elapsed.as_nanos() as u64 | 1;
        for attempt in 0..self.attempts {
            match self.record(operation) {
                Ok(()) => return Ok(()),
                Err(err) if attempt + 1 == self.attempts => return Err(err),
                Err(_) => {
                    let ceiling = Duration::from_secs(1) * 2u32.pow(attempt);
                    tokio::time::sleep(jittered(&mut seed, ceiling)).await;
                }
            }
        }
        unreachable!("the last attempt returns")
    }

    /// Counts a call; `Err` when the quota throttles it.
    pub(crate) fn record(&self, operation: &'static str) -> Result<(), SourceError> {
        let second = self.start.lock().unwrap().elapsed().as_secs() as usize;
        if let Some(count) = self.per_second.lock().unwrap().get_mut(second) {
            *count += 1;
        }
        let admitted = self
            .bucket
            .lock()
            .unwrap()
            .as_mut()
            .is_none_or(Bucket::take);
        match admitted {
            false => {
                *self.throttled.lock().unwrap() += 1;
                Err(SourceError::new(
                    SourceErrorKind::Throttled,
                    operation,
                    "Rate exceeded",
                ))
            }
            true => Ok(()),
        }
    }
}

impl ParameterSource for Recorder {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            self.admit("GetParameters").await?;
            self.inner.get_parameters(names, decrypt).await
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            self.admit("GetParametersByPath").await?;
            self.inner.get_parameters_by_path(query).await
        })
    }
    fn describe(&self) -> String {
        "fleet recorder".into()
    }
}
