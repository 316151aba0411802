//! Untyped access: parameters by names known only at run time, with the same
//! batching, conversion, secret and max-age rules as a derived struct.

mod depth;
mod value;

pub use depth::Depth;
pub use value::Value;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, Problem};
use crate::name::{self, split_selector};
use crate::pipeline::deadline::{Timed, TimedWriter};
use crate::pipeline::fetch;
use crate::pipeline::fetch::fetched::NameOutcome;
use crate::pipeline::resolve::resolved::{NameRequest, PathRequest, Requests};
use crate::source::Limits;
use crate::source::{
    AwsSource, ParameterInfo, ParameterSource, ParameterWriter, PathFilters, PathQuery,
    PutParameter, SourceError, SourceErrorKind,
};
use value::UNTYPED;

/// Parameters by name, for names known only at run time: the untyped
/// counterpart of `#[derive(SsmConfig)]` (ssm-cache's `SSMParameter` and
/// `SSMParameterGroup`, s1crets' `get`, `get_by_path`, `path_exists`,
/// `update`).
///
/// Values are cached per name and per path. With
/// [`max_age`](Parameters::max_age) an entry is fetched again once it is
/// older; without, it stays until [`clear_cache`](Parameters::clear_cache)
/// or an [`update`](Parameters::update) of that name. Clones share the cache.
///
/// ```
/// use ssm_config::{MemorySource, untyped::Parameters};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// let source = MemorySource::new();
/// source.put("/app/port", "8080");
/// source.put_secure("/app/token", "t0k3n");
/// let parameters = Parameters::new(source);
///
/// let port: u16 = parameters.get("/app/port").await?.parse()?;
/// let many = parameters.get_many(&["/app/port", "/app/token"]).await?;
/// let token = many["/app/token"].secret::<String>()?;
/// assert_eq!((port, token.expose_secret().as_str()), (8080, "t0k3n"));
/// assert!(many["/app/token"].parse::<String>().is_err(), "a SecureString needs secret()");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Parameters {
    source: Arc<dyn ParameterSource>,
    /// The same source, when it can write.
    writer: Option<Arc<dyn ParameterWriter>>,
    max_age: Option<Duration>,
    limits: Limits,
    max_entries: usize,
    cache: Arc<Mutex<Cache>>,
}

/// Default for [`Parameters::max_entries`].
const DEFAULT_MAX_ENTRIES: usize = 1_000;

#[derive(Default)]
struct Cache {
    names: HashMap<String, (Value, Instant)>,
    paths: HashMap<(String, Depth), (BTreeMap<String, Value>, Instant)>,
}

impl Cache {
    fn len(&self) -> usize {
        self.names.len() + self.paths.len()
    }

    /// Evicts the oldest entries until one more fits under `max_entries`.
    fn make_room(&mut self, max_entries: usize) {
        while self.len() >= max_entries.max(1) {
            let oldest_name = self
                .names
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(name, (_, at))| (name.clone(), *at));
            let oldest_path = self
                .paths
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(key, (_, at))| (key.clone(), *at));
            match (oldest_name, oldest_path) {
                (Some((name, a)), Some((_, b))) if a <= b => drop(self.names.remove(&name)),
                (_, Some((key, _))) => drop(self.paths.remove(&key)),
                (Some((name, _)), None) => drop(self.names.remove(&name)),
                (None, None) => return,
            }
        }
    }

    fn insert_name(&mut self, name: String, value: Value, at: Instant, max_entries: usize) {
        if !self.names.contains_key(&name) {
            self.make_room(max_entries);
        }
        self.names.insert(name, (value, at));
    }

    fn insert_path(
        &mut self,
        key: (String, Depth),
        values: BTreeMap<String, Value>,
        at: Instant,
        max_entries: usize,
    ) {
        if !self.paths.contains_key(&key) {
            self.make_room(max_entries);
        }
        self.paths.insert(key, (values, at));
    }
}

impl Parameters {
    /// Parameters from any source, read only: [`info`](Parameters::info)
    /// and [`update`](Parameters::update) need [`Parameters::writable`].
    pub fn new(source: impl ParameterSource) -> Self {
        Self::with(Arc::new(source), None)
    }

    /// Parameters from a source that can also write.
    pub fn writable(source: impl ParameterWriter) -> Self {
        let writer: Arc<dyn ParameterWriter> = Arc::new(source);
        Self::with(writer.clone(), Some(writer))
    }

    fn with(source: Arc<dyn ParameterSource>, writer: Option<Arc<dyn ParameterWriter>>) -> Self {
        Parameters {
            source,
            writer,
            max_age: None,
            limits: Limits::new(),
            max_entries: DEFAULT_MAX_ENTRIES,
            cache: Arc::default(),
        }
    }

