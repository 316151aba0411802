//! What a local file holds, read from its parsed text: the store that
//! answers for it as SSM would, and the names it lists.

use serde_json::Value as Json;
use ssm_config_rules::shown;

use crate::name;
use crate::source::{MemorySource, ParameterType};

/// One `[parameters]` entry.
pub(super) struct Entry {
    pub text: String,
    pub kind: ParameterType,
}

/// What a file holds: a store for names, labels, secrets and walks, and
/// the versions pinned by number (`name:3`), answered apart since a store's
/// versions run from 1 without gaps.
pub(super) struct Contents {
    pub store: MemorySource,
    pub pinned: std::collections::BTreeMap<String, (Entry, u64)>,
    /// Names the file gives only labelled versions of: an unpinned read
    /// finds no latest version.
    pub label_only: std::collections::BTreeSet<String>,
    /// Every entry, as a load would ask for it.
    pub listed: Vec<String>,
}

/// The tables a file may hold.
const TABLES: [&str; 3] = ["parameters", "relative", "secrets"];

/// Builds the store the file describes; `[relative]` names are joined to
/// `prefix` (and left out without one).
pub(super) fn store(parsed: &Json, prefix: Option<&str>) -> Result<Contents, String> {
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
        let (base, selector) = name::split_selector(key)
            .map_err(|reason| format!("parameter `{}`: {reason}", shown(key)))?;
        name::check_name(base).map_err(|reason| format!("parameter `{}`: {reason}", shown(key)))?;
        if name::referenced_secret(base).is_some() {
            return Err(format!(
                "parameter `{}`: secrets go in the `[secrets]` table, by name",
                shown(key)
            ));
        }
        let entry =
            entry(value).map_err(|reason| format!("parameter `{}`: {reason}", shown(key)))?;
        match selector {
            None => {
                source.put_typed(base, &entry.text, Some(entry.kind));
            }
            Some(crate::plan::selector::Selector::Label(label)) => {
                labelled.push((base, label, entry))
            }
            Some(crate::plan::selector::Selector::Version(version)) => {
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
            .map_err(|reason| format!("secret `{}`: {reason}", shown(key)))?;
        let text = match value {
            Json::String(text) => text.clone(),
            Json::Object(_) => value.to_string(),
            _ => {
                return Err(format!(
                    "secret `{}`: a secret is a string, or a table that becomes a JSON secret",
                    shown(key)
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
        Some(_) => Err(format!("`{}` is a table of names to values", shown(name))),
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
                        return Err(format!("`{}` is given twice", shown(&name)));
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
                return Err(format!("unknown key `{}`: {TYPED}", shown(other)));
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
