//! What a load knows about each parameter (version, type, last change), and
//! a fingerprint of the values, to tell a refresh that changed nothing.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::SystemTime;

use crate::description::Presence;
use crate::origin::Origin;
use crate::pipeline::build::origin_of;
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::resolve::resolved::{Leaf, Node, Requests};
use crate::source::Parameter;

use super::ParameterMetadata;

/// Metadata of one load: when it happened, and each parameter it read.
#[derive(Debug, Clone)]
pub struct Metadata {
    loaded_at: SystemTime,
    parameters: BTreeMap<String, ParameterMetadata>,
    fields: BTreeMap<String, String>,
    origins: BTreeMap<String, Origin>,
}

impl Metadata {
    /// When the values were all read (wall clock): the load, or the full
    /// refresh, that read the whole group. A change event's targeted
    /// refresh, which reads a few names, keeps the time it built on (as
    /// [`Live::loaded_at`](crate::Live::loaded_at) does).
    pub fn loaded_at(&self) -> SystemTime {
        self.loaded_at
    }

    /// This metadata, for a snapshot built on one whose values were all
    /// read at `loaded_at`.
    #[cfg(feature = "events")]
    pub(crate) fn built_on(self, loaded_at: SystemTime) -> Self {
        Metadata { loaded_at, ..self }
    }

    /// A parameter by the name the struct asks for (`/app/db/port`,
    /// `/app/cert:3`, or a name found under a `by_path` path).
    pub fn parameter(&self, name: &str) -> Option<&ParameterMetadata> {
        self.parameters.get(name)
    }

    /// The parameter behind a field, dotted through nested structs
    /// (`cache.ttl_secs`); `None` for missing and `by_path` fields.
    pub fn field(&self, field: &str) -> Option<&ParameterMetadata> {
        self.fields
            .get(field)
            .and_then(|name| self.parameters.get(name))
    }

    /// Every parameter read, by name.
    pub fn parameters(&self) -> impl Iterator<Item = &ParameterMetadata> {
        self.parameters.values()
    }

    /// Where a field's value came from (dotted through nested structs):
    /// a parameter with its version, a secret, an environment variable or
    /// the default. `None` for a missing `Option` field and for `by_path`
    /// maps, whose entries are in [`parameters`](Metadata::parameters).
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// # use ssm_config::origin::Origin;
    /// #[derive(SsmConfig, Debug)]
    /// #[ssm(prefix = "/app")]
    /// struct AppConfig {
    ///     host: String,
    ///     #[ssm(default = 5432)]
    ///     port: u16,
    ///     #[ssm(env = "APP_LOG")]
    ///     log: String,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
    /// let source = MemorySource::new();
    /// source.put("/app/host", "db.internal");
    /// source.put("/app/log", "info");
    /// let config = AppConfig::loader().source(source).env_override("APP_LOG", "debug").load().await?;
    /// let snapshot = config.get();
    /// let metadata = snapshot.metadata();
    /// assert_eq!(metadata.origin("host").unwrap().to_string(), "/app/host version 1");
    /// assert_eq!(metadata.origin("port"), Some(&Origin::Default));
    /// assert_eq!(metadata.origin("log").unwrap().to_string(), "env APP_LOG");
    /// # Ok(()) }
    /// ```
    pub fn origin(&self, field: &str) -> Option<&Origin> {
        self.origins.get(field)
    }

    /// Every field's origin, by field.
    pub fn origins(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.origins
            .iter()
            .map(|(field, origin)| (field.as_str(), origin))
    }
}

fn entry(name: String, parameter: &Parameter) -> (String, ParameterMetadata) {
    let metadata = ParameterMetadata {
        name: name.clone(),
        version: parameter.version,
        kind: parameter.kind,
        last_modified: parameter.last_modified,
        location: parameter.location.clone(),
    };
    (name, metadata)
}

/// The metadata of a fetch, and a fingerprint of its values (not versions:
/// writing the same value again changes nothing a reader sees).
pub(crate) fn describe(root: &Node, requests: &Requests, fetched: &Fetched) -> (Metadata, u64) {
    let mut hasher = DefaultHasher::new();
    let mut parameters = BTreeMap::new();
    for (request, outcome) in requests.names.iter().zip(&fetched.names) {
        let wire = request.wire();
        wire.hash(&mut hasher);
        if let NameOutcome::Found(parameter) = outcome {
            (&parameter.value, parameter.kind.as_str()).hash(&mut hasher);
            parameters.insert(wire.clone(), entry(wire, parameter).1);
        }
    }
    for found in fetched.paths.iter().flatten() {
        let mut sorted: Vec<&Parameter> = found.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for parameter in sorted {
            (&parameter.name, &parameter.value, parameter.kind.as_str()).hash(&mut hasher);
            parameters.extend([entry(parameter.name.clone(), parameter)]);
        }
    }
    let mut fields = BTreeMap::new();
    let mut origins = BTreeMap::new();
    collect_fields(root, requests, fetched, &mut fields, &mut origins);
    // An override is a value too: a refresh that sees it change swaps.
    hash_overrides(root, requests, &mut hasher);
    let metadata = Metadata {
        loaded_at: SystemTime::now(),
        parameters,
        fields,
        origins,
    };
    (metadata, hasher.finish())
}

fn collect_fields(
    node: &Node,
    requests: &Requests,
    fetched: &Fetched,
    fields: &mut BTreeMap<String, String>,
    origins: &mut BTreeMap<String, Origin>,
) {
    for leaf in node.leaves(requests) {
        match leaf {
            Leaf::Name {
                field,
                request,
                index,
                key,
                value,
                ..
            } => {
                fields.insert(field.to_owned(), request.wire());
                let origin = match &fetched.names[index] {
                    NameOutcome::Found(parameter) => Some(origin_of(request, parameter, key)),
                    _ if value.presence == Presence::Default => Some(Origin::Default),
                    _ => None,
                };
                origins.extend(origin.map(|origin| (field.to_owned(), origin)));
            }
            Leaf::Env {
                field, variable, ..
            } => {
                let variable = variable.to_owned();
                origins.insert(field.to_owned(), Origin::Env { variable });
            }
            Leaf::Path { .. } | Leaf::Unresolved { .. } => {}
        }
    }
}

/// Hashes the text of every environment override.
fn hash_overrides(node: &Node, requests: &Requests, hasher: &mut DefaultHasher) {
    for leaf in node.leaves(requests) {
        if let Leaf::Env { variable, text, .. } = leaf {
            (variable, text.expose_secret()).hash(hasher);
        }
    }
}
