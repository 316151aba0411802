//! [`FileSource`]: parameters and secrets from a TOML or JSON file, for
//! running on a laptop with no AWS account.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::{
    BoxFuture, MemorySource, ParameterSource, ParameterType, ParametersOutput, PathPage, PathQuery,
    SourceError, SourceErrorKind,
};
use crate::name;

/// Parameters and Secrets Manager secrets from a TOML or JSON file.
///
/// The file is read again on every call, so a refresh sees an edit: a
/// [`Live`](crate::Live) handle's `subscribe()` and `map()` follow the file
/// as they follow SSM. It answers as SSM would (types, decryption, secrets
/// under `/aws/reference/secretsmanager/`, `GetParametersByPath`), so the
/// same struct loads from the file and from SSM. Every value it returns
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
#[derive(Debug, Clone)]
pub struct FileSource {
    path: PathBuf,
    format: Format,
    /// The prefix `[relative]` names are joined to, once a load gives it.
    prefix: Option<String>,
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
        FileSource {
            path,
            format: if json { Format::Json } else { Format::Toml },
            prefix: None,
        }
    }

    /// A TOML file, whatever its name.
    pub fn toml(path: impl Into<PathBuf>) -> Self {
        FileSource {
            path: path.into(),
            format: Format::Toml,
            prefix: None,
        }
    }

    /// A JSON file, whatever its name.
    pub fn json(path: impl Into<PathBuf>) -> Self {
        FileSource {
            path: path.into(),
            format: Format::Json,
            prefix: None,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// Reads and parses the file into a store answering as SSM does.
    fn read(&self, operation: &'static str) -> Result<Contents, SourceError> {
        // Read whole on each call: a config file is small, and reading it
        // again is what makes an edit reach the next refresh.
        let text = std::fs::read_to_string(&self.path).map_err(|err| {
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

    fn located(&self, mut parameters: Vec<super::Parameter>) -> Vec<super::Parameter> {
        for parameter in &mut parameters {
            parameter.location = Some(self.shown());
        }
        parameters
    }
}

/// One `[parameters]` entry.
struct Entry {
    text: String,
    kind: ParameterType,
}

/// What a file holds: a store for names, labels, secrets and walks, and
/// the versions pinned by number (`name:3`), answered apart since a store's
/// versions run from 1 without gaps.
struct Contents {
    store: MemorySource,
    pinned: std::collections::BTreeMap<String, (Entry, u64)>,
    /// Names the file gives only labelled versions of: an unpinned read
    /// finds no latest version.
    label_only: std::collections::BTreeSet<String>,
    /// Every entry, as a load would ask for it.
    listed: Vec<String>,
}

/// The tables a file may hold.
const TABLES: [&str; 3] = ["parameters", "relative", "secrets"];

/// Builds the store the file describes; `[relative]` names are joined to
/// `prefix` (and left out without one).
fn store(parsed: &Json, prefix: Option<&str>) -> Result<Contents, String> {
    let Json::Object(top) = parsed else {
        return Err("the file holds a table with `parameters`, `relative` and `secrets`".into());
    };
    if let Some(other) = top.keys().find(|k| !TABLES.contains(&k.as_str())) {
        return Err(format!(
            "unknown table `{other}`: the file holds `parameters`, `relative` and `secrets`"
        ));
    }
    let mut full = Names::default();
    full.flatten(table(top, "parameters")?, None)?;
    let mut relative = Names::default();
    if let Some(prefix) = prefix {
        relative.flatten(table(top, "relative")?, Some(prefix))?;
    }
    // A full name wins over the same name made from `[relative]`: the
    // relative entry serves every prefix, the full one this prefix alone.
    let relative = relative
        .entries
        .into_iter()
        .filter(|(name, _)| !full.seen.contains(name));
    let source = MemorySource::new();
    let mut pinned = std::collections::BTreeMap::new();
    let mut labelled = Vec::new();
    let entries: Vec<(String, &Json)> = full.entries.into_iter().chain(relative).collect();
    let mut listed: Vec<String> = entries.iter().map(|(name, _)| name.clone()).collect();
    for (key, value) in &entries {
        let key = key.as_str();
        let (base, selector) =
            name::split_selector(key).map_err(|reason| format!("parameter `{key}`: {reason}"))?;
        name::check_name(base).map_err(|reason| format!("parameter `{key}`: {reason}"))?;
        if name::referenced_secret(base).is_some() {
            return Err(format!(
                "parameter `{key}`: secrets go in the `[secrets]` table, by name"
            ));
        }
        let entry = entry(value).map_err(|reason| format!("parameter `{key}`: {reason}"))?;
        match selector {
            None => {
                source.put_typed(base, &entry.text, Some(entry.kind));
            }
            Some(name::Selector::Label(label)) => labelled.push((base, label, entry)),
            Some(name::Selector::Version(version)) => {
                pinned.insert(format!("{base}:{version}"), (entry, version));
            }
        }
    }
    // Labelled versions go in under the latest one, so the plain name
    // stays the latest; a name with no plain entry has no latest.
    let mut label_only = std::collections::BTreeSet::new();
    for (base, label, entry) in labelled {
        let latest = source.latest(base);
        if latest.is_none() {
            label_only.insert(base.to_owned());
        }
        let version = source.put_typed(base, &entry.text, Some(entry.kind));
        source.label(base, version, &label);
        if let Some((text, kind)) = latest {
            source.put_typed(base, &text, Some(kind));
        }
    }
    for (key, value) in table(top, "secrets")? {
        name::check_name(&format!("{}/{key}", ssm_config_rules::SECRETS_REFERENCE))
            .map_err(|reason| format!("secret `{key}`: {reason}"))?;
        let text = match value {
            Json::String(text) => text.clone(),
            Json::Object(_) => value.to_string(),
            _ => {
                return Err(format!(
                    "secret `{key}`: a secret is a string, or a table that becomes a JSON secret"
                ));
            }
        };
        source.put_secret(key, &text);
        listed.push(format!("{}/{key}", ssm_config_rules::SECRETS_REFERENCE));
    }
    Ok(Contents {
        store: source,
        pinned,
        label_only,
        listed,
    })
}

fn table<'a>(
    top: &'a serde_json::Map<String, Json>,
    name: &str,
) -> Result<impl Iterator<Item = (&'a String, &'a Json)>, String> {
    match top.get(name) {
        None => Ok(None.into_iter().flatten()),
        Some(Json::Object(entries)) => Ok(Some(entries.iter()).into_iter().flatten()),
        Some(_) => Err(format!("`{name}` is a table of names to values")),
    }
}

/// The entries of `[parameters]` and `[relative]`, each under its whole
/// name: a table's path is the name's segments
/// (`[parameters.dev.orders]` + `db_host` is `/dev/orders/db_host`), a key
/// is one segment or more (`"cache/ttl"`), and a key of `[parameters]`
/// itself is a whole name (`"/dev/orders/db_host"`, or `"a.b.c"`, a name
/// without a path).
#[derive(Default)]
struct Names<'a> {
    entries: Vec<(String, &'a Json)>,
    /// Every name so far: one given twice is an error, not a second version.
    seen: std::collections::BTreeSet<String>,
}

impl<'a> Names<'a> {
    /// Adds the entries of one table under `base` (`None`: the top of
    /// `[parameters]`, where keys are whole names).
    fn flatten(
        &mut self,
        entries: impl Iterator<Item = (&'a String, &'a Json)>,
        base: Option<&str>,
    ) -> Result<(), String> {
        for (key, value) in entries {
            let name = match base {
                Some(base) => ssm_config_rules::join(base, key),
                None => key.clone(),
            };
            match value {
                // A table without `value` is a namespace: its path is the
                // name's segments, from the root.
                Json::Object(inner) if !inner.contains_key("value") => {
                    let under = match base {
                        None if !key.starts_with('/') => format!("/{key}"),
                        _ => name,
                    };
                    self.flatten(inner.iter(), Some(&under))?;
                }
                _ => {
                    if !self.seen.insert(name.clone()) {
                        return Err(format!("`{name}` is given twice"));
                    }
                    self.entries.push((name, value));
                }
            }
        }
        Ok(())
    }
}

/// A value as text with its type: text, a number, a boolean, a list of
/// those (a StringList), or `{ value, type }`.
fn entry(value: &Json) -> Result<Entry, String> {
    const TYPED: &str =
        "a typed entry is `{ value = ..., type = \"String\" | \"StringList\" | \"SecureString\" }`";
    match value {
        Json::Object(typed) => {
            if let Some(other) = typed
                .keys()
                .find(|k| !["value", "type"].contains(&k.as_str()))
            {
                return Err(format!("unknown key `{other}`: {TYPED}"));
            }
            let inner = typed
                .get("value")
                .ok_or_else(|| format!("no `value`: {TYPED}"))?;
            let mut entry = entry(inner)?;
            if let Some(kind) = typed.get("type") {
                entry.kind = match kind.as_str() {
                    Some("String") if entry.kind != ParameterType::StringList => {
                        ParameterType::String
                    }
                    Some("String") => return Err("a list is a StringList, not a String".into()),
                    Some("StringList") => ParameterType::StringList,
                    Some("SecureString") => ParameterType::SecureString,
                    _ => return Err(TYPED.into()),
                };
            }
            Ok(entry)
        }
        Json::Array(items) => {
            let items = items
                .iter()
                .map(|item| scalar(item).ok_or("a list holds text, numbers or booleans"))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Entry {
                text: items.join(","),
                kind: ParameterType::StringList,
            })
        }
        other => Ok(Entry {
            text: scalar(other).ok_or("a value is text, a number, a boolean or a list")?,
            kind: ParameterType::String,
        }),
    }
}

fn scalar(value: &Json) -> Option<String> {
    match value {
        Json::String(text) => Some(text.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl ParameterSource for FileSource {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let contents = self.read("GetParameters")?;
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
            let contents = self.read("GetParametersByPath")?;
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

    fn listed_names(&self) -> Option<Vec<String>> {
        // A file that cannot be read fails the load itself.
        self.read("listing").ok().map(|contents| contents.listed)
    }

    fn under_prefix(&self, prefix: &str) -> Option<Box<dyn ParameterSource>> {
        Some(Box::new(FileSource {
            prefix: Some(prefix.to_owned()),
            ..self.clone()
        }))
    }
}
