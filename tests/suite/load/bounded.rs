//! Bounded work: a `GetParametersByPath` walk ends on any repeated token
//! and at a page cap, and yields between pages so a timeout around a load
//! fires; the untyped cache holds a bounded number of entries, and every
//! untyped call, a write included, has the call timeout. Each test stops
//! by itself whether or not the library behaves.

use ssm_config::source::Limits;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ssm_config::error::ErrorKind;
use ssm_config::{
    MemorySource, SsmConfig,
    source::{
        BoxFuture, ParameterInfo, ParameterSource, ParameterType, ParameterWriter,
        ParametersOutput, PathPage, PathQuery, PutParameter, SourceError, SourceErrorKind,
    },
    untyped::Parameters,
};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/walk")]
struct Walked {
    #[ssm(by_path = "all")]
    #[allow(dead_code)]
    all: BTreeMap<String, String>,
}

/// Answers every page at once with the token `next(page number)`.
#[derive(Clone)]
struct Paging {
    next: fn(usize) -> Option<String>,
    pages: Arc<AtomicUsize>,
}

impl Paging {
    fn new(next: fn(usize) -> Option<String>) -> Self {
        Paging {
            next,
            pages: Arc::default(),
        }
    }
}

impl ParameterSource for Paging {
    fn get_parameters<'a>(
        &'a self,
        _names: &'a [String],
        _decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async { Ok(ParametersOutput::default()) })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        _query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        let page = self.pages.fetch_add(1, Ordering::SeqCst);
        let next_token = (self.next)(page);
        Box::pin(async move {
            Ok(PathPage {
                parameters: Vec::new(),
                next_token,
            })
        })
    }
    fn describe(&self) -> String {
        "paging test source".into()
    }
}

/// Runs `load` on its own thread and runtime, giving up after 10 s, so a
/// walk that never ends fails the test instead of hanging it.
fn bounded<T: Send + 'static>(
    load: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>
    + Send
    + 'static,
) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let _ = done.send(runtime.block_on(load()));
    });
    result
        .recv_timeout(Duration::from_secs(10))
        .expect("the walk ended within the bound")
}

#[test]
fn a_walk_ends_on_a_token_cycle() {
    // a, b, c, a, b, c, ...: no token twice in a row, yet a cycle.
    let source = Paging::new(|page| Some(["a", "b", "c"][page % 3].to_owned()));
    let pages = Arc::clone(&source.pages);
    let err = bounded(move || Box::pin(async move { Walked::fetch(source.clone()).await }))
        .unwrap_err()
        .to_string();
    assert!(err.contains("NextToken `a` again"), "{err}");
    assert_eq!(pages.load(Ordering::SeqCst), 4, "stopped at the repeat");
}

#[test]
fn a_walk_ends_at_the_page_cap() {
    let source = Paging::new(|page| Some(format!("t{page}")));
    let pages = Arc::clone(&source.pages);
    let err = bounded(move || {
        Box::pin(async move {
            Walked::loader()
                .source(source)
                .limits(Limits::new().max_pages(50))
                .fetch()
                .await
        })
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("more than 50 pages"),
        "the error names the cap: {err}"
    );
    assert_eq!(pages.load(Ordering::SeqCst), 50);
}

#[test]
fn a_timeout_around_an_endless_walk_fires() {
    let source = Paging::new(|page| Some(format!("t{page}")));
    let outcome = bounded(move || {
        Box::pin(async move {
            let load = Walked::loader()
                .source(source)
                .limits(Limits::new().max_pages(usize::MAX))
                .fetch();
            tokio::time::timeout(Duration::from_millis(100), load).await
        })
    });
    assert!(outcome.is_err(), "the timeout fired");
}

#[tokio::test]
async fn the_untyped_cache_holds_at_most_its_bound() {
    let memory = MemorySource::new();
    for name in ["a", "b", "c", "d", "e"] {
        memory.put(&format!("/u/{name}"), name);
    }
    let parameters = Parameters::new(memory.clone()).max_entries(3);
    for name in ["a", "b", "c", "d", "e"] {
        parameters.get(&format!("/u/{name}")).await.unwrap();
    }
    assert_eq!(memory.calls().get_parameters, 5);
    parameters.get("/u/e").await.unwrap();
    assert_eq!(memory.calls().get_parameters, 5, "the newest is cached");
    parameters.get("/u/a").await.unwrap();
    assert_eq!(memory.calls().get_parameters, 6, "the oldest was evicted");
    assert!(parameters.cached_entries() <= 3);
}

/// A writer that never answers, but for `parameter_info` when it `knows`
/// the parameter: every call it stalls is one a deadline must end.
struct StalledWriter {
    knows: bool,
}

impl ParameterSource for StalledWriter {
    fn get_parameters<'a>(
        &'a self,
        _names: &'a [String],
        _decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(std::future::pending())
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        _query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(std::future::pending())
    }
    fn describe(&self) -> String {
        "stalled writer".into()
    }
}

impl ParameterWriter for StalledWriter {
    fn parameter_info<'a>(
        &'a self,
        _name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ParameterInfo>, SourceError>> {
        match self.knows {
            true => Box::pin(std::future::ready(Ok(Some(ParameterInfo {
                kind: ParameterType::String,
                key_id: None,
            })))),
            false => Box::pin(std::future::pending()),
        }
    }
    fn put_parameter<'a>(
        &'a self,
        _put: &'a PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>> {
        Box::pin(std::future::pending())
    }
}

/// Every untyped call has the call timeout (6 s by default), writes
/// included: on a writer that never answers, `info` and `update` fail as
/// timeouts naming the call, as `get` and `path_exists` do, instead of
/// waiting for ever (here: a day of paused clock).
#[test]
fn untyped_calls_time_out_on_a_stalled_writer() {
    crate::support::bound::on_paused_clock(|| async {
        let day = Duration::from_secs(24 * 60 * 60);
        let bounded = |name: &'static str| {
            move |answer: Result<ssm_config::Error, tokio::time::error::Elapsed>| {
                answer.unwrap_or_else(|_| panic!("`{name}` still waits after a day"))
            }
        };
        let stalled = Parameters::writable(StalledWriter { knows: false });
        let started = tokio::time::Instant::now();
        let get = tokio::time::timeout(day, async { stalled.get("/u/a").await.unwrap_err() });
        let get = bounded("get")(get.await);
        let exists =
            tokio::time::timeout(day, async { stalled.path_exists("/u").await.unwrap_err() });
        let exists = bounded("path_exists")(exists.await);
        let info = tokio::time::timeout(day, async { stalled.info("/u/a").await.unwrap_err() });
        let info = bounded("info")(info.await);
        let writes = Parameters::writable(StalledWriter { knows: true });
        let update =
            tokio::time::timeout(day, async { writes.update("/u/a", "2").await.unwrap_err() });
        let update = bounded("update")(update.await);
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(4 * 6),
            "each call gave up at the call timeout"
        );
        for (err, operation) in [
            (get, "GetParameters"),
            (exists, "GetParametersByPath"),
            (info, "DescribeParameters"),
            (update, "PutParameter"),
        ] {
            assert_eq!(
                err.kind(),
                ErrorKind::Source(SourceErrorKind::Timeout),
                "{err}"
            );
            let error = err.source_errors().next().expect("a source error");
            assert_eq!(error.operation(), operation, "{err}");
            assert!(err.to_string().contains("no answer within 6s"), "{err}");
        }
    });
}
