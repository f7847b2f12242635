//! The editor settings under `planmark.*`, read from `initializationOptions`,
//! `workspace/configuration` and `workspace/didChangeConfiguration`.

use serde_json::Value;

/// Which files get diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Scope {
    /// Only the documents open in the editor.
    Open,
    /// Every planning file of every workspace root.
    #[default]
    Workspace,
}

impl Scope {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::Open => "open",
            Scope::Workspace => "workspace",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    /// `planmark.diagnostics.scope`.
    pub(crate) scope: Scope,
    /// `planmark.diagnostics.debounceMs`: how long a burst of edits may
    /// settle before diagnostics are computed.
    pub(crate) debounce_ms: u64,
    /// `planmark.codeLens.enable`: show code lenses (the default).
    pub(crate) code_lens: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            scope: Scope::default(),
            code_lens: true,
            debounce_ms: crate::server::main_loop::DEBOUNCE.as_millis() as u64,
        }
    }
}

/// The longest debounce accepted: beyond it diagnostics would lag visibly.
const MAX_DEBOUNCE_MS: u64 = 2000;

impl Settings {
    /// Reads the `planmark` section (the object holding `diagnostics`, ...).
    /// Missing keys take their defaults; the problems name the keys that
    /// were present but wrong.
    pub(crate) fn from_section(section: &Value) -> (Settings, Vec<String>) {
        Settings::default().updated(section)
    }

    /// These settings with the keys `section` holds applied: a missing or
    /// `null` key keeps its current value, so a client answering
    /// `workspace/configuration` with `null` does not undo what it said in
    /// `initializationOptions`.
    pub(crate) fn updated(&self, section: &Value) -> (Settings, Vec<String>) {
        let mut settings = self.clone();
        let mut problems = Vec::new();
        let scope = section
            .get("diagnostics")
            .and_then(|d| d.get("scope"))
            .or_else(|| section.get("diagnostics.scope"));
        match scope {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "open" => settings.scope = Scope::Open,
            Some(Value::String(s)) if s == "workspace" => settings.scope = Scope::Workspace,
            Some(other) => problems.push(format!(
                "`planmark.diagnostics.scope` must be \"open\" or \"workspace\", not {other}"
            )),
        }
        let debounce = section
            .get("diagnostics")
            .and_then(|d| d.get("debounceMs"))
            .or_else(|| section.get("diagnostics.debounceMs"));
        match debounce {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|ms| ms <= MAX_DEBOUNCE_MS) => {
                settings.debounce_ms = n.as_u64().unwrap_or_default();
            }
            Some(other) => problems.push(format!(
                "`planmark.diagnostics.debounceMs` must be a whole number of milliseconds from 0 to {MAX_DEBOUNCE_MS}, not {other}"
            )),
        }
        let code_lens = section
            .get("codeLens")
            .and_then(|c| c.get("enable"))
            .or_else(|| section.get("codeLens.enable"));
        match code_lens {
            None | Some(Value::Null) => {}
            Some(Value::Bool(on)) => settings.code_lens = *on,
            Some(other) => problems.push(format!(
                "`planmark.codeLens.enable` must be true or false, not {other}"
            )),
        }
        (settings, problems)
    }

    /// The `planmark` section inside a settings object such as the one
    /// `workspace/didChangeConfiguration` carries, if it has one.
    pub(crate) fn section_in(value: &Value) -> Option<&Value> {
        value.get("planmark").filter(|v| v.is_object())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_null_keys_keep_the_current_values() {
        let (base, _) = Settings::from_section(&json!({"diagnostics": {"debounceMs": 0}}));
        let (s, p) = base.updated(&Value::Null);
        assert_eq!((s.debounce_ms, p.len()), (0, 0));
        let (s, _) = base.updated(&json!({"diagnostics": {"debounceMs": null, "scope": "open"}}));
        assert_eq!((s.debounce_ms, s.scope), (0, Scope::Open));
        let (s, _) = base.updated(&json!({"codeLens": {"enable": false}}));
        assert_eq!((s.debounce_ms, s.code_lens), (0, false));
    }

    #[test]
    fn reads_the_settings_and_reports_bad_values() {
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"scope": "open"}}));
        assert_eq!((s.scope, p.len()), (Scope::Open, 0));
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"scope": 3}}));
        assert_eq!((s.scope, p.len()), (Scope::Workspace, 1));
        let (s, _) = Settings::from_section(&json!({}));
        assert_eq!((s.scope, s.debounce_ms), (Scope::Workspace, 25));
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"debounceMs": 0}}));
        assert_eq!((s.debounce_ms, p.len()), (0, 0));
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"debounceMs": -5}}));
        assert_eq!((s.debounce_ms, p.len()), (25, 1));
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"debounceMs": 99999}}));
        assert_eq!((s.debounce_ms, p.len()), (25, 1));
        let (s, p) = Settings::from_section(&json!({"codeLens": {"enable": false}}));
        assert_eq!((s.code_lens, p.len()), (false, 0));
        let (s, p) = Settings::from_section(&json!({"codeLens.enable": "no"}));
        assert_eq!((s.code_lens, p.len()), (true, 1));
        let wrapped = json!({"planmark": {"diagnostics": {"scope": "open"}}});
        assert!(Settings::section_in(&wrapped).is_some());
        assert!(Settings::section_in(&json!(null)).is_none());
    }
}
