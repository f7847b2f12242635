//! Reads one planning file's bytes as text: straight into the allocation
//! the workspace keeps, in as few system calls as a file of known size
//! allows, with bytes that are not UTF-8 read as editors read them.

mod folder_handles;

use std::fs::File;
use std::io::{IoSliceMut, Read};
use std::path::Path;
use std::sync::Arc;

use crate::analysis::text::MAX_FILE_BYTES;
use crate::analysis::workspace::{FileInput, InvalidUtf8};

pub(crate) use folder_handles::forget_folders;

/// Reads one file as planning text.
pub fn read_input(path: &Path) -> FileInput {
    read_opened_by(path, |path| File::open(path))
}

/// Reads one of many files listed in path order as planning text, opening
/// it in a folder the reading thread keeps open (see [`folder_handles`]).
/// Call [`forget_folders`] once they are read.
pub(crate) fn read_listed(path: &Path) -> FileInput {
    read_opened_by(path, folder_handles::open)
}

fn read_opened_by(path: &Path, open: fn(&Path) -> std::io::Result<File>) -> FileInput {
    let bytes = match read_shared(path, open) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge(size)) => {
            return FileInput::Unreadable(format!(
                "is {size} bytes long, more than the 4 GiB planmark reads"
            ))
        }
        Err(ReadError::Io(err)) => {
            return FileInput::Unreadable(format!("cannot be read: {}", io_reason(&err)))
        }
    };
    match std::str::from_utf8(&bytes) {
        Ok(_) => {
            // SAFETY: `str` and `[u8]` have the same layout, and the bytes
            // were just checked to be UTF-8; nothing else holds the
            // allocation, so nothing can change them afterwards.
            let text = unsafe { Arc::from_raw(Arc::into_raw(bytes) as *const str) };
            FileInput::Text(text)
        }
        Err(err) => not_utf8(&bytes, err.valid_up_to()),
    }
}

/// Reads bytes that are not UTF-8 as editors read them: UTF-16 by its
/// byte-order mark, else each bad sequence as U+FFFD, so that the rest of
/// the file is checked. Binary data (a NUL byte near the start, as git
/// decides) is refused instead.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> FileInput {
    let utf16 = |to_unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| to_unit([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        FileInput::NotUtf8 {
            text: Arc::from(String::from_utf16_lossy(&units)),
            bad: InvalidUtf8::Utf16,
        }
    };
    match bytes {
        [0xFF, 0xFE, ..] => return utf16(u16::from_le_bytes),
        [0xFE, 0xFF, ..] => return utf16(u16::from_be_bytes),
        _ => {}
    }
    if bytes[..bytes.len().min(8000)].contains(&0) {
        return FileInput::Unreadable(format!(
            "is binary data, not text (byte 0x{:02X} at offset {valid_up_to} is not UTF-8)",
            bytes[valid_up_to]
        ));
    }
    FileInput::NotUtf8 {
        text: Arc::from(String::from_utf8_lossy(bytes)),
        bad: InvalidUtf8::BadByte {
            offset: u32::try_from(valid_up_to).unwrap_or(u32::MAX),
            byte: bytes[valid_up_to],
        },
    }
}

/// Why a file's bytes were not read.
enum ReadError {
    /// It is longer than [`MAX_FILE_BYTES`]; it was not read.
    TooLarge(u64),
    Io(std::io::Error),
}

