Feature: Starting daemons and running commands

  A daemon starts in the scenario's own workspace directory, with the runner's environment plus
  the variables the step gives it, and the start step returns once its readiness clauses hold.

  Scenario: a helper script comes from the fixtures directory
    Given a daemon helper shell script http-server.py
    Then the file http-server.py exists
    When I start "./http-server.py ${web.port}" as web, on a free port
    Then port ${web.port} is open

  Scenario: a helper script can be written in the scenario
    Given a daemon helper shell script bin/greet.sh with:
      """
      #!/bin/sh
      echo "hello, $1"
      """
    When I run "./bin/greet.sh world" as greeter
    Then daemon greeter stdout is "hello, world\n"

  Scenario: any file can be written in the workspace
    Given a file conf/app.ini with:
      """
      [server]
      port = 8080
      """
    When I run "cat conf/app.ini" as reader
    Then daemon reader stdout is:
      """
      [server]
      port = 8080
      """

  Scenario: a command is run to its end, whatever its exit code
    When I run "sh -c 'echo almost; exit 3'" as three
    Then background process three exited with code 3
    And background process three is not running
    And daemon three stdout is "almost\n"

  Scenario: a daemon runs until it is stopped
    When I start "sleep 30" as napper
    Then background process napper is running
    When I stop background process napper
    Then background process napper is not running

  Scenario: environment variables from JSON, for this daemon only
    When I run "sh -c 'echo \"$GREETING from $PLACE, $COUNT\"'" as greeter, with environment {"GREETING": "hello", "PLACE": "JSON", "COUNT": 3}
    Then daemon greeter stdout is "hello from JSON, 3\n"
    When I run "sh -c 'echo \"[$GREETING]\"'" as other
    Then daemon other stdout is "[]\n"

  Scenario: environment variables from a table
    When I run "/usr/bin/env" as env, with environment:
      | GREETING | hello, table |
      | EMPTY    |              |
    Then daemon env stdout contains "GREETING=hello, table\n"
    And daemon env stdout contains "\nEMPTY=\n"

  Scenario: a daemon can run in a directory of the workspace
    Given a file sub/dir/README with:
      """
      a directory for the daemon
      """
    When I run "pwd" as where, in directory sub/dir
    Then daemon where stdout is "${workspace}/sub/dir\n"

  Scenario: the start waits until the daemon writes the text to stdout
    When I start "sh -c 'sleep 0.3; echo booted; exec sleep 30'" as worker, waiting for stdout to contain "booted"
    Then daemon worker stdout is "booted\n"

  Scenario: the start waits until the daemon writes the text to stderr
    When I start "sh -c 'sleep 0.3; echo listening >&2; exec sleep 30'" as worker, waiting for stderr to contain "listening"
    Then daemon worker stderr is "listening\n"

  Scenario: the start waits until the text appears on either stream
    When I start "sh -c 'sleep 0.3; echo up >&2; exec sleep 30'" as worker, waiting for output to contain "up"
    Then daemon worker stderr is "up\n"

  Scenario: the start waits until the daemon answers HTTP below 500
    Given a daemon helper shell script http-server.py
    When I start "./http-server.py ${web.port} 0.3" as web, on a free port, waiting for HTTP /health
    When I wait for daemon web stderr to contain "GET /health"

  Scenario: an HTTP 404 counts as ready
    Given a daemon helper shell script http-server.py
    When I start "./http-server.py ${web.port}" as web, on a free port, waiting for HTTP /no-such-page
    When I wait for daemon web stderr to contain "GET /no-such-page"

  Scenario: an HTTP 503 does not count as ready
    Given a daemon helper shell script http-server.py
    When I try to start "./http-server.py ${web.port}" as web, on a free port, waiting for HTTP /unavailable, within 2 seconds
    Then starting daemon fails with "daemon 'web' (./http-server.py "
    And starting daemon fails with ") was not ready within 2 s: waited for GET http://127.0.0.1:${web.port}/unavailable to answer with a status below 500 (last attempt: HTTP 503 Service Unavailable); the process is still running (pid ${web.pid})"

  Scenario: the start waits until a file exists
    When I start "sh -c 'sleep 0.3; mkdir -p run; echo $$ > run/app.pid; exec sleep 30'" as app, waiting for file run/app.pid
    Then the file run/app.pid contains "${app.pid}\n"

  Scenario: readiness clauses hold together, within the time given
    Given a daemon helper shell script http-server.py
    When I start "./http-server.py ${web.port} 0.3" as web, on a free port, waiting for stdout to contain "listening", waiting for HTTP /health, within 10 seconds
    Then port ${web.port} is open

  Scenario: a daemon that is not ready in time fails the start, and keeps running
    When I try to start "sleep 30" as slow, waiting for file never.txt, within 0.3 seconds
    Then starting daemon fails with "daemon 'slow' (sleep 30) was not ready within 0.3 s: waited for file never.txt to exist; the process is still running (pid ${slow.pid})"
    And background process slow is running

  Scenario: a daemon that exits before it is ready fails the start at once, with its output
    When I try to start "sh -c 'echo cannot bind >&2; exit 2'" as quitter, waiting for stdout to contain "ready", within 60 seconds
    Then starting daemon fails with "daemon 'quitter' (sh -c 'echo cannot bind >&2; exit 2') exited with code 2 after "
    And starting daemon fails with "before it was ready: it was waiting for stdout to contain \"ready\"\nlast lines of stderr (${workspace}/quitter.stderr):\n  | cannot bind\nstdout (${workspace}/quitter.stdout): empty"
