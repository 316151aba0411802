//! [`FileSource`]: parameters and secrets from a TOML or JSON file, for
//! running on a laptop with no AWS account.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value as Json;

use super::{
    BoxFuture, ParameterSource, ParameterType, ParametersOutput, PathPage, PathQuery, SourceError,
    SourceErrorKind,
};

mod contents;
mod reading;

use contents::{Contents, store};
use reading::Reads;

/// Parameters and Secrets Manager secrets from a TOML or JSON file.
///
/// The file is read again on every call, so a refresh sees an edit: a
/// [`Live`](crate::Live) handle's `subscribe()` and `map()` follow the file
/// as they follow SSM. Under a tokio runtime it is read on the blocking
/// pool, so a file that never answers (a FIFO no one writes to, a hung
/// network mount) fails the call with [`SourceErrorKind::Timeout`] at the
/// [call timeout](crate::source::Limits::call_timeout), as a stalled store does,
/// and blocks none of the runtime's own threads.
///
/// It answers as SSM would (types, decryption, secrets under
/// `/aws/reference/secretsmanager/`, `GetParametersByPath`), so the same
/// struct loads from the file and from SSM. Every value it returns
/// names the file as its [`location`](super::Parameter::location), which
/// provenance and messages show.
///
/// The format, in TOML (JSON has the same shape):
///
/// ```toml
/// [parameters]
/// "/dev/orders/db_host" = "localhost"                # a key here is a whole name
/// "/dev/orders/allowed-ips" = ["127.0.0.1", "::1"]   # a list is a StringList
/// "/dev/orders/tls/cert:blue" = "cert-blue"          # the version labelled `blue`
/// "/dev/orders/tls/cert:1" = "cert-v1"               # version 1
///
/// [parameters.dev.orders.db]                         # a table's path is the name's segments:
/// port = 5432                                        # /dev/orders/db/port; numbers become text
/// password = { value = "dev-only", type = "SecureString" }
///
/// [relative]                                         # relative to the struct's prefix,
/// "cache/ttl" = 60                                   # whatever its {VAR}s hold
///
/// [secrets]
/// "dev/stripe" = { api_key = "sk_test_1" }           # a table is a JSON secret
/// "dev/webhook" = "whsec_dev"
/// ```
///
/// A table is a name's segments unless it has a `value` key, which makes it
/// a typed entry; give a parameter named `value` by its whole name. A
/// quoted key with dots stays one segment (`"a.b.c"` in `[parameters]` is
/// the SSM name `a.b.c`), while bare dotted keys are tables
/// (`workers.emails` is `workers/emails`). Names in `[relative]` are joined
/// to the loader's prefix with its `{VAR}`s filled, so one file serves
/// every `APP_ENV`; a full name in `[parameters]` wins over the same name
/// made from `[relative]`. A name given twice is an error.
///
/// A typed entry's `type` is `String` (the default for text),
/// `StringList` (the default for a list) or `SecureString`. A name may
/// carry a label (`name:label`) or a version (`name:3`), read only by
/// fields that pin that label or version; the plain name is the latest
/// version. A missing file fails with
/// [`SourceErrorKind::Unreachable`], which an optional layer of
/// [`Layered`](super::Layered) skips; a malformed one names the file, the
/// line and the entry, never a value.
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "file")))]
pub struct FileSource {
    path: PathBuf,
    format: Format,
    /// The prefix `[relative]` names are joined to, once a load gives it.
    prefix: Option<String>,
    reads: Reads,
    /// The names the last good read found, for [`listed_names`]: listing
    /// never reads the file again, so a file that never answers cannot hang
    /// a load after its calls timed out.
    ///
    /// [`listed_names`]: ParameterSource::listed_names
    listed: Arc<Mutex<Option<Vec<String>>>>,
}

impl std::fmt::Debug for FileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSource")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Json,
}

