//! Files in a directory of their own under the system's temp dir, removed
//! on drop: one per test, so tests never see each other's files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct TempFile {
    dir: PathBuf,
    pub path: PathBuf,
}

impl TempFile {
    /// `name`, holding `text`, in a new directory.
    pub fn new(name: &str, text: &str) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("ssm-config-test-{}-{unique}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = TempFile {
            path: dir.join(name),
            dir,
        };
        file.write(text);
        file
    }

    /// Replaces the file's text.
    pub fn write(&self, text: &str) {
        std::fs::write(&self.path, text).unwrap();
    }

    /// Another file in the same directory.
    pub fn sibling(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
