//! Entries that no field reads, most likely typos: a name in a local file
//! (a source that can list its names), or an override variable under the
//! loader's `env_prefix`. A load warns of each, and the doctor gives each a
//! row; both name the near miss a field does read, when there is one.

use std::collections::BTreeSet;

use super::resolve::resolved::{Leaf, Node, Requests};
use super::resolve::{Overrides, env_variable};
use crate::source::ParameterSource;

/// One entry no field reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stray {
    /// The entry: a parameter's whole name, or a variable.
    pub name: String,
    /// Where it is: the source's description, or "the environment".
    pub place: String,
    /// The name or variable a field reads that it is closest to.
    pub near: Option<String>,
}

impl Stray {
    /// The sentence a warning and a doctor row give.
    pub fn describe(&self) -> String {
        let mut text = format!("no field reads it ({})", self.place);
        if let Some(near) = &self.near {
            text.push_str(&format!("; did you mean `{near}`?"));
        }
        text
    }
}

/// The strays of one attempt: entries `source` lists that neither a name
/// nor a walk of `root` reads, and variables under the override prefix
/// that are neither a field's override nor among `templates_read` (the
/// variables the names' `{VAR}`s read, such as the prefix's).
pub(crate) fn find(
    root: &Node,
    requests: &Requests,
    source: &dyn ParameterSource,
    overrides: Overrides<'_>,
    templates_read: &BTreeSet<String>,
) -> Vec<Stray> {
    let mut read: BTreeSet<String> = requests.names.iter().map(|r| r.wire()).collect();
    let mut expected = BTreeSet::new();
    for leaf in root.leaves(requests) {
        match leaf {
            Leaf::Name { field, value, .. } => {
                expected.extend(env_variable(value, field, overrides));
            }
            Leaf::Env {
                variable, shadows, ..
            } => {
                expected.insert(variable.to_owned());
                read.extend(shadows.map(str::to_owned));
            }
            Leaf::Path { .. } | Leaf::Unresolved { .. } => {}
        }
    }
    let mut strays = Vec::new();
    if let Some(listed) = source.listed_names() {
        let place = source.describe();
        for name in listed {
            if read.contains(&name) || under_a_walk(&name, requests) {
                continue;
            }
            let near = nearest(&name, read.iter().map(String::as_str));
            strays.push(Stray {
                name,
                place: place.clone(),
                near,
            });
        }
    }
    if let Overrides::On {
        prefix: Some(prefix),
        variables,
    } = overrides
    {
        let prefix = prefix.to_ascii_uppercase();
        let mut names = variables.names();
        names.sort();
        names.dedup();
        for name in names {
            if !name.starts_with(&prefix)
                || expected.contains(&name)
                || templates_read.contains(&name)
            {
                continue;
            }
            let near = nearest(&name, expected.iter().map(String::as_str));
            strays.push(Stray {
                name,
                place: "the environment".into(),
                near,
            });
        }
    }
    strays
}

/// Whether a walk of `requests` reads `name`: it is below the walk's path,
/// directly unless the walk is recursive.
fn under_a_walk(name: &str, requests: &Requests) -> bool {
    let name = crate::name::split_selector(name).map_or(name, |(base, _)| base);
    requests.paths.iter().any(|walk| {
        let path = walk.path.trim_end_matches('/');
        match name
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(below) => walk.recursive || !below.contains('/'),
            None => false,
        }
    })
}

/// The candidate closest to `name`, if it is close enough to be a slip of
/// the keyboard: a few characters apart, `-`, `_` and case aside.
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let plain = |text: &str| text.to_ascii_lowercase().replace('-', "_");
    let wanted = plain(name);
    let allowed = (wanted.len() / 8).max(2);
    candidates
        .map(|candidate| (strsim::levenshtein(&wanted, &plain(candidate)), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map(|(_, candidate)| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn a_near_miss_is_a_slip_of_the_keyboard() {
        let fields = ["/dev/app/dark_mode", "/dev/app/enabled", "APP_ENABLED"];
        let near = |name| nearest(name, fields.into_iter());
        assert_eq!(
            near("/dev/app/dark-mode").as_deref(),
            Some("/dev/app/dark_mode")
        );
        assert_eq!(near("/dev/app/enabld").as_deref(), Some("/dev/app/enabled"));
        assert_eq!(near("APP_ENABLD").as_deref(), Some("APP_ENABLED"));
        assert_eq!(near("/dev/app/timeout"), None);
        assert_eq!(near("/other/thing"), None);
    }
}
