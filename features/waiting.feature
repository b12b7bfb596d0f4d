Feature: Waiting — for a port to open or close, and, as a last resort, for a while

  `I wait for port P to be open` returns as soon as something accepts a TCP connection on it
  (polled a few milliseconds apart), `closed` as soon as nothing does; both fail after the start
  timeout, or `, within N seconds`. `I wait N seconds` is a plain pause: it waits for nothing in
  particular, so prefer waiting for what the pause stands for (output, a port, a state, an exit).

  Background:
    Given a daemon helper shell script tcp-listener.py

  Scenario: A port that opens later is waited for
    # A port of this run that nothing listens on any more (free ports are never handed out twice in a run)
    When I start "./tcp-listener.py ${slot.port}" as a background process as slot, on a free port
    And I stop background process slot
    And I start "sh -c 'sleep 0.3; exec ./tcp-listener.py ${slot.port}'" as a background process as late
    And I wait for port ${slot.port} to be open
    Then port ${slot.port} is open
    And background process late is running

  Scenario: A port that closes later is waited for, with a deadline of its own
    Given a daemon helper shell script web-server.mjs
    When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
    And I send a GET request to "/close-soon" on daemon web
    And I wait for port ${web.port} to be closed, within 10 seconds
    Then port ${web.port} is closed
    And background process web is running

  Scenario: A pause is a pause
    When I start "sh -c 'sleep 0.1; echo done'" as a background process as later
    And I wait 1.5 seconds
    Then daemon later stdout is "done\n"

  Scenario: A port that stays closed or open, and a pause out of range, fail with what happened
    Given a file inner/waiting-errors.feature with:
      """
      Feature: inner
        Background:
          Given a daemon helper shell script tcp-listener.py

        Scenario: a port that never opens
          When I start "./tcp-listener.py ${slot.port}" as a background process as slot, on a free port
          And I stop background process slot
          And I wait for port ${slot.port} to be open, within 0.3 seconds

        Scenario: a port that stays open
          When I start "./tcp-listener.py ${web.port}" as a background process as web, on a free port
          And I wait for port ${web.port} to be closed, within 0.3 seconds

        Scenario: a pause of no time
          When I wait 0 seconds

        Scenario: a pause of more than a day
          When I wait 86401 seconds
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/waiting-errors.feature" as inner, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never", "DAEMON_STEPS_FIXTURES": "${project}/features/fixtures"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "4 scenarios (4 failed)"
    And daemon inner stdout matches "ReadinessTimeoutError: port (\d+) on 127\.0\.0\.1 is still closed after 0\.3 s \(last attempt: ConnectionRefusedError: connect ECONNREFUSED 127\.0\.0\.1:\1\)\n"
    And daemon inner stdout matches "ReadinessTimeoutError: port (\d+) on 127\.0\.0\.1 is still open after 0\.3 s: pid \d+ \(\S*python3 \S*tcp-listener\.py \1\) listens on it\n"
    And daemon inner stdout contains "InvalidArgumentError: wait: '0' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5\n"
    And daemon inner stdout contains "InvalidArgumentError: wait: '86401' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5\n"
