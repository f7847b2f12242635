//! Shared by the command line's tests.

use std::path::Path;

/// Writes `contents` to `rel` under `root`, creating its folders.
pub fn write(root: &Path, rel: &str, contents: &(impl AsRef<[u8]> + ?Sized)) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents.as_ref()).unwrap();
}

/// `text` encoded as Latin-1 would write it (every `é` one byte, 0xE9):
/// bytes that are not UTF-8.
pub fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}
