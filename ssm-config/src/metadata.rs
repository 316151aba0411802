//! What a load knows about each parameter (version, type, last change), and
//! a fingerprint of the values, to tell a refresh that changed nothing.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::SystemTime;

use crate::fetch::{Fetched, NameOutcome};
use crate::resolve::{Node, Requests, Slot};
use crate::source::{Parameter, ParameterType};

/// Metadata of one load: when it happened, and each parameter it read.
#[derive(Debug, Clone)]
pub struct Metadata {
    loaded_at: SystemTime,
    parameters: BTreeMap<String, ParameterMetadata>,
    fields: BTreeMap<String, String>,
}

/// What SSM said about one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterMetadata {
    /// The name as asked for (selector included).
    pub name: String,
    /// The version read.
    pub version: i64,
    /// The parameter's type.
    pub kind: ParameterType,
    /// When that version was written, when the source says.
    pub last_modified: Option<SystemTime>,
}

impl Metadata {
    /// When the load happened (wall clock).
    pub fn loaded_at(&self) -> SystemTime {
        self.loaded_at
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
}

fn entry(name: String, parameter: &Parameter) -> (String, ParameterMetadata) {
    let metadata = ParameterMetadata {
        name: name.clone(),
        version: parameter.version,
        kind: parameter.kind,
        last_modified: parameter.last_modified,
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
    collect_fields(root, requests, &mut fields);
    let metadata = Metadata {
        loaded_at: SystemTime::now(),
        parameters,
        fields,
    };
    (metadata, hasher.finish())
}

fn collect_fields(node: &Node, requests: &Requests, out: &mut BTreeMap<String, String>) {
    for slot in &node.slots {
        match slot {
            Slot::Name { field, request, .. } => {
                out.insert(field.clone(), requests.names[*request].wire());
            }
            Slot::Nested(child) => collect_fields(child, requests, out),
            Slot::Path { .. } | Slot::Unresolved | Slot::Skip => {}
        }
    }
}
