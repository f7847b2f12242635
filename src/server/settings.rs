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

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct Settings {
    /// `planmark.diagnostics.scope`.
    pub(crate) scope: Scope,
}

impl Settings {
    /// Reads the `planmark` section (the object holding `diagnostics`, ...).
    /// Missing keys take their defaults; the problems name the keys that
    /// were present but wrong.
    pub(crate) fn from_section(section: &Value) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
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
    fn reads_the_scope_and_reports_bad_values() {
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"scope": "open"}}));
        assert_eq!((s.scope, p.len()), (Scope::Open, 0));
        let (s, p) = Settings::from_section(&json!({"diagnostics": {"scope": 3}}));
        assert_eq!((s.scope, p.len()), (Scope::Workspace, 1));
        let (s, _) = Settings::from_section(&json!({}));
        assert_eq!(s.scope, Scope::Workspace);
        let wrapped = json!({"planmark": {"diagnostics": {"scope": "open"}}});
        assert!(Settings::section_in(&wrapped).is_some());
        assert!(Settings::section_in(&json!(null)).is_none());
    }
}
