//! Conversions between the LSP's coordinates and planmark's: positions in
//! the negotiated encoding to byte offsets (and rope char indices) and back,
//! and `file:` URIs to paths and back. Nothing else in the server counts
//! columns.

use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range, Uri};

use crate::analysis::text::{ColumnUnit, LineCol, LineIndex, TextRange};

/// The position encoding agreed with the client in `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Encoding {
    Utf8,
    /// The protocol's default, and what every client supports.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (it is the cheapest for us), else
    /// the mandatory UTF-16.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }

    fn width(self, ch: char) -> usize {
        match self {
            Encoding::Utf8 => ch.len_utf8(),
            Encoding::Utf16 => ch.len_utf16(),
        }
    }
}

/// The LSP position of a byte offset into `text`.
pub(crate) fn position(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let LineCol { line, col } = index.line_col(text, offset, enc.unit());
    Position::new(line, col)
}

/// The LSP range of a byte range of `text`.
pub(crate) fn range(text: &str, index: &LineIndex, range: TextRange, enc: Encoding) -> Range {
    Range::new(
        position(text, index, range.start(), enc),
        position(text, index, range.end(), enc),
    )
}

/// The byte offset of an LSP position in `text`. Positions past a line's end
/// clamp to the end of that line, positions past the last line to the end of
/// the text, and positions inside a character to its start. (For request
/// handlers such as completion and hover.)
pub(crate) fn offset(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> usize {
    let at = LineCol {
        line: pos.line,
        col: pos.character,
    };
    index.offset(text, at, enc.unit())
}

/// The char index in `rope` of an LSP position, clamped the same way as
/// [`offset`]. The rope must count only `\n`, `\r\n` and `\r` as line breaks
/// (ropey's `cr_lines` without `unicode_lines`), as the LSP does.
pub(crate) fn rope_char(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let mut index = rope.line_to_char(line);
    let mut remaining = pos.character as usize;
    for ch in rope.line(line).chars() {
        if ch == '\n' || ch == '\r' {
            break;
        }
        let width = enc.width(ch);
        if remaining < width {
            break;
        }
        remaining -= width;
        index += 1;
    }
    index
}

/// The char range in `rope` of an LSP range; a reversed range is emptied at
/// its start.
pub(crate) fn rope_range(rope: &Rope, range: Range, enc: Encoding) -> std::ops::Range<usize> {
    let start = rope_char(rope, range.start, enc);
    let end = rope_char(rope, range.end, enc).max(start);
    start..end
}

/// The local path of a `file:` URI: `None` for another scheme, for a host
/// other than `localhost` (a file on another machine is never mapped to a
/// local path of the same name) and for a path that is not absolute. `.`
/// and `..` are resolved without touching the file system, so a path can
/// never climb out of a root it seems to lie in. On Unix the escapes
/// decode to the path's bytes as they are (`%FF` is the byte 0xFF, UTF-8
/// or not). On Windows, `file:///c:/x` is `c:/x`.
pub(crate) fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let host = uri.authority().map(|a| a.host()).unwrap_or_default();
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = decoded_path(uri)?;
    path.is_absolute().then(|| crate::discover::lexical(&path))
}

#[cfg(unix)]
fn decoded_path(uri: &Uri) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = uri.path().decode().to_bytes();
    if bytes.is_empty() || bytes.contains(&0) {
        return None;
    }
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(&bytes)))
}

#[cfg(not(unix))]
fn decoded_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.path().decode().to_string_lossy();
    // `/c:/x` names the drive `c:`.
    let bytes = text.as_bytes();
    let text = match bytes {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => &text[1..],
        _ => &text[..],
    };
    if text.is_empty() || text.contains('\0') {
        return None;
    }
    Some(PathBuf::from(text))
}

/// The `file:` URI of an absolute path. On Unix a path is a string of
/// bytes, not necessarily UTF-8: every byte but ASCII letters, digits,
/// `-._~` and the `/` separators is percent-encoded as it is (a name with
/// the byte 0xFF is spelled `%FF`, as VS Code and Neovim spell it), so the
/// URI decodes to the very same path. For a UTF-8 path this is the
/// encoding `Uri::from_file_path` gives.
#[cfg(unix)]
pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    use std::os::unix::ffi::OsStrExt;
    use std::str::FromStr;
    if !path.is_absolute() {
        return Uri::from_file_path(path);
    }
    let bytes = path.as_os_str().as_bytes();
    let mut encoded = String::with_capacity("file://".len() + bytes.len());
    encoded.push_str("file://");
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    Uri::from_str(&encoded).ok()
}

