//! The state behind every clone of a [`Live`](super::Live): the current
//! snapshot, and refreshes that run one at a time in a task of their own,
//! shared by everyone who asks while one is under way. A caller that stops
//! waiting (a timeout, a dropped request) leaves the refresh running; the
//! callers after it join it (see [`flight`](super::flight)). A refresh
//! loads the whole group, checks the watched parameter, or reads only what
//! change events named ([`targets`](super::targets)).

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use arc_swap::ArcSwap;
use futures_util::future::{BoxFuture, Shared as SharedFuture};
use tokio::sync::watch;
use tokio::time::Instant;

use super::RefreshPolicy;
#[cfg(feature = "events")]
use super::event_state::Events;
use super::health::Health;
use super::last_error::LastError;
use super::parameter_change::ParameterChange;
use super::refresher_state::RefresherState;
use super::snapshot::Published;
use super::status::Status;
#[cfg(feature = "events")]
use super::targets::{self, EventReads};
use super::watched::{Verdict, Watch};
use tracing::Instrument;

use crate::SsmConfig;
use crate::error::Error;
use crate::observe::{Observation, Operation};
use crate::pipeline::carried::Carried;
use crate::pipeline::{Group, Loaded};

/// A refresh's result: the snapshot it published, or why it failed.
pub(crate) type Outcome<T> = Result<Arc<Published<T>>, Error>;

/// The refresh under way, as its callers await it (see
/// [`flight`](super::flight)).
pub(super) type Flight<T> = SharedFuture<BoxFuture<'static, Outcome<T>>>;

/// What a refresh does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Load the whole group.
    Full,
    /// The refresher's (and an expired `fresh()`'s): in watch mode, read the watched parameter and load the whole group
    /// only if it moved; otherwise the same as `Full`.
    Scheduled,
    /// Read only what change events named (see [`targets`](super::targets)),
    /// or the whole group when the rules call for it.
    Targeted,
}

/// What an attempt read.
enum Read {
    /// The whole group (or, in watch mode, the watched parameter).
    Whole,
    /// The names change events named.
    #[cfg(feature = "events")]
    Some,
    /// Nothing: the changes name nothing the snapshot reads any more.
    #[cfg(feature = "events")]
    Nothing,
}

pub(crate) struct Shared<T> {
    pub current: ArcSwap<Published<T>>,
    pub group: Group,
    pub policy: RefreshPolicy,
    pub changes: watch::Sender<Arc<T>>,
    /// Time origin for `last_error_refresh`.
    epoch: Instant,
    /// The refresh under way, if any, with its number and kind. One at a
    /// time: a targeted refresh builds on the snapshot current when it
    /// starts, which is still current when it publishes.
    pub(super) flight: Mutex<Option<(u64, Kind, Flight<T>)>>,
    watch: Option<Watch>,
    pub(super) flights: AtomicU64,
    health: Mutex<Health>,
    #[cfg(feature = "events")]
    events: Mutex<Events>,
    /// What a refresh cut short by throttling or a timeout did read, for
    /// the next attempt to keep.
    carried: Mutex<Carried>,
    refresher: AtomicU8,
    /// Last forced refresh from `refresh_on_error`, in nanoseconds after
    /// `epoch` plus one (0: never).
    pub(crate) last_error_refresh: AtomicU64,
}

impl<T: SsmConfig> Shared<T> {
    pub fn new(
        loaded: Loaded<T>,
        group: Group,
        policy: RefreshPolicy,
        watch: Option<Watch>,
    ) -> Self {
        let now = Instant::now();
        let value = Arc::new(loaded.value);
        let (changes, _) = watch::channel(Arc::clone(&value));
        Shared {
            current: ArcSwap::from_pointee(Published {
                value,
                metadata: Arc::new(loaded.metadata),
                fingerprint: loaded.fingerprint,
                loaded_at: now,
                #[cfg(feature = "events")]
                bound: Arc::new(loaded.bound),
            }),
            group,
            policy,
            changes,
            epoch: now,
            flight: Mutex::new(None),
            watch,
            flights: AtomicU64::new(0),
            health: Mutex::new(Health::loaded(now)),
            #[cfg(feature = "events")]
            events: Mutex::default(),
            carried: Mutex::default(),
            refresher: AtomicU8::new(RefresherState::NotScheduled as u8),
            last_error_refresh: AtomicU64::new(0),
        }
    }

    pub fn now_nanos(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    #[cfg(feature = "events")]
    pub(crate) fn events(&self) -> MutexGuard<'_, Events> {
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for the refresh under way, if any, to end.
    #[cfg(feature = "events")]
    pub async fn settle(&self) {
        let running = self
            .flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|(_, _, flight)| flight.clone());
        if let Some(flight) = running {
            let _ended = flight.await;
        }
    }

    fn health(&self) -> MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// See [`Health::until_due`].
    pub fn until_due(&self, period: Duration) -> Duration {
        self.health().until_due(period)
    }

    /// See [`Health::until_retry`].
    #[cfg(feature = "events")]
    pub fn until_retry(&self) -> Duration {
        self.health().until_retry()
    }