/// A file's bytes, read straight into a shared allocation of the size the
/// file has when it is opened: a workspace keeps every text, and reading
/// into a growable buffer first would copy each one. A file that another
/// program shortens or lengthens meanwhile is read again the plain way.
fn read_shared(
    path: &Path,
    open: fn(&Path) -> std::io::Result<File>,
) -> Result<Arc<[u8]>, ReadError> {
    let mut file = open(path).map_err(ReadError::Io)?;
    let size = file.metadata().map_err(ReadError::Io)?.len();
    let len = match usize::try_from(size) {
        Ok(len) if size <= MAX_FILE_BYTES => len,
        _ => return Err(ReadError::TooLarge(size)),
    };
    let mut bytes: Arc<[u8]> = std::iter::repeat_n(0, len).collect();
    let buffer = Arc::get_mut(&mut bytes).expect("a new allocation has one owner");
    if fill_to_the_end(&mut file, buffer) {
        return Ok(bytes);
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(Arc::from(bytes))
}

/// Fills `buffer` from `file` and tells whether the file ended right after
/// it. One vectored read asks for a byte more than the buffer holds, so a
/// file still of the size it had when opened is read, its end included, in
/// one system call instead of two.
fn fill_to_the_end(file: &mut File, buffer: &mut [u8]) -> bool {
    let mut beyond = [0u8; 1];
    let first = file.read_vectored(&mut [IoSliceMut::new(buffer), IoSliceMut::new(&mut beyond)]);
    match first {
        Ok(n) if n == buffer.len() => true,
        // A short read: the rest is asked for, then the end.
        Ok(n) if n < buffer.len() => {
            file.read_exact(&mut buffer[n..]).is_ok()
                && file.read(&mut beyond).is_ok_and(|n| n == 0)
        }
        // The file grew, or the read failed (interrupted, say).
        _ => false,
    }
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => {
            "it was deleted while planmark was reading the workspace".into()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        std::fs::write(root.join(rel), text).unwrap();
    }

    /// A file's text is read whole, with CRLF and multi-byte characters as
    /// they are; a file that is not UTF-8 is read with U+FFFD for each bad
    /// sequence and says where the first was; a file past the size planmark
    /// reads is refused before a byte of it is read.
    #[test]
    fn a_file_is_read_whole_or_refused_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# Ünïcode 📦\r\n\r\n- [ ] 検証\r\n";
        write(dir.path(), "a.md", text);
        assert!(matches!(read_input(&dir.path().join("a.md")), FileInput::Text(t) if &*t == text));
        write(dir.path(), "empty.md", "");
        assert!(
            matches!(read_input(&dir.path().join("empty.md")), FileInput::Text(t) if t.is_empty())
        );
        std::fs::write(dir.path().join("latin1.md"), b"# Caf\xe9 \xe5\x9e?\n").unwrap();
        assert!(matches!(
            read_input(&dir.path().join("latin1.md")),
            FileInput::NotUtf8 { text, bad: InvalidUtf8::BadByte { offset: 5, byte: 0xE9 } }
                if &*text == "# Caf\u{FFFD} \u{FFFD}?\n"
        ));
        // UTF-16, as Windows tools write it, is told by its byte-order mark.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "# Caf\u{e9} 📦\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        std::fs::write(dir.path().join("utf16.md"), &utf16).unwrap();
        assert!(matches!(
            read_input(&dir.path().join("utf16.md")),
            FileInput::NotUtf8 { text, bad: InvalidUtf8::Utf16 } if &*text == "# Caf\u{e9} 📦\r\n"
        ));
        let mut utf16_be = vec![0xFE, 0xFF];
        utf16_be.extend("# Hi\n".encode_utf16().flat_map(u16::to_be_bytes));
        std::fs::write(dir.path().join("utf16be.md"), &utf16_be).unwrap();
        assert!(matches!(
            read_input(&dir.path().join("utf16be.md")),
            FileInput::NotUtf8 { text, bad: InvalidUtf8::Utf16 } if &*text == "# Hi\n"
        ));
        // Binary data is refused.
        std::fs::write(dir.path().join("image.md"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
        assert!(matches!(
            read_input(&dir.path().join("image.md")),
            FileInput::Unreadable(reason) if reason == "is binary data, not text (byte 0x89 at offset 0 is not UTF-8)"
        ));
        // Sparse: no 4 GiB are written, and none may be read.
        let huge = std::fs::File::create(dir.path().join("huge.md")).unwrap();
        huge.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(
            read_input(&dir.path().join("huge.md")),
            FileInput::Unreadable(reason) if reason == "is 4294967296 bytes long, more than the 4 GiB planmark reads"
        ));
        assert!(matches!(
            read_input(&dir.path().join("gone.md")),
            FileInput::Unreadable(reason) if reason.starts_with("cannot be read: it was deleted")
        ));
    }

    /// A buffer of the file's size is filled with its end seen in one read;
    /// a file longer or shorter than the buffer says so, to be read again.
    #[test]
    fn a_buffer_is_filled_to_the_end_only_when_the_file_fits_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ten.md", "0123456789");
        let fill = |len: usize| {
            let mut file = File::open(dir.path().join("ten.md")).unwrap();
            let mut buffer = vec![0; len];
            let whole = fill_to_the_end(&mut file, &mut buffer);
            (whole, String::from_utf8(buffer).unwrap())
        };
        assert_eq!(fill(10), (true, "0123456789".to_string()));
        assert!(!fill(5).0, "the file grew past the buffer");
        assert!(!fill(15).0, "the file ends before the buffer does");
    }

    /// A load's files are opened in the folder its thread holds; once the
    /// folders are forgotten, a folder replaced since is read anew.
    #[test]
    fn listed_files_are_read_from_their_folder_until_it_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, text) in [("a", "first a"), ("b", "first b")] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            write(dir.path(), &format!("{folder}/x.md"), text);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let text = |rel: &str| match read_listed(&dir.path().join(rel)) {
            FileInput::Text(text) => text.to_string(),
            _ => panic!("{rel} was not read as text"),
        };
        pool.install(|| {
            assert_eq!(text("a/x.md"), "first a");
            assert_eq!(text("b/x.md"), "first b");
            // `b` is held now; it moves away and another takes its path.
            std::fs::rename(dir.path().join("b"), dir.path().join("old-b")).unwrap();
            std::fs::create_dir(dir.path().join("b")).unwrap();
            write(dir.path(), "b/x.md", "second b");
            forget_folders();
            assert_eq!(text("b/x.md"), "second b");
            // A held folder that is removed gives the path's own error.
            std::fs::remove_dir_all(dir.path().join("b")).unwrap();
            assert!(matches!(
                read_listed(&dir.path().join("b/x.md")),
                FileInput::Unreadable(reason) if reason.starts_with("cannot be read: it was deleted")
            ));
        });
    }
}
