//! [`MemorySource`]: an in-memory parameter store with SSM's semantics.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use super::calls::MAX_NAMES_PER_CALL;
use super::{
    BoxFuture, Parameter, ParameterSource, ParameterType, ParameterWriter, ParametersOutput,
    PathPage, PathQuery,
};
use super::{CallCounts, ParameterInfo, PutParameter, SourceError, SourceErrorKind};
use crate::name::{referenced_secret, split_selector};
use crate::plan::selector::Selector;

/// An in-memory parameter store for tests and offline runs.
///
/// It keeps SSM's semantics: versions and labels, `name:3` and `name:label`
/// selectors, StringList and SecureString types, Secrets Manager secrets
/// under `/aws/reference/secretsmanager/`, at most 10 names per
/// `GetParameters` call, and paged `GetParametersByPath`. A parameter shared
/// by another account is kept under its ARN, as a field names it. It counts the calls
/// it answers, so tests can check how many a load makes. Clones share the
/// store, so a test can change a value under a running config.
///
/// ```
/// use ssm_config::MemorySource;
///
/// let source = MemorySource::new();
/// source.put("/app/db/host", "db.internal");
/// source.put_secure("/app/db/password", "hunter2");
/// source.put_string_list("/app/ips", ["10.0.0.1", "10.0.0.2"]);
/// source.put_secret("prod/stripe", r#"{"api_key":"sk_live_1"}"#);
/// assert_eq!(source.put("/app/db/host", "db2.internal"), 2);
/// source.label("/app/db/host", 1, "blue");
/// ```
#[derive(Clone, Default)]
pub struct MemorySource {
    store: Arc<RwLock<Store>>,
    calls: Arc<Calls>,
}

#[derive(Default)]
struct Store {
    parameters: BTreeMap<String, History>,
    secrets: BTreeMap<String, String>,
    page_size: Option<usize>,
}

struct History {
    kind: ParameterType,
    key_id: Option<String>,
    versions: Vec<Version>,
}

struct Version {
    value: String,
    labels: Vec<String>,
    modified: SystemTime,
}

#[derive(Default)]
struct Calls {
    get_parameters: AtomicUsize,
    get_parameters_by_path: AtomicUsize,
}

impl MemorySource {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes a String parameter (keeping the type of an existing one) and
    /// returns its new version.
    pub fn put(&self, name: &str, value: &str) -> i64 {
        self.put_typed(name, value, None)
    }

    /// Writes a StringList parameter.
    pub fn put_string_list<I: IntoIterator<Item = S>, S: AsRef<str>>(
        &self,
        name: &str,
        items: I,
    ) -> i64 {
        let value = items
            .into_iter()
            .map(|s| s.as_ref().to_owned())
            .collect::<Vec<_>>()
            .join(",");
        self.put_typed(name, &value, Some(ParameterType::StringList))
    }

    /// Writes a SecureString parameter.
    pub fn put_secure(&self, name: &str, value: &str) -> i64 {
        self.put_typed(name, value, Some(ParameterType::SecureString))
    }

    /// Writes a SecureString encrypted (notionally) with the KMS key `key_id`.
    pub fn put_secure_with_key(&self, name: &str, value: &str, key_id: &str) -> i64 {
        let version = self.put_typed(name, value, Some(ParameterType::SecureString));
        if let Some(history) = self.write().parameters.get_mut(name) {
            history.key_id = Some(key_id.to_owned());
        }
        version
    }

    /// Writes a parameter of the given type.
    pub fn put_typed(&self, name: &str, value: &str, kind: Option<ParameterType>) -> i64 {
        let mut store = self.write();
        let history = store
            .parameters
            .entry(name.to_owned())
            .or_insert_with(|| History {
                kind: kind.unwrap_or(ParameterType::String),
                key_id: None,
                versions: Vec::new(),
            });
        if let Some(kind) = kind {
            history.kind = kind;
        }
        history.versions.push(Version {
            value: value.to_owned(),
            labels: Vec::new(),
            modified: SystemTime::now(),
        });
        history.versions.len() as i64
    }

