#!/bin/sh
# Fills fuzz/corpus/ with seeds from the planning files of examples/.
# parse_file: each file as is. check_workspace: three selector bytes (the
# indices into PATHS of fuzz_targets/check_workspace.rs) and up to three
# files separated by 0xFF bytes.
set -eu
cd "$(dirname "$0")"
ex=../examples
mkdir -p corpus/parse_file corpus/check_workspace
find "$ex" -name '*.md' | while read -r f; do
    cp "$f" "corpus/parse_file/$(echo "${f#"$ex"/}" | tr / _)"
done
seed() { # name, three selector bytes (octal), three files
    name=$1 sel=$2
    shift 2
    {
        printf "$sel"
        cat "$1"; printf '\377'; cat "$2"; printf '\377'; cat "$3"
    } > "corpus/check_workspace/$name"
}
i=$ex/issues
seed issue-index-roadmap '\000\004\007' "$i/backlog/swe-feature-010.md" "$i/issues-list.md" "$ex/docs/roadmap.md"
seed done-inprogress-index '\001\002\004' "$i/done/swe-feature-002.md" "$i/in-progress/qa-feature-006.md" "$i/issues-list.md"
seed stories-roadmap '\005\006\007' "$ex/docs/stories/015-login.md" "$ex/docs/stories/016-saved-views.md" "$ex/docs/roadmap.md"
seed specs-epic '\011\012\013' "$ex/docs/03-build-notes/milestones/m3/01-exception-rules.md" "$ex/docs/03-build-notes/milestones/m3/02-exception-emails.md" "$ex/docs/03-build-notes/milestones/m3/00-epic.md"
seed brief-issue-story '\010\000\005' "$ex/docs/project-brief.md" "$i/planned/swe-feature-007.md" "$ex/docs/stories/015-login.md"
seed planned-backlog-roadmap '\003\000\007' "$i/planned/swe-techdebt-008.md" "$i/backlog/swe-bug-016.md" "$ex/docs/roadmap.md"
