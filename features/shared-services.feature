Feature: Shared services: one service for many scenarios

  `Given the shared service NAME started with "COMMAND"` starts the service the first time a
  scenario asks for it and keeps it running for the later scenarios of the run, which reach it by
  name like any daemon of their own; its reset runs before each scenario that uses it, and the end
  of the run stops it. When `daemon-steps run` has started it already (its variables are in the
  environment), that instance is used instead. These scenarios run a test suite of their own
  (another cucumber-js) to watch all that from outside.

  Background:
    Given a daemon helper shell script kv-server.py
    And a daemon helper shell script kv.py
    And a daemon helper shell script services-gone.py
    And this project's cucumber-js as a helper script cucumber.sh

  Scenario: Later scenarios use the same service, reset before each; the end of the run stops it
    Given a file inner/kv.feature with:
      """
      Feature: inner
        Scenario: the first sets a key
          Given a daemon helper shell script kv-server.py
          And a daemon helper shell script kv.py
          And the shared service kv started with "./kv-server.py ${kv.port}", on a free port, reset with "./kv.py ${kv.port} RESET"
          When I run "./kv.py ${kv.port} SET colour blue" as set
          Then daemon set stdout is "OK\n"
          When I run "sh -c 'echo pid ${kv.pid} > \"$OUTER/kv.pid\"'" as note

        Scenario: one without it
          When I run "true" as nothing

        Scenario: the second finds the key forgotten, in the same process
          Given a daemon helper shell script kv.py
          And the shared service kv started with "./kv-server.py ${kv.port}", on a free port, reset with "./kv.py ${kv.port} RESET"
          When I run "./kv.py ${kv.port} GET colour" as get
          Then daemon get stdout is "(nil)\n"
          And daemon kv stdout matches "^started, pid \d+\nlistening on \d+\nRESET\nSET colour blue\nRESET\nGET colour\n$"
          And daemon kv.reset stdout is "OK\n"
          And background process kv is running
      """
    When I run "./cucumber.sh inner/kv.feature" as inner, with environment {"DAEMON_STEPS_FIXTURES": "${workspace}", "OUTER": "${workspace}"}
    Then background process inner exited with code 0
    And daemon inner stdout contains "3 scenarios (3 passed)"
    When I run "./services-gone.py --pids-in kv.pid" as gone
    Then background process gone exited with code 0

  Scenario: A shared service that dies fails every later scenario that uses it, saying what happened
    Given a file inner/dies.feature with:
      """
      Feature: inner
        Background:
          Given a daemon helper shell script kv-server.py
          And the shared service kv started with "./kv-server.py ${kv.port}", on a free port

        Scenario: the first kills it
          When I run "kill ${kv.pid}" as murder
          And I wait for background process kv to exit

        Scenario: the second cannot use it
          When I run "true" as nothing

        Scenario: nor can the third
          When I run "true" as nothing
      """
    When I run "./cucumber.sh inner/dies.feature" as inner, with environment {"DAEMON_STEPS_FIXTURES": "${workspace}", "DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "3 scenarios (2 failed, 1 passed)"
    And daemon inner stdout matches "SharedServiceError: shared service 'kv' \(\./kv-server\.py [0-9]+\) is not running any more"
    And daemon inner stdout contains "is not running any more: it was killed by signal SIGTERM. It was started for \"the first kills it\" and must keep running for the whole test run: a shared service that ends points at a bug in it"
    And daemon inner stdout contains "  | listening on "

  Scenario: What a scenario may not do with a shared service is refused, saying why
    Given a file inner/refused.feature with:
      """
      Feature: inner
        Background:
          Given a daemon helper shell script kv-server.py

        Scenario: stopping it
          Given the shared service kv started with "./kv-server.py ${kv.port}", on a free port
          When I stop background process kv

        Scenario: asking for it with another command
          Given the shared service kv started with "./kv-server.py ${kv.port} --verbose", on a free port

        Scenario: a reset that fails
          Given the shared service kv started with "./kv-server.py ${kv.port}", on a free port, reset with "sh -c 'echo no such table >&2; exit 2'"

        Scenario: a reset for an ordinary daemon
          When I start "sleep 30" as napper, reset with "true"

        Scenario: restarting it on exit
          Given the shared service phoenix started with "sleep 30", restarting on exit
      """
    When I run "./cucumber.sh inner/refused.feature" as inner, with environment {"DAEMON_STEPS_FIXTURES": "${workspace}", "DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "5 scenarios (5 failed)"
    And daemon inner stdout contains "SharedServiceError: cannot stop shared service 'kv' here: other scenarios use it too, and it is stopped when the test run ends; to stop a daemon, start one of this scenario's own (\"When I start …\")"
    And daemon inner stdout matches "SharedServiceError: shared service 'kv' is already running as daemon 'kv' \(\./kv-server\.py [0-9]+\), started for"
    And daemon inner stdout contains "), started for \"stopping it\" with other clauses or another command than \"./kv-server.py $"
    And daemon inner stdout contains " --verbose\" here; a shared service has one definition: give this one another name"
    And daemon inner stdout contains "SharedServiceError: the reset of shared service 'kv' failed: daemon 'kv.reset' (sh -c 'echo no such table >&2; exit 2') exited with code 2"
    And daemon inner stdout contains "  | no such table"
    And daemon inner stdout contains "InvalidArgumentError: ', reset with \"true\"' belongs to a shared service: \"Given the shared service napper started with \"sleep 30\", …, reset with \"true\"\""
    And daemon inner stdout contains "InvalidArgumentError: shared service 'phoenix': ', restarting on exit' is not for shared services — one that dies is an error, so that the bug shows"

  Scenario: A suite run where daemon-steps run has started the service uses that instance, never stops it, and says so when it died
    Given this project's daemon-steps command as a helper script daemon-steps
    And a file services.json with:
      """
      {"services": {"kv": {"command": "./kv-server.py ${kv.port}", "port": "free", "ready": "waiting for stdout to contain \"listening\""}}}
      """
    And a file inner/reuse.feature with:
      """
      Feature: inner
        Background:
          Given a daemon helper shell script kv-server.py
          And a daemon helper shell script kv.py
          And the shared service kv started with "./kv-server.py ${kv.port}", on a free port, reset with "./kv.py ${kv.port} RESET"

        Scenario: it is the running instance
          When I run "sh -c 'test ${kv.pid} = $DAEMON_STEPS_KV_PID && test ${kv.port} = $DAEMON_STEPS_KV_PORT'" as same
          Then background process same exited with code 0
          When I run "./kv.py ${kv.port} SET colour green" as set
          And I wait for daemon kv stdout to contain "RESET\nSET colour green\n"

        Scenario: it is reset
          When I run "./kv.py ${kv.port} GET colour" as get
          Then daemon get stdout is "(nil)\n"
      """
    When I run "./daemon-steps run services.json --daemonize" as up, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process up exited with code 0
    When I run "sh -c 'eval \"$(cat up.stdout)\" && ./cucumber.sh inner/reuse.feature'" as inner, with environment {"DAEMON_STEPS_FIXTURES": "${workspace}"}
    Then background process inner exited with code 0
    And daemon inner stdout contains "2 scenarios (2 passed)"
    When I run "sh -c 'eval \"$(cat up.stdout)\" && ./kv.py $DAEMON_STEPS_KV_PORT SET colour red'" as still-there
    Then daemon still-there stdout is "OK\n"

    When I run "sh -c 'eval \"$(cat up.stdout)\" && kill $DAEMON_STEPS_KV_PID && while kill -0 $DAEMON_STEPS_KV_PID 2>/dev/null; do sleep 0.01; done'" as murder
    And I run "sh -c 'eval \"$(cat up.stdout)\" && ./cucumber.sh inner/reuse.feature'" as again, with environment {"DAEMON_STEPS_FIXTURES": "${workspace}", "DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process again exited with code 1
    And daemon again stdout contains "SharedServiceError: shared service 'kv' is not running: DAEMON_STEPS_KV_PID="
    And daemon again stdout contains "names the instance that daemon-steps run started from ${workspace}/services.json (./kv-server.py "
    And daemon again stdout contains "but that process has ended; its control process (pid "
    And daemon again stdout contains "Start the services again: eval \"$(daemon-steps stop)\"; eval \"$(daemon-steps run ${workspace}/services.json --daemonize)\""
    When I run "sh -c 'eval \"$(cat up.stdout)\" && cp \"$DAEMON_STEPS_SETTINGS\" settings.json && ./daemon-steps stop'" as down
    Then background process down exited with code 0
    And daemon down stdout contains "unset DAEMON_STEPS_KV_PORT\n"
    When I run "./services-gone.py --files settings.json" as gone
    Then background process gone exited with code 0
