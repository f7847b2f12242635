//! `invalid-utf8`: a planning file's bytes are not all UTF-8. It is checked
//! as read (each bad sequence as U+FFFD), and this finding says where the
//! first bad byte is and that planmark fixes nothing in the file. The
//! metadata is `Rule::InvalidUtf8` in `rule.rs`.

use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{InvalidUtf8, SourceFile, Workspace};

/// Reports the first bad byte of `file` when it was read from bytes that
/// are not all UTF-8.
pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let Some(bad) = ws.invalid_utf8(&file.rel) else {
        return;
    };
    let (start, message) = match bad {
        InvalidUtf8::BadByte { offset, byte } => (
            offset as usize,
            format!(
                "`{}` is not valid UTF-8: byte 0x{byte:02X} here begins no character. \
                 planmark reads each bad sequence as U+FFFD (\u{FFFD}) and fixes nothing in \
                 this file; save it as UTF-8",
                file.rel
            ),
        ),
        InvalidUtf8::Utf16 => (
            0,
            format!(
                "`{}` is UTF-16, not UTF-8: planmark reads it as UTF-16 and fixes nothing in \
                 this file; save it as UTF-8",
                file.rel
            ),
        ),
    };
    let start = start.min(file.text.len());
    // The range covers the character that stands where the bad bytes were.
    let len = file.text[start..].chars().next().map_or(0, char::len_utf8);
    sink.push(
        Rule::InvalidUtf8,
        TextRange::new(start, start + len),
        message,
    );
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};
    use crate::analysis::workspace::InvalidUtf8;

    #[test]
    fn a_file_read_from_bad_bytes_is_checked_and_says_where_they_were() {
        let rel = "issues/backlog/swe-feature-001.md";
        let mut ws = fixture::workspace(&format!("//- {rel}\n# Login\n")).workspace;
        let text = "# Login \u{FFFD}\n\n**Depends on:** swe-feature-404\n";
        let bad = InvalidUtf8::BadByte {
            offset: 8,
            byte: 0xE5,
        };
        assert!(ws.set_file_not_utf8(rel, Arc::from(text), bad));
        let found = check_file(&ws, &Context::new(&ws), rel);
        let invalid: Vec<_> = found
            .iter()
            .filter(|d| d.rule == Rule::InvalidUtf8)
            .collect();
        assert_eq!(invalid.len(), 1, "{found:?}");
        assert_eq!(invalid[0].range.start(), 8);
        assert_eq!(invalid[0].range.end(), 11);
        assert!(
            invalid[0].message.contains("byte 0xE5"),
            "{}",
            invalid[0].message
        );
        // The rest of the file is checked as usual.
        assert!(found.iter().any(|d| d.rule == Rule::DanglingDependency));
        // Its text given whole, as an editor gives it, is the file's text.
        assert!(ws.set_file(rel, Arc::from(text)));
        let found = check_file(&ws, &Context::new(&ws), rel);
        assert!(
            found.iter().all(|d| d.rule != Rule::InvalidUtf8),
            "{found:?}"
        );
    }
}
