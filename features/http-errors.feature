Feature: HTTP — a request that fails, or a response that is not what a step asks for, says why

  Each failure names the request, what went wrong and what to do; a request that gets no
  response says whether the daemon is still running, with the last lines of its output. The
  messages are checked here word for word, from a run of cucumber-js on a feature that fails on
  purpose, one step per scenario.

  Scenario: Every way an HTTP step fails, with its message
    Given a file inner/http-errors.feature with:
      """
      Feature: inner
        Background:
          Given a daemon helper shell script web-server.mjs

        Scenario: a daemon without a port
          When I start "sleep 27191" as napper
          And I send a GET request to "/health" on daemon napper

        Scenario: a daemon that has exited
          When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
          And I send a GET request to "/crash" on daemon web
          And I wait for background process web to exit
          And I send a GET request to "/health" on daemon web

        Scenario: a daemon that no longer listens
          When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
          And I send a GET request to "/close-soon" on daemon web
          And I wait for port ${web.port} to be closed
          And I send a GET request to "/health" on daemon web

        Scenario: no answer in time
          When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
          And I send a GET request to "/hang" on daemon web, within 0.3 seconds

        Scenario: no request yet
          Then the response status is 200

        Scenario: a body that is not JSON
          When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
          And I send a GET request to "/not-json" on daemon web
          Then the response JSON at "items" is []

        Scenario: a path that leads nowhere
          When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port
          And I send a GET request to "/items" on daemon web
          Then the response JSON at "items.5.id" is 1

        Scenario: invalid JSON in the step (looked at before any response)
          Then the response JSON at "items.0" is {"id": 1,}

        Scenario: an unknown daemon
          When I start "sleep 27192" as napper
          And I send a GET request to "/health" on daemon nobody
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/http-errors.feature" as inner, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never", "DAEMON_STEPS_FIXTURES": "${project}/features/fixtures"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "9 scenarios (9 failed)"
    # A daemon without a port (the placeholder is split in two, so this step does not expand it)
    And daemon inner stdout contains "NoPortError: daemon 'napper' (sleep 27191) has no port to send GET /health to: start it with \", on port P\" or \", on a free port\" (and $"
    And daemon inner stdout contains "{napper.port} in its command), or send the request to a whole URL\n"
    # A daemon that has exited: how it ended, and what it printed last
    And daemon inner stdout matches "HttpRequestError: GET http://127\.0\.0\.1:(\d+)/health: cannot connect to daemon 'web' \(\./web-server\.mjs [^)]*\): ConnectionRefusedError: connect ECONNREFUSED 127\.0\.0\.1:\1; it exited with code 3\n\s+stderr \(\S+/web\.stderr\): empty\n\s+last lines of stdout \(\S+/web\.stdout\):\n\s+\| listening on \1\n\s+\| GET /crash\n\s+\| crashing on purpose\n"
    # A daemon that runs, but does not listen any more
    And daemon inner stdout matches "HttpRequestError: GET http://127\.0\.0\.1:(\d+)/health: cannot connect to daemon 'web' \(\./web-server\.mjs [^)]*\): ConnectionRefusedError: connect ECONNREFUSED 127\.0\.0\.1:\1; it is still running \(pid \d+\)\n"
    # No response within the deadline of the request step
    And daemon inner stdout matches "HttpRequestError: GET http://127\.0\.0\.1:\d+/hang: no response from daemon 'web' \(\./web-server\.mjs [^)]*\) within 0\.3 s; it is still running \(pid \d+\)\n\s+stderr \(\S+/web\.stderr\): empty\n\s+last lines of stdout \(\S+/web\.stdout\):\n"
    And daemon inner stdout contains "NoResponseError: no response to look at: this scenario has sent no request yet (or its last one failed); send one first, e.g. When I send a GET request to \"/health\" on daemon web\n"
    And daemon inner stdout contains "ResponseNotJsonError: the response body is not JSON: expected a value (a string in double quotes, a number, true or false), found '<' at character 1 (GET http://127.0.0.1:"
    And daemon inner stdout contains "/not-json → 200 OK, content-type text/html); it begins \"<!doctype html>\\n<html><body>Not JSON at all</body></html>\\n\"\n"
    And daemon inner stdout contains "JsonPathError: the response JSON has nothing at \"items.5.id\": \"items\" is an array of 2 (indexes 0 to 1), there is no 5\n"
    And daemon inner stdout matches "InvalidArgumentError: invalid JSON in the expected value of \"items\.0\": a comma before \} is not allowed \(trailing comma\)\n\s+\{\"id\": 1,\}\n\s+\^ here \(character 9\)\n\s+write a JSON value: a number \(3\), a string in double quotes \(\"x\"\), true, false, null, an array or an object \(\{\"id\": 1\}\)\n"
    And daemon inner stdout contains "UnknownDaemonError: no daemon named 'nobody' in this scenario; started: napper"
