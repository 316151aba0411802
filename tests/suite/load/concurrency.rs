//! Batches go out concurrently, up to the configured bound.

use ssm_config::source::Limits;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ssm_config::{
    MemorySource, SsmConfig,
    source::{BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError},
};

/// Delays every call and records how many were in flight at once.
#[derive(Clone, Default)]
struct Slow {
    inner: MemorySource,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Slow {
    async fn delayed<T>(&self, call: BoxFuture<'_, T>) -> T {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let result = call.await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        result
    }
}

impl ParameterSource for Slow {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(self.delayed(self.inner.get_parameters(names, decrypt)))
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(self.delayed(self.inner.get_parameters_by_path(query)))
    }

    fn describe(&self) -> String {
        "slow test source".into()
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/wide")]
#[allow(dead_code)] // loaded to be counted, not read
struct Wide {
    #[ssm(by_path = "/wide")]
    everything: std::collections::HashMap<String, String>,
    #[ssm(nested)]
    a: Ten,
    #[ssm(nested)]
    b: Ten,
    #[ssm(nested)]
    c: Ten,
}

#[derive(SsmConfig, Debug)]
#[allow(dead_code)]
struct Ten {
    v0: u8,
    v1: u8,
    v2: u8,
    v3: u8,
    v4: u8,
    v5: u8,
    v6: u8,
    v7: u8,
    v8: u8,
    v9: u8,
}

fn seeded() -> Slow {
    let slow = Slow::default();
    for group in ["a", "b", "c"] {
        for i in 0..10 {
            slow.inner
                .put(&format!("/wide/{group}/v{i}"), &i.to_string());
        }
    }
    slow
}

#[tokio::test]
async fn batches_and_path_walks_are_in_flight_together() {
    let slow = seeded();
    let config = Wide::loader().source(slow.clone()).fetch().await.unwrap();
    assert_eq!(config.c.v9, 9);
    let calls = slow.inner.calls();
    assert_eq!(calls.get_parameters, 3);
    // 3 batches and the first page of the walk, all at once.
    assert_eq!(slow.peak.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn the_bound_is_respected() {
    let slow = seeded();
    Wide::loader()
        .source(slow.clone())
        .limits(Limits::new().max_concurrency(2))
        .fetch()
        .await
        .unwrap();
    assert_eq!(slow.peak.load(Ordering::SeqCst), 2);
    let slow = seeded();
    Wide::loader()
        .source(slow.clone())
        .limits(Limits::new().max_concurrency(1))
        .fetch()
        .await
        .unwrap();
    assert_eq!(slow.peak.load(Ordering::SeqCst), 1);
}
