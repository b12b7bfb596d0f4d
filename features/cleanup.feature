Feature: Nothing is left running

  Stopping a daemon ends its whole process group. At the end of a scenario every daemon it
  started is stopped — SIGTERM, a grace, then SIGKILL — whether the scenario stopped it or not.

  Scenario: stopping a daemon ends its children and grandchildren too
    When I start "sh -c 'sleep 27191 & sh -c \"sleep 27192\" & echo started; wait'" as family, waiting for stdout to contain "started"
    Then a process "sleep 27191" is running
    And a process "sleep 27192" is running
    When I stop background process family
    Then there is no "sleep 27191" process
    And there is no "sleep 27192" process

  Scenario: a scenario that ends without stopping its daemons leaves nothing running
    Given a file inner/walks-away.feature with:
      """
      Feature: inner
        Scenario: start daemons and walk away
          When I start "sh -c 'trap \"\" TERM; sleep 27193 & echo started; wait'" as stubborn, waiting for stdout to contain "started"
          And I start "sh -c 'sleep 27194 & wait'" as family
          Then a process "sleep 27193" is running
      """
    And this project's cucumber-js as a helper script cucumber.sh
    And a daemon helper shell script processes-with.py
    When I run "./cucumber.sh inner/walks-away.feature" as inner, with environment {"DAEMON_STEPS_STOP_GRACE": "0.2", "WALKED_AWAY_FROM": "${workspace}"}
    Then background process inner exited with code 0
    And daemon inner stdout contains "1 scenario (1 passed)"
    When I run "./processes-with.py WALKED_AWAY_FROM=${workspace}" as leftovers
    Then background process leftovers exited with code 1

  Scenario: steps other than a start refuse bad input with a message that says what to do
    Given a file inner/bad-steps.feature with:
      """
      Feature: inner
        Scenario: a signal that does not exist
          When I start "sleep 30" as napper
          When I send signal HUPP to background process napper

        Scenario: a helper script that does not exist
          Given a daemon helper shell script no-such-script.sh

        Scenario: a daemon that was never started
          When I start "sleep 30" as napper
          When I stop background process nobody

        Scenario: the exit code of a daemon that still runs
          When I start "sleep 30" as napper
          Then background process napper exited with code 0
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/bad-steps.feature" as inner, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "4 scenarios (4 failed)"
    And daemon inner stdout contains "InvalidSignalError: unknown signal 'HUPP'; did you mean SIGHUP? Valid signals: HUP, INT, QUIT,"
    And daemon inner stdout contains "MissingFixtureError: no helper script 'no-such-script.sh': looked for ${workspace}/features/fixtures/no-such-script.sh; put it in ${workspace}/features/fixtures (or set DAEMON_STEPS_FIXTURES / worldParameters.daemonSteps.fixtures), or write it inline with \"Given a daemon helper shell script no-such-script.sh with:\" and a docstring"
    And daemon inner stdout contains "UnknownDaemonError: no daemon named 'nobody' in this scenario; started: napper"
    And daemon inner stdout contains "NotExitedError: daemon 'napper' (sleep 30) has not exited: it is still running (pid "
    And daemon inner stdout contains ", state RUNNING); wait for it first (\"When I wait for background process napper to exit\")"