    /// The latest value of `name` and its type.
    #[cfg(feature = "file")]
    pub(crate) fn latest(&self, name: &str) -> Option<(String, ParameterType)> {
        let store = self.read();
        let history = store.parameters.get(name)?;
        Some((history.versions.last()?.value.clone(), history.kind))
    }

    /// Moves `label` to `version` of `name`. Returns `false` if there is no
    /// such version.
    pub fn label(&self, name: &str, version: i64, label: &str) -> bool {
        let mut store = self.write();
        let Some(history) = store.parameters.get_mut(name) else {
            return false;
        };
        if version < 1 || version as usize > history.versions.len() {
            return false;
        }
        for v in &mut history.versions {
            v.labels.retain(|l| l != label);
        }
        history.versions[version as usize - 1]
            .labels
            .push(label.to_owned());
        true
    }

    /// Deletes a parameter and all its versions.
    pub fn delete(&self, name: &str) -> bool {
        self.write().parameters.remove(name).is_some()
    }

    /// Writes a Secrets Manager secret, read as
    /// `/aws/reference/secretsmanager/<name>`.
    pub fn put_secret(&self, name: &str, value: &str) {
        self.write()
            .secrets
            .insert(name.to_owned(), value.to_owned());
    }

    /// Sets how many results a `GetParametersByPath` page holds (default 10).
    pub fn set_page_size(&self, size: usize) {
        self.write().page_size = Some(size.max(1));
    }

    /// The calls answered so far.
    pub fn calls(&self) -> CallCounts {
        CallCounts {
            get_parameters: self.calls.get_parameters.load(Ordering::Relaxed),
            get_parameters_by_path: self.calls.get_parameters_by_path.load(Ordering::Relaxed),
        }
    }

    /// Sets the call counts back to zero.
    pub fn reset_calls(&self) {
        self.calls.get_parameters.store(0, Ordering::Relaxed);
        self.calls
            .get_parameters_by_path
            .store(0, Ordering::Relaxed);
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.store
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.store
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for MemorySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = self.read();
        f.debug_struct("MemorySource")
            .field("parameters", &store.parameters.len())
            .field("secrets", &store.secrets.len())
            .finish()
    }
}

impl Store {
    fn lookup(&self, asked: &str, decrypt: bool) -> Result<Option<Parameter>, SourceError> {
        let (name, selector) = split_selector(asked).map_err(|reason| {
            SourceError::new(
                SourceErrorKind::Other,
                "GetParameters",
                format!("ValidationException: {reason}"),
            )
        })?;
        if let Some(secret) = referenced_secret(name) {
            return self.secret(name, secret, decrypt).map(Some);
        }
        let Some(history) = self.parameters.get(name) else {
            return Ok(None);
        };
        let found = match &selector {
            None => history.versions.len().checked_sub(1),
            Some(Selector::Version(v)) => (*v as usize)
                .checked_sub(1)
                .filter(|i| *i < history.versions.len()),
            Some(Selector::Label(l)) => history.versions.iter().position(|v| v.labels.contains(l)),
        };
        Ok(found.map(|index| {
            history.parameter(name, index, decrypt, selector.map(|s| format!(":{s}")))
        }))
    }

    fn secret(&self, name: &str, secret: &str, decrypt: bool) -> Result<Parameter, SourceError> {
        if !decrypt {
            let message =
                "ValidationException: WithDecryption must be true for Secrets Manager references";
            return Err(SourceError::new(
                SourceErrorKind::Other,
                "GetParameters",
                message,
            ));
        }
        let value = self.secrets.get(secret).ok_or_else(|| {
            SourceError::new(
                SourceErrorKind::NotFound,
                "GetParameters",
                format!("ParameterNotFound: secret `{secret}`"),
            )
        })?;
        Ok(Parameter {
            name: name.to_owned(),
            value: value.clone(),
            kind: ParameterType::SecureString,
            version: 1,
            selector: None,
            last_modified: None,
            location: None,
        })
    }
}

