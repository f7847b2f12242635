//! Opens files listed in path order through a handle on their folder, kept
//! by the reading thread: such files mostly share a folder with the one
//! read before, and opening a name in an open folder spares the kernel a
//! walk through every folder of the path (a tenth of the system time of
//! reading 110,000 small files).

use std::fs::File;
use std::path::Path;

#[cfg(target_os = "linux")]
mod held {
    use std::cell::RefCell;
    use std::ffi::CString;
    use std::fs::File;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    thread_local! {
        /// The folder this thread last opened a file in, and a handle on it.
        static FOLDER: RefCell<Option<(PathBuf, OwnedFd)>> = const { RefCell::new(None) };
    }

    pub(super) fn open(path: &Path) -> std::io::Result<File> {
        // Only rayon's threads, which a load ends by clearing, keep one.
        if rayon::current_thread_index().is_none() {
            return File::open(path);
        }
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return File::open(path);
        };
        let Ok(name) = CString::new(name.as_bytes()) else {
            return File::open(path);
        };
        FOLDER.with_borrow_mut(|held| {
            if held.as_ref().is_none_or(|(held, _)| held != folder) {
                *held = open_folder(folder).map(|handle| (folder.to_path_buf(), handle));
            }
            let Some((_, handle)) = held else {
                return File::open(path);
            };
            // SAFETY: the handle is an open folder and the name a
            // NUL-terminated string; the descriptor returned is owned by
            // the file made of it and by nothing else.
            let fd = unsafe {
                libc::openat(
                    handle.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_CLOEXEC,
                )
            };
            if fd >= 0 {
                return Ok(unsafe { File::from_raw_fd(fd) });
            }
            // The folder may have been removed or replaced since it was
            // opened: the path decides, and gives the error to report.
            *held = None;
            File::open(path)
        })
    }

    /// A handle on `folder` that files can be opened in, and nothing else.
    fn open_folder(folder: &Path) -> Option<OwnedFd> {
        let folder = CString::new(folder.as_os_str().as_bytes()).ok()?;
        // SAFETY: a NUL-terminated path; the descriptor is owned below.
        let fd = unsafe {
            libc::open(
                folder.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
    }

    pub(super) fn forget_folders() {
        rayon::broadcast(|_| FOLDER.take());
    }
}

/// Opens `path` for reading, in the folder this thread holds when it is
/// the file's (else by its path).
pub(crate) fn open(path: &Path) -> std::io::Result<File> {
    #[cfg(target_os = "linux")]
    return held::open(path);
    #[cfg(not(target_os = "linux"))]
    File::open(path)
}

/// Closes the folders every thread holds: a load that has read its files
/// keeps no folder open (a held folder stays busy, and would be read again
/// after it was replaced).
pub(crate) fn forget_folders() {
    #[cfg(target_os = "linux")]
    held::forget_folders();
}
