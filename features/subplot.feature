Feature: Subplot's lib/daemon acceptance criteria, word for word

  Every scenario of Subplot's acceptance document for its daemon library (seed 002), unchanged but
  for the Gherkin keywords and titles: scenarios written for Subplot run here as they are.

  Scenario: Daemon is started and terminated
    Given there is no "sleep 12765" process
    When I start "sleep 12765" as a background process as sleepyhead
    Then a process "sleep 12765" is running
    When I stop background process sleepyhead
    Then there is no "sleep 12765" process

  Scenario: Daemon takes a while to open its port
    Given a daemon helper shell script slow-start-daemon.py
    Given there is no "slow-start-daemon.py" process
    When I try to start "./slow-start-daemon.py" as slow-daemon, on port 8888
    Then starting the daemon succeeds
    When I stop background process slow-daemon
    Then there is no "slow-start-daemon.py" process

  Scenario: Daemon never opens the intended port
    Given there is no "sleep 12765" process
    When I try to start "sleep 12765" as sleepyhead, on port 8888
    Then starting daemon fails with "ConnectionRefusedError"
    Then a process "sleep 12765" is running
    When I stop background process sleepyhead
    Then there is no "sleep 12765" process

  Scenario: Daemon stdout and stderr are retrievable
    Given a daemon helper shell script chatty-daemon.sh
    Given there is no "chatty-daemon" process
    When I start "./chatty-daemon.sh" as a background process as chatty-daemon
    When daemon chatty-daemon has produced output
    When I stop background process chatty-daemon
    Then there is no "chatty-daemon" process
    Then daemon chatty-daemon stdout is "hi there\n"
    Then daemon chatty-daemon stderr is "hola\n"

  Scenario: Can specify additional environment variables for daemon
    When I start "/usr/bin/env" as a background process as env, with environment {"custom_variable": "has a Value"}
    When daemon env has produced output
    When I stop background process env
    Then daemon env stdout contains "custom_variable=has a Value"

  Scenario: Environment variables for a daemon that opens a port
    Given a daemon helper shell script env-with-port.py
    When I try to start "./env-with-port.py 8765" as env-with-port, on port 8765, with environment {"custom_variable": "1337"}
    When I stop background process env-with-port
    Then daemon env-with-port stdout contains "custom_variable=1337"

  Scenario: Environment variables for a daemon started in the background on a port
    Given a daemon helper shell script env-with-port.py
    When I start "./env-with-port.py 8766" as a background process as another-env-with-port, on port 8766, with environment {"subplot2": "000"}
    When daemon another-env-with-port has produced output
    When I stop background process another-env-with-port
    Then daemon another-env-with-port stdout contains "subplot2=000"

  Scenario: Environment variables do not leak into later scenarios
    When I start "/usr/bin/env" as a background process as env2
    When daemon env2 has produced output
    When I stop background process env2
    Then daemon env2 stdout doesn't contain "custom_variable=has a Value"
    Then daemon env2 stdout doesn't contain "custom_variable=1337"
    Then daemon env2 stdout doesn't contain "subplot2=000"
