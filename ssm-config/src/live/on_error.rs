//! `refresh_on_error`: run a call with the current snapshot; if it fails
//! (a rotated password, say), refresh and call once more.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::Live;
use crate::SsmConfig;

impl<T: SsmConfig> Live<T> {
    /// Runs `call` with the current snapshot; on `Err`, refreshes and runs it
    /// once more with the new snapshot, returning that result.
    ///
    /// Refreshes from here are rate-limited
    /// ([`RefreshPolicy::on_error_interval`](crate::live::RefreshPolicy::on_error_interval),
    /// 5 s by default): within the interval the call is retried only if
    /// another refresh has already brought a new snapshot, so a dependency
    /// that keeps failing cannot hammer SSM. If the refresh fails, the
    /// call's own error is returned and the refresh error is logged.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, Secret, SsmConfig};
    /// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct Db { password: Secret<String> }
    /// # async fn connect(password: &str) -> Result<&'static str, String> {
    /// #     if password == "rotated" { Ok("connected") } else { Err("auth failed".into()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
    /// # let source = MemorySource::new();
    /// # source.put_secure("/app/password", "old");
    /// let config = Db::loader().source(source.clone()).load().await?;
    /// source.put_secure("/app/password", "rotated");
    /// let session = config
    ///     .refresh_on_error(|db| async move { connect(db.password.expose_secret()).await })
    ///     .await;
    /// assert_eq!(session, Ok("connected"));
    /// # Ok(()) }
    /// ```
    pub async fn refresh_on_error<F, Fut, R, E>(&self, call: F) -> Result<R, E>
    where
        F: Fn(Arc<T>) -> Fut,
        Fut: Future<Output = Result<R, E>>,
    {
        self.refresh_on_error_if(|_| true, call).await
    }

    /// Like [`refresh_on_error`](Live::refresh_on_error), but refreshes only
    /// for errors `should_refresh` accepts (an authentication failure, not a
    /// timeout); other errors are returned at once.
    pub async fn refresh_on_error_if<P, F, Fut, R, E>(
        &self,
        should_refresh: P,
        call: F,
    ) -> Result<R, E>
    where
        P: FnOnce(&E) -> bool,
        F: Fn(Arc<T>) -> Fut,
        Fut: Future<Output = Result<R, E>>,
    {
        let used = self.get().into_arc();
        let err = match call(Arc::clone(&used)).await {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        if !should_refresh(&err) {
            return Err(err);
        }
        if self.claim_error_refresh()
            && let Err(refresh_err) = self.refresh().await
        {
            tracing::warn!(
                config = T::DESCRIPTION.type_name,
                error = %refresh_err,
                "refresh after a failed call failed; returning the call's error"
            );
            return Err(err);
        }
        let current = self.get().into_arc();
        if Arc::ptr_eq(&current, &used) {
            // Nothing new to try: the refresh changed nothing, or was
            // rate-limited and no other refresh has happened since.
            return Err(err);
        }
        call(current).await
    }

    /// Whether the minimum interval since the last forced refresh has passed;
    /// if so, claims this one.
    fn claim_error_refresh(&self) -> bool {
        let shared = &self.shared;
        let interval =
            u64::try_from(shared.policy.on_error_interval.as_nanos()).unwrap_or(u64::MAX);
        let last = shared.last_error_refresh.load(Ordering::Acquire);
        // Stored as time + 1, so 0 means never.
        let now = shared.now_nanos() + 1;
        (last == 0 || now.saturating_sub(last) >= interval)
            && shared
                .last_error_refresh
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
    }
}