    /// See [`Health::backing_off`].
    pub fn backing_off(&self) -> Option<Error> {
        self.health().backing_off()
    }

    /// Refreshes the whole group, or joins the refresh under way. The load
    /// runs in a task of its own, so dropping the returned future does not
    /// stop it.
    pub async fn refresh(self: &Arc<Self>) -> Outcome<T> {
        self.refresh_as(Kind::Full, Duration::ZERO).await
    }

    /// A refresh of `kind`, with the calls of a new full load spread over
    /// `pace` (the refresher's, which nobody waits on). A check under way
    /// serves a caller who asked for a check; one who asked for a full load
    /// waits for it, then starts one.
    pub async fn refresh_as(self: &Arc<Self>, kind: Kind, pace: Duration) -> Outcome<T> {
        let kind = match self.watch {
            Some(_) => kind,
            None => Kind::Full,
        };
        self.fly(kind, pace, Arc::default()).await
    }

    /// A refresh for `changes` (see [`targets`](super::targets)): after
    /// any refresh under way, unless that is a full load, which serves.
    #[cfg(feature = "events")]
    pub async fn refresh_for_changes(
        self: &Arc<Self>,
        changes: Arc<[ParameterChange]>,
        pace: Duration,
    ) -> Outcome<T> {
        self.fly(Kind::Targeted, pace, changes).await
    }

    /// One attempt: load, record what happened, and let the next caller
    /// start a new refresh.
    pub(super) async fn attempt(
        &self,
        id: u64,
        kind: Kind,
        pace: Duration,
        changes: &[ParameterChange],
    ) -> Outcome<T> {
        let config = T::DESCRIPTION.type_name;
        let observation =
            Observation::start(Operation::Refresh, config, &self.group.source.describe());
        let (outcome, read) = self
            .load(kind, pace, changes)
            .instrument(observation.span().clone())
            .await;
        // `changed` is recorded where the snapshot is published.
        observation.finish(outcome.as_ref().map(|_| None));
        match read {
            Read::Whole => self.record(&outcome, true),
            #[cfg(feature = "events")]
            Read::Some => self.record(&outcome, false),
            // Changes the snapshot no longer reads: nothing was tried.
            #[cfg(feature = "events")]
            Read::Nothing => {}
        }
        let failures = self.health().consecutive_failures;
        crate::metrics::health(config, self.current.load().loaded_at.elapsed(), failures);
        self.end_flight(id);
        outcome
    }

    /// The attempt's outcome, and what it read.
    async fn load(
        &self,
        kind: Kind,
        pace: Duration,
        #[cfg_attr(not(feature = "events"), expect(unused_variables))]
        changes: &[ParameterChange],
    ) -> (Outcome<T>, Read) {
        #[cfg(feature = "events")]
        if kind == Kind::Targeted {
            let base = self.current.load_full();
            let watched = self.watch.as_ref().map(|watch| watch.name.as_str());
            match targets::reads_for_all(changes, &base.bound, watched) {
                EventReads::Nothing => return (Ok(base), Read::Nothing),
                EventReads::Read(rereads) => {
                    tracing::Span::current().record("targeted", true);
                    let loaded = self.group.load_targeted::<T>(&base.bound, &rereads).await;
                    let published = loaded.map(|loaded| {
                        let metadata = loaded.metadata.built_on(base.metadata.loaded_at());
                        self.publish(Loaded { metadata, ..loaded }, base.loaded_at)
                    });
                    return (published, Read::Some);
                }
                EventReads::Full => {}
            }
        }
        (self.load_whole(kind, pace).await, Read::Whole)
    }

    async fn load_whole(&self, kind: Kind, pace: Duration) -> Outcome<T> {
        let Some(watch) = &self.watch else {
            return Ok(self.publish(self.load_group(pace).await?, Instant::now()));
        };
        let config = T::DESCRIPTION.type_name;
        let version = match (kind, watch.check(&self.group, config).await?) {
            (Kind::Scheduled, Verdict::Unchanged) => return Ok(self.confirm()),
            (_, Verdict::Reload(version)) => version,
            (Kind::Full | Kind::Targeted, Verdict::Unchanged) => watch.version(),
        };
        let loaded = self.load_group(pace).await?;
        watch.loaded(version);
        Ok(self.publish(loaded, Instant::now()))
    }

    /// Loads the whole group, keeping what the last attempt read if it was
    /// cut short by throttling or a timeout not long ago.
    async fn load_group(&self, pace: Duration) -> Result<Loaded<T>, Error> {
        let mut carried = std::mem::replace(&mut *self.carried(), Carried::stand_in());
        carried.expire(
            self.policy
                .max_age
                .unwrap_or(CARRY_AT_MOST)
                .min(CARRY_AT_MOST),
        );
        let loaded = self.group.load_paced::<T>(pace, Some(&mut carried)).await;
        // Change events during the load were recorded on the stand-in: what
        // the load read of those names may predate the change.
        let mut slot = self.carried();
        if let Some(meanwhile) = std::mem::replace(&mut *slot, carried).take_forgotten() {
            slot.forget_all(meanwhile);
        }
        loaded
    }