    /// Parameters from AWS SSM as configured by the environment; writable.
    pub async fn from_env() -> Self {
        Self::writable(AwsSource::from_env().await)
    }

    /// The writer, under the call timeout as every read is.
    fn writer(&self, name: &str) -> Result<TimedWriter<'_>, Error> {
        let writer = self.writer.as_deref();
        let timed = writer.map(|writer| TimedWriter::new(writer, self.limits.call_timeout));
        timed.ok_or_else(|| {
            self.failed(
                name,
                SourceError::new(
                    SourceErrorKind::Other,
                    "PutParameter",
                    "this source is read-only; build `Parameters::writable` from a `ParameterWriter`",
                ),
            )
        })
    }

    /// How long a cached value is served before it is fetched again.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// How much a read may ask of the source and how long it may take
    /// (calls in flight, pages of a [`get_by_path`](Parameters::get_by_path),
    /// the call timeout): the loader's [`Limits`], one value for both.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How many names and paths the cache holds at most (default 1,000, at
    /// least 1); past that the least recently fetched are evicted.
    pub fn max_entries(mut self, entries: usize) -> Self {
        self.max_entries = entries.max(1);
        self
    }

    /// How many names and paths are cached now.
    pub fn cached_entries(&self) -> usize {
        self.lock().len()
    }

    /// Forgets every cached value.
    pub fn clear_cache(&self) {
        *self.lock() = Cache::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fresh(&self, at: Instant) -> bool {
        self.max_age.is_none_or(|max_age| at.elapsed() < max_age)
    }

    /// One parameter (`name`, `name:3`, `name:label`, or a Secrets Manager
    /// reference `/aws/reference/secretsmanager/<secret>`).
    pub async fn get(&self, name: &str) -> Result<Value, Error> {
        let mut found = self.get_many(&[name]).await?;
        found.remove(name).ok_or_else(|| self.missing(name))
    }

    /// Several parameters in the fewest calls: those not cached go out in
    /// concurrent `GetParameters` calls of 10. Every missing or invalid name
    /// is reported in one error.
    pub async fn get_many<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<BTreeMap<String, Value>, Error> {
        let mut found = BTreeMap::new();
        let mut problems = Vec::new();
        let mut requests = Requests::default();
        // The names each request answers, as they were asked: `/a:03` and
        // `/a:3` are one request, and each is answered (and cached) as asked.
        let mut asked: Vec<Vec<String>> = Vec::new();
        for name in names.iter().map(AsRef::as_ref) {
            if found.contains_key(name) || asked.iter().flatten().any(|a| a == name) {
                continue;
            }
            if let Some((value, at)) = self.lock().names.get(name)
                && self.fresh(*at)
            {
                found.insert(name.to_owned(), value.clone());
                continue;
            }
            match request(name) {
                Ok(request) => match requests.names.iter().position(|r| *r == request) {
                    Some(at) => asked[at].push(name.to_owned()),
                    None => {
                        requests.names.push(request);
                        asked.push(vec![name.to_owned()]);
                    }
                },
                Err(problem) => problems.push(problem),
            }
        }
        if !requests.names.is_empty() {
            let fetched = fetch::fetch(&*self.source, &requests, self.limits, None).await;
            problems.extend(fetched.problems);
            let now = Instant::now();
            let mut cache = self.lock();
            for (outcome, asked) in fetched.names.into_iter().zip(asked) {
                match outcome {
                    NameOutcome::Found(parameter) => {
                        let parameter = Arc::new(parameter);
                        for name in asked {
                            let value = Value::new(name.clone(), Arc::clone(&parameter));
                            cache.insert_name(name.clone(), value.clone(), now, self.max_entries);
                            found.insert(name, value);
                        }
                    }
                    NameOutcome::Missing => {
                        problems.extend(asked.into_iter().map(|name| Problem::Missing {
                            field: name.clone(),
                            name,
                            looked_in: self.source.describe(),
                            env: None,
                        }))
                    }
                    NameOutcome::Failed => {}
                }
            }
        }
        if problems.is_empty() {
            Ok(found)
        } else {
            Err(Error::new(UNTYPED, problems))
        }
    }

    /// Every parameter under `path`, keyed by the name below it, paged to
    /// the end.
    pub async fn get_by_path(
        &self,
        path: &str,
        depth: Depth,
    ) -> Result<BTreeMap<String, Value>, Error> {
        let key = (path.to_owned(), depth);
        if let Some((values, at)) = self.lock().paths.get(&key)
            && self.fresh(*at)
        {
            return Ok(values.clone());
        }
        if let Err(reason) = ssm_config_rules::check_walk(path) {
            return Err(Error::new(UNTYPED, vec![invalid_name(path, reason)]));
        }
        let requests = Requests {
            names: Vec::new(),
            paths: vec![PathRequest {
                path: path.to_owned(),
                recursive: depth == Depth::All,
                filters: PathFilters::default(),
                decrypt: true,
            }],
        };
        let limits = Limits {
            concurrency: 1,
            ..self.limits
        };
        let mut fetched = fetch::fetch(&*self.source, &requests, limits, None).await;
        let Some(parameters) = fetched.paths.pop().flatten() else {
            return Err(Error::new(UNTYPED, fetched.problems));
        };
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let values: BTreeMap<String, Value> = parameters
            .into_iter()
            .map(|parameter| {
                let key = parameter
                    .name
                    .strip_prefix(&prefix)
                    .unwrap_or(&parameter.name)
                    .to_owned();
                (key, Value::new(parameter.name.clone(), Arc::new(parameter)))
            })
            .collect();
        self.lock()
            .insert_path(key, values.clone(), Instant::now(), self.max_entries);
        Ok(values)
    }

    /// Whether `path` is a parameter or has parameters below it.
    pub async fn path_exists(&self, path: &str) -> Result<bool, Error> {
        if let Err(reason) = ssm_config_rules::check_walk(path) {
            return Err(Error::new(UNTYPED, vec![invalid_name(path, reason)]));
        }
        let query = PathQuery {
            path: path.to_owned(),
            recursive: true,
            filters: PathFilters::default(),
            with_decryption: false,
            next_token: None,
            max_pages: self.limits.max_pages,
        };
        let source = Timed::new(&*self.source, self.limits.call_timeout);
        let page = source
            .get_parameters_by_path(&query)
            .await
            .map_err(|e| self.failed(path, e))?;
        if !page.parameters.is_empty() || page.next_token.is_some() {
            return Ok(true);
        }
        let names = [path.to_owned()];
        let output = source
            .get_parameters(&names, false)
            .await
            .map_err(|e| self.failed(path, e))?;
        Ok(!output.parameters.is_empty())
    }

    /// The type and KMS key of a parameter, or `None` if it does not exist.
    /// Like every call here it has the call timeout (6 s, the default of
    /// [`Limits::call_timeout`](crate::source::Limits::call_timeout)): a store that
    /// does not answer fails it with
    /// [`SourceErrorKind::Timeout`].
    pub async fn info(&self, name: &str) -> Result<Option<ParameterInfo>, Error> {
        self.writer(name)?
            .parameter_info(name)
            .await
            .map_err(|e| self.failed(name, e))
    }

    /// Writes a new value to an existing parameter, keeping its type and KMS
    /// key, and returns the new version. The cached value of that name, and
    /// every cached path, are dropped. Each of its two calls has the call
    /// timeout, as [`info`](Parameters::info) says; a `PutParameter` that
    /// timed out may still have been written.
    pub async fn update(&self, name: &str, value: &str) -> Result<i64, Error> {
        if let Err(reason) = name::check_name(name) {
            return Err(Error::new(UNTYPED, vec![invalid_name(name, reason)]));
        }
        let info = self.info(name).await?.ok_or_else(|| self.missing(name))?;
        let put = PutParameter {
            name: name.to_owned(),
            value: value.to_owned(),
            kind: info.kind,
            key_id: info.key_id,
        };
        let version = self
            .writer(name)?
            .put_parameter(&put)
            .await
            .map_err(|e| self.failed(name, e))?;
        let mut cache = self.lock();
        cache
            .names
            .retain(|cached, _| split_selector(cached).map_or(true, |(base, _)| base != name));
        cache.paths.clear();
        Ok(version)
    }

    fn failed(&self, name: &str, error: SourceError) -> Error {
        let problem = Problem::Source {
            source_name: self.source.describe(),
            names: vec![name.to_owned()],
            error: Arc::new(error),
        };
        Error::new(UNTYPED, vec![problem])
    }
}

impl std::fmt::Debug for Parameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parameters")
            .field("source", &self.source.describe())
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

fn request(asked: &str) -> Result<NameRequest, Problem> {
    let (name, selector) = split_selector(asked).map_err(|reason| Problem::InvalidSelector {
        field: asked.to_owned(),
        name: asked.to_owned(),
        reason,
    })?;
    name::check_name(name).map_err(|reason| invalid_name(asked, reason))?;
    Ok(NameRequest {
        name: name.to_owned(),
        selector,
        decrypt: true,
    })
}

fn invalid_name(name: &str, reason: String) -> Problem {
    Problem::InvalidName {
        field: name.to_owned(),
        name: name.to_owned(),
        reason,
    }
}

impl Parameters {
    fn missing(&self, name: &str) -> Error {
        Error::new(
            UNTYPED,
            vec![Problem::Missing {
                field: name.to_owned(),
                name: name.to_owned(),
                looked_in: self.source.describe(),
                env: None,
            }],
        )
    }
}
