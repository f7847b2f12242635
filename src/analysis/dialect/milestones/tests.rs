//! Milestone YAML: tests.