impl FileSource {
    /// A file read as JSON when its name ends in `.json`, as TOML otherwise.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let format = if json { Format::Json } else { Format::Toml };
        Self::with(path, format)
    }

    /// A TOML file, whatever its name.
    pub fn toml(path: impl Into<PathBuf>) -> Self {
        Self::with(path.into(), Format::Toml)
    }

    /// A JSON file, whatever its name.
    pub fn json(path: impl Into<PathBuf>) -> Self {
        Self::with(path.into(), Format::Json)
    }

    fn with(path: PathBuf, format: Format) -> Self {
        FileSource {
            path,
            format,
            prefix: None,
            reads: Reads::default(),
            listed: Arc::default(),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path for a message, an origin and a layer's description: the
    /// path may come from run time, so hidden characters are escaped.
    fn shown(&self) -> String {
        ssm_config_rules::escaped(&self.path.display().to_string())
    }

    /// Reads and parses the file into a store answering as SSM does, and
    /// keeps the names it lists.
    async fn read(&self, operation: &'static str) -> Result<Contents, SourceError> {
        let contents = self.read_parsed(operation).await;
        let listed = contents.as_ref().ok().map(|c| c.listed.clone());
        *self.listed.lock().unwrap_or_else(|p| p.into_inner()) = listed;
        contents
    }

    async fn read_parsed(&self, operation: &'static str) -> Result<Contents, SourceError> {
        // Read whole on each call: a config file is small, and reading it
        // again is what makes an edit reach the next refresh.
        let text = self.reads.text(&self.path).await.map_err(|err| {
            let kind = match err.kind() {
                std::io::ErrorKind::NotFound => SourceErrorKind::Unreachable,
                std::io::ErrorKind::PermissionDenied => SourceErrorKind::AccessDenied,
                _ => SourceErrorKind::Other,
            };
            SourceError::new(kind, operation, format!("cannot read `{}`", self.shown()))
                .with_source(err)
                .about_the_source()
        })?;
        let malformed = |message: String| {
            SourceError::new(
                SourceErrorKind::Malformed,
                operation,
                format!("`{}`: {message}", self.shown()),
            )
            .about_the_source()
        };
        let parsed = self.parse(&text).map_err(malformed)?;
        store(&parsed, self.prefix.as_deref()).map_err(malformed)
    }

    /// The file as JSON. Errors give the place and the parser's reason,
    /// never the text around it, which may hold a secret.
    fn parse(&self, text: &str) -> Result<Json, String> {
        match self.format {
            Format::Json => serde_json::from_str(text).map_err(|err| {
                format!(
                    "not valid JSON at line {} column {}: {:?}",
                    err.line(),
                    err.column(),
                    err.classify()
                )
            }),
            Format::Toml => toml::from_str(text).map_err(|err| {
                let mut message = String::from("not valid TOML");
                if let Some(span) = err.span() {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    let _ = write!(message, " at line {line} column {column}");
                }
                let reason = err.message().lines().next().unwrap_or_default().to_owned();
                let _ = write!(message, ": {reason}");
                message
            }),
        }
    }

    /// The file's parameters as the file gives them: found in it, and of
    /// no version (0), since a file has none; the versions of its store
    /// only tell labelled and pinned entries apart.
    fn located(&self, mut parameters: Vec<super::Parameter>) -> Vec<super::Parameter> {
        for parameter in &mut parameters {
            parameter.location = Some(self.shown());
            parameter.version = 0;
        }
        parameters
    }
}

// The file's entries live in a `MemorySource`, read inside the deadline of
// this source's own call.
#[expect(
    clippy::disallowed_methods,
    reason = "the in-memory store of a file is called inside the deadline of the file's call"
)]
impl ParameterSource for FileSource {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let contents = self.read("GetParameters").await?;
            let (pinned, rest): (Vec<&String>, Vec<&String>) = names
                .iter()
                .partition(|name| contents.pinned.contains_key(name.as_str()));
            let (unlabelled, rest): (Vec<&String>, Vec<&String>) = rest
                .into_iter()
                .partition(|name| contents.label_only.contains(name.as_str()));
            let rest: Vec<String> = rest.into_iter().cloned().collect();
            let mut output = match rest.is_empty() {
                true => ParametersOutput::default(),
                false => {
                    contents
                        .store
                        .get_parameters(&rest, with_decryption)
                        .await?
                }
            };
            for asked in pinned {
                let (entry, version) = &contents.pinned[asked.as_str()];
                let (name, selector) = asked.split_at(asked.rfind(':').unwrap_or(asked.len()));
                output.parameters.push(super::Parameter {
                    name: name.to_owned(),
                    value: match entry.kind {
                        ParameterType::SecureString if !with_decryption => "[encrypted]".into(),
                        _ => entry.text.clone(),
                    },
                    kind: entry.kind,
                    version: *version as i64,
                    selector: Some(selector.to_owned()),
                    last_modified: None,
                    location: None,
                });
            }
            output.invalid.extend(unlabelled.into_iter().cloned());
            output.parameters = self.located(output.parameters);
            Ok(output)
        })
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            let contents = self.read("GetParametersByPath").await?;
            let mut page = contents.store.get_parameters_by_path(query).await?;
            if query.filters.label.is_none() {
                page.parameters
                    .retain(|p| !contents.label_only.contains(&p.name));
            }
            page.parameters = self.located(page.parameters);
            Ok(page)
        })
    }

    fn describe(&self) -> String {
        format!("file `{}`", self.shown())
    }

    /// The names of the last good read. A load lists after its calls, so
    /// this is the file as the load read it; a file not read yet, or whose
    /// last read failed (which fails the load itself), lists nothing.
    fn listed_names(&self) -> Option<Vec<String>> {
        self.listed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The same file with its `[relative]` names under `prefix`: it lists
    /// what it reads itself, and shares its turn to read with this one.
    fn under_prefix(&self, prefix: &str) -> Option<Box<dyn ParameterSource>> {
        Some(Box::new(FileSource {
            prefix: Some(prefix.to_owned()),
            listed: Arc::default(),
            ..self.clone()
        }))
    }
}