    fn carried(&self) -> MutexGuard<'_, Carried> {
        self.carried.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A change event named `name`: what an earlier attempt read of it is
    /// out of date.
    #[cfg(feature = "events")]
    pub fn forget_carried(&self, name: &str) {
        self.carried().forget(name);
    }

    /// The watched parameter did not move: the current snapshot is
    /// confirmed as of now, for readers and subscribers alike unchanged.
    fn confirm(&self) -> Arc<Published<T>> {
        tracing::Span::current().record("changed", false);
        let current = self.current.load_full();
        let confirmed = Arc::new(Published {
            value: Arc::clone(&current.value),
            metadata: Arc::clone(&current.metadata),
            fingerprint: current.fingerprint,
            loaded_at: Instant::now(),
            #[cfg(feature = "events")]
            bound: Arc::clone(&current.bound),
        });
        self.current.store(Arc::clone(&confirmed));
        confirmed
    }

    /// Records an attempt's outcome; one that did not read the whole group
    /// leaves the schedule of full refreshes as it was.
    pub(super) fn record(&self, outcome: &Outcome<T>, whole: bool) {
        let outcome = outcome.as_ref().map(|_| ());
        self.health().record(outcome, self.policy.max_age, whole);
    }

    /// Swaps in a new snapshot, whose values were all read since
    /// `loaded_at` (a targeted refresh keeps its base's). When no value
    /// changed, readers keep the same `Arc` and subscribers are not woken.
    fn publish(&self, loaded: Loaded<T>, loaded_at: Instant) -> Arc<Published<T>> {
        let current = self.current.load();
        let changed = loaded.fingerprint != current.fingerprint;
        let value = if changed {
            Arc::new(loaded.value)
        } else {
            Arc::clone(&current.value)
        };
        let published = Arc::new(Published {
            value: Arc::clone(&value),
            metadata: Arc::new(loaded.metadata),
            fingerprint: loaded.fingerprint,
            loaded_at,
            #[cfg(feature = "events")]
            bound: Arc::new(loaded.bound),
        });
        self.current.store(Arc::clone(&published));
        tracing::Span::current().record("changed", changed);
        if changed {
            tracing::info!(config = T::DESCRIPTION.type_name, "configuration changed");
            self.changes.send_replace(value);
        }
        published
    }

    /// The names, walks and secrets whose change events concern this
    /// configuration, as the current snapshot read them (the watched
    /// parameter among the names).
    #[cfg(feature = "fan-out")]
    pub fn event_sources(&self) -> crate::fan_out::EventSources {
        let bound = &self.current.load().bound;
        let mut sources = crate::fan_out::EventSources::default();
        let watched = self.watch.as_ref().map(|watch| watch.name.clone());
        for request in &bound.requests.names {
            match crate::name::referenced_secret(&request.name) {
                Some(_) => sources.secrets = true,
                // A parameter bound by ARN: its events name it by path.
                None => sources.names.push(request.match_key().to_owned()),
            }
        }
        sources.names.extend(watched);
        sources.paths = bound
            .requests
            .paths
            .iter()
            .map(|p| p.path.clone())
            .collect();
        sources
    }

    /// What `change` calls for, given what the current snapshot read.
    #[cfg(feature = "events")]
    pub fn reads_for(&self, change: &ParameterChange) -> EventReads {
        let watched = self.watch.as_ref().map(|watch| watch.name.as_str());
        targets::reads_for(change, &self.current.load().bound, watched)
    }

    pub fn set_refresher(&self, state: RefresherState) {
        self.refresher.store(state as u8, Ordering::Release);
    }

    pub fn status(&self) -> Status {
        let loaded_at = self.current.load().loaded_at;
        crate::metrics::snapshot_age(T::DESCRIPTION.type_name, loaded_at.elapsed());
        #[cfg(feature = "events")]
        let (events_applied, events_ignored, events_refused) = {
            let events = self.events();
            (events.applied, events.ignored, events.refused)
        };
        let health = self.health();
        Status {
            snapshot_age: loaded_at.elapsed(),
            loaded_at: loaded_at.into_std(),
            last_success: health.last_success.into_std(),
            last_error: health.last_error.as_ref().map(|(error, at)| LastError {
                kind: error.kind(),
                at: at.into_std(),
                error: error.clone(),
            }),
            consecutive_failures: health.consecutive_failures,
            refresher: RefresherState::from_u8(self.refresher.load(Ordering::Acquire)),
            #[cfg(feature = "events")]
            events_applied,
            #[cfg(feature = "events")]
            events_ignored,
            #[cfg(feature = "events")]
            events_refused,
        }
    }
}

/// The longest a failed attempt's reads are kept for the next one (and
/// never longer than max age, so a snapshot is no older than it promises):
/// several times the backoff's ceiling under throttling, so an instance
/// that gets one call through per attempt still completes its load.
const CARRY_AT_MOST: Duration = Duration::from_secs(3600);
