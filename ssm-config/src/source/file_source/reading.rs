//! A local file's text, read where a deadline can leave it: a FIFO no one
//! writes to, or a hung NFS or FUSE mount, blocks the thread that reads,
//! and no timer can end a blocking call. On tokio's blocking pool, the
//! call's deadline gives up on the read while the runtime's own threads
//! keep running.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tokio::sync::Semaphore;

/// The reads of one file: one at a time on the blocking pool, so that a
/// file that never answers holds one thread, however many calls and
/// refreshes time out on it. Clones share the turn.
#[derive(Debug, Clone)]
pub(super) struct Reads {
    turn: Arc<Semaphore>,
}

impl Default for Reads {
    fn default() -> Self {
        Reads {
            turn: Arc::new(Semaphore::new(1)),
        }
    }
}

impl Reads {
    /// The whole text of `path`. Outside a tokio runtime there is no
    /// deadline to give up (see `pipeline::deadline`), so it is read here.
    pub async fn text(&self, path: &Path) -> io::Result<String> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return std::fs::read_to_string(path);
        };
        // Waiting for the turn is where a call gives up while an earlier
        // read is still stuck.
        let turn = Arc::clone(&self.turn)
            .acquire_owned()
            .await
            .map_err(io::Error::other)?;
        let path = path.to_owned();
        let read = runtime.spawn_blocking(move || {
            let _turn = turn;
            std::fs::read_to_string(&path)
        });
        // A read that panicked, or that the runtime cancelled as it shut
        // down, failed.
        read.await
            .unwrap_or_else(|failed| Err(io::Error::other(failed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text with a runtime (on its blocking pool) and without
    /// one (read in place, as there is no deadline to give it up).
    #[test]
    fn the_text_is_read_with_or_without_a_runtime() {
        let dir = std::env::temp_dir().join(format!("ssm-config-reading-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("local.toml");
        std::fs::write(&path, "[parameters]\n").unwrap();
        let reads = Reads::default();
        let without = futures_util::FutureExt::now_or_never(reads.text(&path));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let with = runtime.block_on(reads.text(&path));
        let missing = runtime.block_on(reads.text(&dir.join("absent.toml")));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(without.unwrap().unwrap(), "[parameters]\n");
        assert_eq!(with.unwrap(), "[parameters]\n");
        assert_eq!(missing.unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
