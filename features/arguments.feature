Feature: How steps read their arguments

  A COMMAND is split into words the way a shell splits them, but no shell runs it. A quoted TEXT
  understands escapes. Placeholders stand for what a scenario cannot know in advance: a free
  port, a pid, the workspace directory. Either "daemon NAME" or "background process NAME" names a
  daemon.

  Scenario: a command is split into words, and no shell runs it
    When I run "printf '[%s]\n' plain 'single quoted' it\'s \"quoted\" back\\slash a|b && $HOME" as words
    Then daemon words stdout is "[plain]\n[single quoted]\n[it's]\n[\"quoted\"]\n[back\\slash]\n[a|b]\n[&&]\n[$HOME]\n"

  Scenario: pipes and other shell syntax need sh -c
    When I run "sh -c 'echo one two | tr a-z A-Z && echo \"$0\"'" as piped
    Then daemon piped stdout is "ONE TWO\nsh\n"

  Scenario: quoted text understands \n, \t, \", \\ and \xNN
    When I run "printf 'tab\there\nquote \" backslash \\\\ byte \377\n'" as escapes
    Then daemon escapes stdout is "tab\there\nquote \" backslash \\\\ byte \xff\n"

  Scenario: a daemon may be called a background process, and the other way round
    When I start "sleep 30" as a background process as napper
    Then background process napper is running
    And daemon napper is running
    When I stop daemon napper
    Then background process napper is not running
    And daemon napper is not running

  Scenario: clauses are read around quoted text and JSON, which may contain ", "
    When I start "sh -c 'echo \"$GREETING\"; echo ready, steady, go; sleep 30'" as commas, with environment {"GREETING": "hello, world"}, waiting for stdout to contain "ready, steady", within 5 seconds
    Then daemon commas stdout is "hello, world\nready, steady, go\n"

  Scenario: ${NAME.port} is the port a daemon was given
    Given a daemon helper shell script http-server.py
    When I start "./http-server.py ${web.port}" as web, on a free port, waiting for stdout to contain "listening on ${web.port}\n"
    Then port ${web.port} is open

  Scenario: ${NAME.pid} is the pid of the daemon's process
    When I start "sleep 30" as napper
    When I run "kill -TERM ${napper.pid}" as killer
    And I wait for background process napper to exit
    Then background process napper was killed by signal SIGTERM

  Scenario: ${workspace} is the directory the scenario's daemons run in
    When I run "touch ${workspace}/touched" as toucher
    Then the file touched exists
    When I run "pwd" as where
    Then daemon where stdout is "${workspace}\n"

  Scenario: ${project} is the directory the tests run from, for the project's own programs
    When I run "node ${project}/features/fixtures/print-arguments.mjs one 'two words'" as own-program
    Then daemon own-program stdout is "one|two words\n"

  Scenario: placeholders are expanded in the environment too
    When I start "sleep 30" as napper
    When I run "sh -c 'echo \"$NAPPER\"'" as env, with environment {"NAPPER": "pid ${napper.pid}"}
    Then daemon env stdout is "pid ${napper.pid}\n"

  Scenario: shell parameters such as ${GREETING} are left for the shell
    When I run "sh -c 'echo ${GREETING} ${UNSET:-fallback} in ${workspace}'" as shell, with environment {"GREETING": "hello"}
    Then daemon shell stdout is "hello fallback in ${workspace}\n"
