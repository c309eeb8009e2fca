//! Where setproc keeps things: the content folder, the search index and the
//! user's saved state.
//!
//! Run from the repository (or a binary built from it, while the repository
//! is still there), setproc uses the repository's `content/` and `index/`.
//! Installed elsewhere, or when those folders are not writable, generated
//! files go to the user's cache folder (`$XDG_CACHE_HOME/setproc`) and saved
//! state (bookmarks, last position, history) to the data folder
//! (`$XDG_DATA_HOME/setproc`). Nothing here is needed to read the manual:
//! its text is embedded in the binary.

use std::fs;
use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

/// The repository this binary was built from, if it is still there.
pub fn repo_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    (dir.join("Cargo.toml").is_file() && dir.join("source").is_dir()).then_some(dir)
}

fn strategy() -> Option<etcetera::base_strategy::Xdg> {
    etcetera::base_strategy::Xdg::new().ok()
}

/// `$XDG_CACHE_HOME/setproc` (or `~/.cache/setproc`).
pub fn cache_dir() -> PathBuf {
    strategy()
        .map(|s| s.cache_dir().join("setproc"))
        .unwrap_or_else(|| std::env::temp_dir().join("setproc-cache"))
}

/// `$XDG_DATA_HOME/setproc` (or `~/.local/share/setproc`): bookmarks,
/// history and the last position.
pub fn data_dir() -> PathBuf {
    strategy()
        .map(|s| s.data_dir().join("setproc"))
        .unwrap_or_else(|| std::env::temp_dir().join("setproc-data"))
}

/// Whether we can create files in `dir` (creating it if needed).
pub fn writable(dir: &Path) -> bool {
    if fs::create_dir_all(dir).is_err() {
        return false;
    }
    let probe = dir.join(format!(".setproc-probe-{}", std::process::id()));
    let ok = fs::write(&probe, b"").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}

/// The content folder `setproc build` writes by default: the repository's
/// `content/` when writable, else the cache folder's.
pub fn default_content_dir() -> PathBuf {
    repo_dir()
        .map(|r| r.join("content"))
        .filter(|d| writable(d))
        .unwrap_or_else(|| cache_dir().join("content"))
}

/// Where index folders live: the repository's `index/` when writable, else
/// the cache folder's.
pub fn default_index_root() -> PathBuf {
    repo_dir()
        .map(|r| r.join("index"))
        .filter(|d| writable(d))
        .unwrap_or_else(|| cache_dir().join("index"))
}

/// Where the index named `key` is, or should be built: an existing build
/// (repository first, then cache) is used where it lies, so that opening an
/// index never has to test a folder for writing.
pub fn index_root_for(key: &str) -> PathBuf {
    let repo = repo_dir().map(|r| r.join("index"));
    let cache = cache_dir().join("index");
    repo.into_iter()
        .chain(std::iter::once(cache))
        .find(|root| root.join(key).is_dir())
        .unwrap_or_else(default_index_root)
}
