; inherits: markdown
; planmark's planning-markdown language (languages-planning-only.toml) is
; markdown for a set of files: Helix finds queries by language name, so
; this file hands it markdown's injections query.
