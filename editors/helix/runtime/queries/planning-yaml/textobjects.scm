; inherits: yaml
; planmark's planning-yaml language (languages-planning-only.toml) is
; YAML for a set of files: Helix finds queries by language name, so
; this file hands it yaml's textobjects query.
