//! Watch mode: each refresh cycle reads one parameter, and the whole group
//! is loaded again only when that parameter's version changed, or when a
//! long safety interval has passed. A 100-name config then costs one call
//! per instance per cycle.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use ssm_config_rules::Filler;
use tokio::time::Instant;

use crate::error::{Error, Problem};
use crate::pipeline::Group;
use crate::pipeline::deadline::{Timed, fraction_of};

/// The watched parameter and what was last seen of it.
pub(crate) struct Watch {
    pub name: String,
    full_every: Duration,
    seen: Mutex<Seen>,
}

struct Seen {
    /// The version last seen; `None` while the parameter does not exist.
    version: Option<i64>,
    /// When the whole group was last loaded.
    full_at: Instant,
    /// This cycle's share of the safety interval, drawn afresh after each
    /// full load, so a fleet's safety reloads do not come together.
    full_after: Duration,
}

/// What a watch check found.
pub(crate) enum Verdict {
    /// Nothing changed: the snapshot is confirmed as current.
    Unchanged,
    /// The version moved (or the safety interval passed): load everything.
    Reload(Option<i64>),
}

impl Watch {
    /// Fills `template` into the watched parameter's name by the load's
    /// rulebook: done before any call, so a name the load would refuse
    /// costs no request.
    pub fn name(group: &Group, template: &str, config: &'static str) -> Result<String, Error> {
        group
            .fill_watched(|lookup| Filler::checked(lookup).parameter("", template))
            .map_err(|problem| Error::new(config, vec![problem]))
    }

    /// Reads the watched parameter's version once.
    pub async fn start(
        group: &Group,
        name: String,
        full_every: Duration,
        config: &'static str,
    ) -> Result<Watch, Error> {
        let version = read_version(group, &name, config)
            .await
            .map_err(|problem| Error::new(config, vec![problem]))?;
        Ok(Watch {
            name,
            full_every,
            seen: Mutex::new(Seen {
                version,
                full_at: Instant::now(),
                full_after: share(full_every, super::backoff::draw()),
            }),
        })
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the watched parameter from `group`'s source: reload when its
    /// version moved or the safety interval has passed. A read that times
    /// out fails the check, as any failed read does.
    pub async fn check(&self, group: &Group, config: &'static str) -> Result<Verdict, Error> {
        let version = read_version(group, &self.name, config)
            .await
            .map_err(|problem| Error::new(config, vec![problem]))?;
        let seen = self.seen();
        let moved = version != seen.version;
        let due = seen.full_at.elapsed() >= seen.full_after;
        Ok(match moved || due {
            true => Verdict::Reload(version),
            false => Verdict::Unchanged,
        })
    }

    /// The version last seen.
    pub fn version(&self) -> Option<i64> {
        self.seen().version
    }

    /// A full load succeeded, having seen `version`.
    pub fn loaded(&self, version: Option<i64>) {
        let mut seen = self.seen();
        seen.version = version;
        seen.full_at = Instant::now();
        seen.full_after = share(self.full_every, super::backoff::draw());
    }
}

/// Between nine tenths and all of `every`.
fn share(every: Duration, random: f64) -> Duration {
    fraction_of(every, 1.0 - 0.1 * random.clamp(0.0, 1.0))
}

/// The version of `name` in `group`'s source, or `None` if it does not
/// exist; under the group's call timeout, as every call (and its load
/// timeout, since this one call is the whole read), and counted in
/// `config`'s call metrics.
async fn read_version(
    group: &Group,
    name: &str,
    config: &'static str,
) -> Result<Option<i64>, Problem> {
    let limits = group.limits;
    let source =
        Timed::new(&*group.source, limits.call_timeout.min(limits.load_timeout)).counted(config);
    let names = [name.to_owned()];
    let output = source
        .get_parameters(&names, false)
        .await
        .map_err(|err| Problem::Source {
            source_name: source.describe(),
            names: names.to_vec(),
            error: std::sync::Arc::new(err),
        })?;
    Ok(output
        .parameters
        .iter()
        .find(|p| p.name == name)
        .or(output.parameters.first())
        .map(|p| p.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_safety_interval_share_never_overflows() {
        let every = Duration::from_secs(100);
        assert_eq!(share(every, 0.0), every);
        assert_eq!(share(every, 1.0), Duration::from_secs(90));
        assert_eq!(share(Duration::MAX, 0.0), Duration::MAX);
        assert!(share(Duration::MAX, 0.5) < Duration::MAX);
    }
}
