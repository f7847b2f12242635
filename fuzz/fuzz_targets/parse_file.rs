//! Parses the input as every kind of planning file: no panic, every range
//! inside the text on char boundaries, the same facts twice.
//!
//! Input that is not UTF-8 is read lossily (as the bytes' replacement), so
//! byte-level mutations of the seed files still reach the parsers.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planmark::analysis::parse::parse_file;

#[path = "../../tests/support/ranges.rs"]
mod ranges;

/// Every file kind, the dialects' roles included, worked out once.
static KINDS: std::sync::LazyLock<Vec<planmark::analysis::model::FileKind>> =
    std::sync::LazyLock::new(ranges::all_kinds);

fuzz_target!(|data: &[u8]| {
    let text: std::sync::Arc<str> = std::sync::Arc::from(String::from_utf8_lossy(data));
    for &kind in KINDS.iter() {
        let path = ranges::path_for(kind);
        let facts = parse_file(path, &text, kind);
        if let Err(e) = ranges::check_facts(&text, &facts) {
            panic!("{path} as {kind:?}: {e}");
        }
        assert!(
            facts == parse_file(path, &text, kind),
            "{path} as {kind:?}: two parses differ"
        );
    }
});