impl History {
    fn parameter(
        &self,
        name: &str,
        index: usize,
        decrypt: bool,
        selector: Option<String>,
    ) -> Parameter {
        let version = &self.versions[index];
        let value = match self.kind {
            ParameterType::SecureString if !decrypt => "[encrypted]".to_owned(),
            _ => version.value.clone(),
        };
        Parameter {
            name: name.to_owned(),
            value,
            kind: self.kind,
            version: index as i64 + 1,
            selector,
            last_modified: Some(version.modified),
            location: None,
        }
    }
}

impl ParameterSource for MemorySource {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        self.calls.get_parameters.fetch_add(1, Ordering::Relaxed);
        Box::pin(async move {
            if names.is_empty() || names.len() > MAX_NAMES_PER_CALL {
                let message = format!(
                    "ValidationException: {} names; GetParameters takes 1 to 10",
                    names.len()
                );
                return Err(SourceError::new(
                    SourceErrorKind::Other,
                    "GetParameters",
                    message,
                ));
            }
            let store = self.read();
            let mut output = ParametersOutput::default();
            for asked in names {
                match store.lookup(asked, with_decryption)? {
                    Some(parameter) => output.parameters.push(parameter),
                    None => output.invalid.push(asked.clone()),
                }
            }
            Ok(output)
        })
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.calls
            .get_parameters_by_path
            .fetch_add(1, Ordering::Relaxed);
        Box::pin(async move {
            let store = self.read();
            let prefix = format!("{}/", query.path.trim_end_matches('/'));
            let filters = &query.filters;
            let matching: Vec<Parameter> = store
                .parameters
                .range(prefix.clone()..)
                .take_while(|(name, _)| name.starts_with(&prefix))
                .filter(|(name, _)| query.recursive || !name[prefix.len()..].contains('/'))
                .filter(|(_, h)| filters.kind.is_none_or(|k| k == h.kind))
                .filter(|(_, h)| filters.key_id.is_none() || filters.key_id == h.key_id)
                .filter_map(|(name, h)| {
                    let index = match &filters.label {
                        Some(label) => h.versions.iter().position(|v| v.labels.contains(label))?,
                        None => h.versions.len().checked_sub(1)?,
                    };
                    Some(h.parameter(name, index, query.with_decryption, None))
                })
                .collect();
            let start = match &query.next_token {
                None => 0,
                Some(token) => token.parse::<usize>().map_err(|_| {
                    SourceError::new(
                        SourceErrorKind::Other,
                        "GetParametersByPath",
                        "ValidationException: bad NextToken",
                    )
                })?,
            };
            let size = store.page_size.unwrap_or(MAX_NAMES_PER_CALL);
            let end = (start + size).min(matching.len());
            let next_token = (end < matching.len()).then(|| end.to_string());
            let parameters = matching
                .into_iter()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect();
            Ok(PathPage {
                parameters,
                next_token,
            })
        })
    }

    fn describe(&self) -> String {
        "memory source".to_owned()
    }
}

impl ParameterWriter for MemorySource {
    fn parameter_info<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ParameterInfo>, SourceError>> {
        Box::pin(async move {
            Ok(self.read().parameters.get(name).map(|h| ParameterInfo {
                kind: h.kind,
                key_id: h.key_id.clone(),
            }))
        })
    }

    fn put_parameter<'a>(
        &'a self,
        put: &'a PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>> {
        Box::pin(async move {
            let version = self.put_typed(&put.name, &put.value, Some(put.kind));
            if let Some(history) = self.write().parameters.get_mut(&put.name) {
                history.key_id = put.key_id.clone();
            }
            Ok(version)
        })
    }
}
