# Turns a Subplot document into a Gherkin feature for daemon-steps:
#
#   (echo "Feature: Daemons"; awk -f subplot-to-gherkin.awk daemon.md) > features/daemon.feature
#
# The steps of a scenario are every ~~~scenario (or ```scenario) block under one heading, as in
# Subplot: prose between the blocks does not end the scenario, the next heading does. Each becomes
# a Scenario named after that heading, its keywords capitalised (Subplot writes "given", Gherkin
# "Given"). Each embedded file, ~~~{#NAME .file …}, is written to features/fixtures/NAME (the
# directory is created; -v fixtures=DIR picks another) and made executable, where "a daemon helper
# shell script NAME" finds it. Everything else (prose, metadata, other code blocks) is left out.
BEGIN { if (fixtures == "") fixtures = "features/fixtures" }

# Inside a block: its content, until a line that starts with the fence that opened it.
fence != "" && index($0, fence) == 1 {
  if (kind == "file") { close(file); system("chmod +x '" file "'") }
  fence = ""; next
}
fence != "" && kind == "file"     { print > file; next }
fence != "" && kind == "scenario" { if (NF) { sub(/^[ \t]+/, ""); print "    " toupper(substr($0, 1, 1)) substr($0, 2) } next }
fence != ""                       { next }

# Outside blocks: headings, and the fences that open blocks.
/^#+ / { title = $0; sub(/^#+ +/, "", title); sub(/ +#*$/, "", title); started = 0; next }
/^(~~~|```)/ {
  fence = substr($0, 1, 3); kind = "other"
  if ($0 ~ /^(~~~|```) *scenario *$/) {
    kind = "scenario"
    if (!started) { print "\n  Scenario: " title; started = 1 }
  } else if ($0 ~ /^(~~~|```) *\{#[^ }]+ [^}]*\.file/) {
    kind = "file"
    if (!made) { system("mkdir -p '" fixtures "'"); made = 1 }
    match($0, /#[^ }]+/); file = fixtures "/" substr($0, RSTART + 1, RLENGTH - 1)
    printf "" > file
  }
}
