Feature: Supervision: daemons that are restarted when they exit

  A daemon started ", restarting on exit" is kept running like Twisted's procmon and supervisord
  keep theirs: when it exits it goes to BACKOFF and is started again after a back-off that doubles
  while it keeps dying quickly; after three quick deaths in a row it is given up on (FATAL), unless
  it is restarted forever. Stopping it cancels any pending restart. Short back-offs keep these
  scenarios fast.

  Scenario: A daemon that crashes goes to BACKOFF and comes back, its restart count growing
    Given a daemon helper shell script crash-after-a-while.sh
    When I start "./crash-after-a-while.sh 0.3" as crashy, restarting on exit with back-off from 0.3 to 1 seconds forever, waiting for stdout to contain "serving"
    Then background process crashy is in state RUNNING
    And background process crashy has been restarted 0 times
    When I wait for background process crashy to be in state BACKOFF
    And I wait for background process crashy to be in state RUNNING
    Then background process crashy has been restarted 1 time
    When I wait for background process crashy to be in state BACKOFF
    And I wait for background process crashy to be in state RUNNING
    Then background process crashy has been restarted 2 times
    And daemon crashy stderr contains "crashing\ncrashing\n"
    And the combined log contains "[crashy] serving\n"
    And the combined log contains "[crashy] crashing\n"
    When I stop background process crashy
    Then background process crashy is in state STOPPED
    And there is no "crash-after-a-while.sh" process

  Scenario: A daemon that cannot get going is given up on: FATAL, and the failure shows its output
    Given a daemon helper shell script broken-daemon.sh
    When I try to start "./broken-daemon.sh" as broken, restarting on exit with back-off from 0.1 to 0.4 seconds, waiting for stdout to contain "ready"
    Then starting daemon fails with "exited with code 3"
    And starting daemon fails with "cannot read config.ini: no such file"
    When I wait for background process broken to be in state FATAL, within 5 seconds
    Then background process broken has been restarted 2 times
    And background process broken exited with code 3
    And daemon broken stderr contains "cannot read config.ini: no such file"
    And the combined log contains "[broken] cannot read config.ini: no such file"
    And background process broken stays in state FATAL for 1 second
    And there is no "broken-daemon.sh" process

  Scenario: A program that cannot be spawned at all fails at once
    When I try to start "./no-such-daemon.sh" as ghost, restarting on exit
    Then starting daemon fails with "program './no-such-daemon.sh' not found"

  Scenario: Stopping a daemon cancels its pending restart: still STOPPED a few back-offs later
    Given a daemon helper shell script crash-after-a-while.sh
    When I start "./crash-after-a-while.sh 0.1" as crashy, restarting on exit with back-off from 0.5 to 0.5 seconds forever
    And I wait for background process crashy to be in state BACKOFF
    And I stop background process crashy
    Then background process crashy is in state STOPPED
    And background process crashy stays in state STOPPED for 1.5 seconds
    And background process crashy has been restarted 0 times
    And there is no "crash-after-a-while.sh" process

  Scenario: A supervised daemon that is killed goes through EXITED to BACKOFF and comes back
    When I start "sleep 12791" as sleeper, restarting on exit with back-off from 1 to 2 seconds
    And I kill background process sleeper
    Then background process sleeper was killed by signal SIGKILL
    And background process sleeper is in state BACKOFF
    And background process sleeper has been restarted 0 times
    When I wait for background process sleeper to be in state RUNNING
    Then background process sleeper has been restarted 1 time
    And a process "sleep 12791" is running
    When I stop background process sleeper
    Then background process sleeper is in state STOPPED
    And there is no "sleep 12791" process

  Scenario: Restarting a supervised daemon by hand counts as a restart
    When I start "sleep 12792" as sleeper, restarting on exit
    And I restart background process sleeper
    Then background process sleeper is in state RUNNING
    And background process sleeper has been restarted 1 time
    When I stop background process sleeper
    Then there is no "sleep 12792" process

  Scenario: Demos under a supervisor: started, stopped one by one, names unique, nothing left (Showroom)
    Given there is no "sleep 99999999" process
    When I start "sleep 99999999" as test, restarting on exit
    And I start "sleep 99999998" as test2, restarting on exit
    Then background process test is in state RUNNING
    And background process test2 is in state RUNNING
    When I try to start "sleep 99999997" as test2, restarting on exit
    Then starting daemon fails with "a daemon named 'test2' already exists"
    When I stop background process test
    Then background process test is in state STOPPED
    And background process test2 is in state RUNNING
    When I stop background process test2
    Then background process test2 is in state STOPPED
    And there is no "sleep 9999999" process

  Scenario: A demo whose start-up script fails is retried, then FATAL (Showroom's error2)
    Given a daemon helper shell script failing-start.sh with:
      """
      #!/bin/sh
      echo "starting demo"
      exit 1
      """
    When I try to start "./failing-start.sh" as error2, restarting on exit with back-off from 0.1 to 0.2 seconds, waiting for stdout to contain "demo started"
    Then starting daemon fails with "exited with code 1"
    When I wait for background process error2 to be in state FATAL, within 5 seconds
    Then daemon error2 stdout contains "starting demo\nstarting demo\nstarting demo\n"
    And there is no "failing-start.sh" process

  Scenario: Waiting for a supervised daemon's output spans its restarts
    Given a daemon helper shell script flappy.sh with:
      """
      #!/bin/sh
      run=$(( $(cat runs 2>/dev/null || echo 0) + 1 ))
      echo $run > runs
      echo "run $run"
      exit 3
      """
    When I start "./flappy.sh" as flappy, restarting on exit with back-off from 0.1 to 0.2 seconds
    And I wait for daemon flappy stdout to contain "run 3"
    Then daemon flappy stdout contains "run 1\nrun 2\nrun 3\n"

  Scenario: Waiting for a supervised daemon's output spans a restart after SIGKILL
    Given a daemon helper shell script counted.sh with:
      """
      #!/bin/sh
      run=$(( $(cat runs 2>/dev/null || echo 0) + 1 ))
      echo $run > runs
      echo "run $run"
      exec sleep 12794
      """
    When I start "./counted.sh" as counted, restarting on exit with back-off from 0.1 to 0.2 seconds, waiting for stdout to contain "run 1"
    And I send signal SIGKILL to background process counted
    And I wait for daemon counted stdout to contain "run 2"
    Then background process counted has been restarted 1 time
    When I stop background process counted
    Then there is no "sleep 12794" process

  Scenario: Waiting for a supervised daemon's output fails when it is FATAL or STOPPED, saying which
    Given a file inner/gave-up.feature with:
      """
      Feature: inner
        Scenario: waiting for a run that never comes
          Given a daemon helper shell script flappy.sh with:
            ```
            #!/bin/sh
            run=$(( $(cat runs 2>/dev/null || echo 0) + 1 ))
            echo $run > runs
            echo "run $run"
            exit 3
            ```
          When I start "./flappy.sh" as flappy, restarting on exit with back-off from 0.1 to 0.2 seconds
          And I wait for daemon flappy stdout to contain "run 9", within 60 seconds

        Scenario: waiting for a stopped daemon
          When I start "sleep 12795" as sleeper, restarting on exit
          And I stop background process sleeper
          And I wait for daemon sleeper stdout to contain "never", within 60 seconds
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/gave-up.feature" as inner, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "2 scenarios (2 failed)"
    And daemon inner stdout contains "OutputTimeoutError: daemon 'flappy' (./flappy.sh) is FATAL without its stdout containing \"run 9\": its supervisor gave up restarting it (the last time it exited with code 3)"
    And daemon inner stdout contains "OutputTimeoutError: daemon 'sleeper' (sleep 12795) is STOPPED without its stdout containing \"never\": it was stopped, so it will not be restarted"
    And there is no "sleep 12795" process

  Scenario: A supervised program that cannot be spawned is registered, FATAL
    When I try to start "./does-not-exist" as ghost, restarting on exit
    Then starting daemon fails with "cannot start daemon 'ghost' (./does-not-exist): program './does-not-exist' not found"
    And background process ghost is in state FATAL
    And background process ghost is not running
