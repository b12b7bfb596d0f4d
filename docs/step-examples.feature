# The examples of docs/steps.md, one or more for every phrase of the vocabulary. This file is never
# run: `npm run docs` dry-runs it against the step definitions to write the reference (a scenario
# here is a section there), and `npm test` fails when the reference is out of date. Add an example
# here for every new step, in the section where it belongs.
Feature: Examples of every step

  Scenario: Starting
    Given a daemon helper shell script slow-start-daemon.py
    Given a daemon helper shell script echo.sh with:
      """
      #!/bin/sh
      echo hi
      """
    Given a file conf/app.ini with:
      """
      [app]
      port = 8080
      """
    When I start "sleep 12765" as a background process as sleepyhead
    When I start "./server.py ${web.port}" as a background process as web, on a free port, waiting for HTTP /health, within 10 seconds
    When I start "./env-with-port.py 8766" as a background process as env-with-port, on port 8766, with environment {"subplot2": "000"}
    When I start "./worker.sh" as worker, waiting for stdout to contain "ready, set", in directory sub/dir
    When I start "./server.py" as a background process as web2, on a free port, with environment:
      | LOG_LEVEL | debug        |
      | PORT      | ${web2.port} |
    When I try to start "./slow-start-daemon.py" as slow-daemon, on port 8888
    When I try to start "./server.py" as web3, on a free port, with environment:
      | PORT | ${web3.port} |
    Then starting the daemon succeeds
    Then starting daemon fails with "ConnectionRefusedError"
    When I run "./cli --version" as version
    When I run "./slow-cli" as slow-cli, within 30 seconds
    When I run "./cli migrate" as migrate, with environment:
      | DATABASE_URL | postgres://127.0.0.1:${db.port}/test |
    When I adopt the process in pid file "var/master.pid" as master
    When I restart background process web
    When I restart daemon web

  Scenario: Stopping and signals
    When I stop background process sleepyhead
    When I stop daemon sleepyhead
    When I stop background process web with signal SIGINT
    When I kill background process web
    When I send signal SIGHUP to background process master
    When I send signal USR1 to daemon master
    When I wait for background process version to exit
    When I wait for daemon version to exit, within 2.5 seconds

  Scenario: State and exit
    Then background process web is running
    Then daemon web is not running
    Then background process version exited with code 0
    Then daemon web was killed by signal SIGKILL
    Then background process flaky is in state BACKOFF
    When I wait for background process flaky to be in state RUNNING
    When I wait for daemon flaky to be in state FATAL, within 20 seconds
    Then background process flaky has been restarted 2 times
    Then background process flaky has been restarted 1 time

  Scenario: Output
    When daemon chatty-daemon has produced output
    When I wait for daemon web stdout to contain "listening"
    When I wait for daemon web stderr to contain "warning", within 3 seconds
    When I wait for background process web output to contain "GET /"
    Then daemon chatty-daemon stdout is "hi there\n"
    Then daemon chatty-daemon stderr is "hola\n"
    Then daemon web stdout is:
      """
      line one
      line two
      """
    Then daemon env stdout contains "custom_variable=has a Value"
    Then daemon web stderr contains:
      """
      a warning
      """
    Then daemon env2 stdout doesn't contain "custom_variable=1337"
    Then daemon web stdout matches "^listening on \d+$"
    Then daemon web stderr is empty
    When I type "hello" into background process repl
    When I close the stdin of background process repl

  Scenario: Process table
    Given there is no "sleep 12765" process
    Then there is no "slow-start-daemon.py" process
    Then a process "sleep 12765" is running

  Scenario: Ports
    Then port 8888 is open
    Then port ${web.port} is closed

  Scenario: HTTP
    When I send a GET request to "/health" on daemon web
    When I send a HEAD request to "/health" on background process web, within 2 seconds
    When I send a POST request to "/items" on daemon web with:
      """
      {"name": "apple"}
      """
    When I send a PUT request to "/items/1" on daemon web, within 2 seconds with:
      """
      {"name": "pear"}
      """
    When I send a GET request to "http://127.0.0.1:${web.port}/items"
    When I send a DELETE request to "http://127.0.0.1:${web.port}/items/1", within 2 seconds
    When I send a POST request to "http://127.0.0.1:${web.port}/items" with:
      """
      {"name": "plum"}
      """
    When I set the request header "Authorization" to "Bearer abc123"
    Then the response status is 200
    Then the response body is "ok\n"
    Then the response body is:
      """
      ok
      """
    Then the response body contains "apple"
    Then the response body doesn't contain "error"
    Then the response header "Content-Type" is "application/json"
    Then the response header "content-type" contains "json"
    Then the response JSON at "items.0.id" is 1
    Then the response JSON at "items.0" is {"id": 1, "name": "apple"}

  Scenario: Waiting
    When I wait for port 8080 to be open
    When I wait for port ${web.port} to be closed, within 3 seconds
    When I wait 0.5 seconds

  Scenario: Files and logs
    Then the file var/master.log contains "reopened"
    Then the file var/master.pid exists
    Then the file var/master.pid does not exist
    Then the combined log contains "[web] listening"

  Scenario: Supervision
    When I start "./flaky.sh" as a background process as flaky, restarting on exit
    When I start "./flaky.sh" as a background process as flaky2, restarting on exit with back-off from 0.5 to 4 seconds
    When I start "./flaky.sh" as a background process as flaky3, restarting on exit forever

  Scenario: Shared services
    Given the shared service db started with "./db.sh ${db.port}", on a free port
    Given the shared service kv started with "./kv-server.py ${kv.port}", on a free port, reset with "./kv.py ${kv.port} RESET"
    Given the shared service search started with "./search-server.py", on a free port, waiting for HTTP /health, reset with "./search.py ${search.port} --clear", with environment:
      | PORT      | ${search.port} |
      | LOG_LEVEL | debug          |
