# Turns a Subplot document into a Gherkin feature for daemon-steps:
#
#   mkdir -p features/fixtures
#   (echo "Feature: daemons"; awk -f subplot-to-gherkin.awk daemon.md) > features/daemon.feature
#
# Each ~~~scenario block becomes a Scenario named after the heading above it, its keywords
# capitalised (Subplot writes "given", Gherkin "Given"); each embedded file, ~~~{#NAME .file …},
# is written to features/fixtures/NAME and made executable, where "a daemon helper shell script
# NAME" finds it. Everything else (prose, metadata) is left out.
/^~~~\{#/ && !inside {
  match($0, /#[^ }]+/); file = "features/fixtures/" substr($0, RSTART + 1, RLENGTH - 1)
  printf "" > file; embedded = 1; next
}
embedded && /^~~~/ { close(file); system("chmod +x '" file "'"); embedded = 0; next }
embedded           { print > file; next }
/^#+ /             { title = $0; sub(/^#+ /, "", title) }
/^~~~scenario/     { print "\n  Scenario: " title; inside = 1; next }
/^~~~/             { inside = 0; next }
inside && NF       { sub(/^[ \t]+/, ""); print "    " toupper(substr($0, 1, 1)) substr($0, 2) }