/// The `file:` URI of an absolute path, its drive letter spelled as
/// `Uri::from_file_path` spells it.
#[cfg(not(unix))]
pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_positions_clamp_and_count_in_both_encodings() {
        let text = "a😀b\r\n漢字x\re\u{301}z\n";
        let rope = Rope::from_str(text);
        let at = |line, character, enc| rope_char(&rope, Position::new(line, character), enc);
        // After the emoji: 3 UTF-16 units, 5 UTF-8 bytes, char index 2.
        assert_eq!(at(0, 3, Encoding::Utf16), 2);
        assert_eq!(at(0, 5, Encoding::Utf8), 2);
        // Inside the emoji: back to its start.
        assert_eq!(at(0, 2, Encoding::Utf16), 1);
        assert_eq!(at(0, 3, Encoding::Utf8), 1);
        // Past the end of a CRLF line: before the line break.
        assert_eq!(at(0, 99, Encoding::Utf16), 3);
        // CJK on the second line, after a CRLF.
        assert_eq!(at(1, 2, Encoding::Utf16), 7);
        assert_eq!(at(1, 6, Encoding::Utf8), 7);
        // A lone CR ends a line; a combining mark is its own unit.
        assert_eq!(at(2, 2, Encoding::Utf16), 11);
        // Past the last line: the end.
        assert_eq!(at(42, 0, Encoding::Utf8), rope.len_chars());
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let pos = position(text, &index, offset, enc);
                let char_index = rope.byte_to_char(offset);
                if !matches!(text.as_bytes()[offset], b'\n' | b'\r') {
                    assert_eq!(rope_char(&rope, pos, enc), char_index, "{offset} {enc:?}");
                    assert_eq!(super::offset(text, &index, pos, enc), offset);
                }
            }
        }
    }

    #[test]
    fn encodings_are_negotiated() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/issues/x.md");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/issues/x.md");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }

    #[cfg(unix)]
    #[test]
    fn only_local_absolute_file_uris_become_paths() {
        let path = |uri: &str| uri_to_path(&uri.parse::<Uri>().unwrap());
        assert_eq!(
            path("file:///share/x.md"),
            Some(PathBuf::from("/share/x.md"))
        );
        assert_eq!(
            path("file://localhost/share/x.md"),
            Some(PathBuf::from("/share/x.md"))
        );
        assert_eq!(
            path("FILE://LocalHost/share/x.md"),
            Some(PathBuf::from("/share/x.md"))
        );
        assert_eq!(path("file://host/share/x.md"), None);
        assert_eq!(path("file://127.0.0.1/share/x.md"), None);
        assert_eq!(path("file:x.md"), None);
        assert_eq!(path("file://"), None);
        assert_eq!(path("file:///a/%00b.md"), None);
        assert_eq!(
            path("file:///tmp/ws/../x.md"),
            Some(PathBuf::from("/tmp/x.md"))
        );
        assert_eq!(
            path("file:///tmp/./ws/x.md"),
            Some(PathBuf::from("/tmp/ws/x.md"))
        );
        assert_eq!(path("file:///../../x.md"), Some(PathBuf::from("/x.md")));
    }

    /// A name that is not UTF-8 keeps its bytes through the URI and back;
    /// UTF-8 names are encoded exactly as `Uri::from_file_path` encodes them.
    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_round_trip_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/plans \xFF/x\xE9 1.md"));
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/plans%20%FF/x%E9%201.md");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        for text in [
            "/tmp/a b/issues/x.md",
            "/x/backlog/tasks/task-1 - Café 出荷 (v2)+#%.md",
            "/",
        ] {
            let path = Path::new(text);
            assert_eq!(path_to_uri(path), Uri::from_file_path(path), "{text}");
            assert_eq!(uri_to_path(&path_to_uri(path).unwrap()).unwrap(), path);
        }
    }

    #[cfg(windows)]
    #[test]
    fn drive_letters_stay_working() {
        let path = |uri: &str| uri_to_path(&uri.parse::<Uri>().unwrap());
        assert_eq!(
            path("file:///c:/ws/x.md"),
            Some(PathBuf::from("c:/ws/x.md"))
        );
        assert_eq!(
            path("file:///C%3A/ws/x.md"),
            Some(PathBuf::from("C:/ws/x.md"))
        );
        assert_eq!(path("file://host/share/x.md"), None);
    }
}
