//! Shared by the command line's tests.

use std::path::Path;

/// Writes `contents` to `rel` under `root`, creating its folders.
pub fn write(root: &Path, rel: &str, contents: &(impl AsRef<[u8]> + ?Sized)) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents.as_ref()).unwrap();
}
