Feature: Readiness — a start returns as soon as the daemon is ready, and fails at once when it cannot be

  A start step waits until every one of its clauses holds: a port accepts a connection, an HTTP
  path answers below 500, a text appears on stdout, stderr or either, a file exists. It fails the
  moment the daemon exits, with its exit status and the last lines of its output; otherwise at the
  deadline (`, within N seconds`, 5 seconds by default), saying what it waited for.

  Background:
    Given a daemon helper shell script tcp-listener.py
    And a daemon helper shell script http-status-server.py

  Scenario: A daemon on a free port is ready once the port accepts connections
    When I start "./tcp-listener.py ${web.port}" as a background process as web, on a free port
    Then port ${web.port} is open

  Scenario: Every clause must hold: the port, and a line on stdout
    When I start "./tcp-listener.py ${web.port}" as web, on a free port, waiting for stdout to contain "listening on 127.0.0.1:${web.port}\n"
    Then daemon web stdout matches "^listening on 127\.0\.0\.1:${web.port}\n$"

  Scenario: An HTTP path is ready when it answers below 500 — a 404 counts
    When I start "./http-status-server.py ${web.port} 404" as web, on a free port, waiting for HTTP /health
    And I wait for daemon web stderr to contain "\"GET /health HTTP/1.1\" 404"

  Scenario: An HTTP path that answers 503 is not ready
    When I try to start "./http-status-server.py ${web.port} 503" as web, on a free port, waiting for HTTP /health, within 2 seconds
    Then starting daemon fails with "was not ready within 2 s: waited for GET http://127.0.0.1:${web.port}/health to answer with a status below 500 (last attempt: HTTP 503 Service Unavailable); the process is still running"
    And background process web is running

  Scenario: Text on stderr, and text on either stream
    When I start "sh -c 'echo warming up >&2; sleep 0.2; echo ready; exec sleep 31871'" as app, waiting for stderr to contain "warming up", waiting for output to contain "ready\n"
    Then daemon app stdout is "ready\n"
    And daemon app stderr is "warming up\n"

  Scenario: A file that appears
    When I start "sh -c 'mkdir run; sleep 0.2; echo $$ > run/app.pid; exec sleep 31872'" as app, waiting for file run/app.pid
    Then the file run/app.pid contains "${app.pid}\n"

  Scenario: A daemon that exits while it is waited for fails the step at once, with its exit status and its output
    When I try to start "sh -c 'echo reading config; echo config.toml: no such file >&2; exit 3'" as broken, on a free port, with environment {"PORT": "${broken.port}"}, within 30 seconds
    Then starting daemon fails with "daemon 'broken' (sh -c 'echo reading config; echo config.toml: no such file >&2; exit 3') exited with code 3 after "
    And starting daemon fails with ", before it was ready: it was waiting for port ${broken.port} on 127.0.0.1 to accept a connection"
    And starting daemon fails with "last lines of stderr (${workspace}/broken.stderr):\n  | config.toml: no such file\n"
    And starting daemon fails with "last lines of stdout (${workspace}/broken.stdout):\n  | reading config"

  Scenario: A daemon killed by a signal while it is waited for says which signal
    When I try to start "sh -c 'kill -KILL $$'" as victim, waiting for stdout to contain "never", within 30 seconds
    Then starting daemon fails with "daemon 'victim' (sh -c 'kill -KILL $$') was killed by signal SIGKILL after "
    And starting daemon fails with ", before it was ready: it was waiting for stdout to contain \"never\""

  Scenario: A daemon that listens on ::1 only is pointed out when 127.0.0.1 is refused
    Given a daemon helper shell script tcp-listener.py
    When I try to start "./tcp-listener.py ${web.port} ::1" as web, on a free port, waiting for stdout to contain "listening", within 2 seconds
    Then starting daemon fails with "waited for port ${web.port} on 127.0.0.1 to accept a connection (last attempt: ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${web.port}; [::1]:${web.port} accepts connections, though: the daemon listens on IPv6 only; make it listen on 127.0.0.1 too, or set the host to ::1 (DAEMON_STEPS_HOST or worldParameters.daemonSteps.host)); the process is still running"

  Scenario: A port that accepts connections but never answers HTTP is not reported as refused
    Given a daemon helper shell script silent-server.py with:
      """
      #!/usr/bin/env python3
      import socket, sys
      listener = socket.socket()
      listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      listener.bind(("127.0.0.1", int(sys.argv[1])))
      listener.listen()
      print("listening", flush=True)
      held = []
      while True:
          held.append(listener.accept()[0])
      """
    When I try to start "./silent-server.py ${web.port}" as web, on a free port, waiting for stdout to contain "listening", waiting for HTTP /health, within 2 seconds
    Then starting daemon fails with "was not ready within 2 s: waited for GET http://127.0.0.1:${web.port}/health to answer with a status below 500 (last attempt: 127.0.0.1:${web.port} accepted the connection, but no HTTP answer came"

  Scenario: Waiting until it handles a signal: a signal sent at once finds its handler in place
    A program that installs its handler late would die of a signal sent right after the start.
    Given a daemon helper shell script late-trap.sh with:
      """
      #!/bin/sh
      echo reading the configuration
      sleep 0.3
      trap 'echo reloaded' HUP
      while :; do sleep 0.05; done
      """
    When I start "./late-trap.sh" as late, waiting until it handles SIGHUP
    And I send signal SIGHUP to background process late
    And I wait for daemon late stdout to contain "reloaded"
    Then background process late is running

  Scenario: A program that never handles the signal is not ready, and the message says what it still does
    When I try to start "sleep 31873" as deaf, waiting until it handles HUP, within 0.3 seconds
    Then starting daemon fails with "daemon 'deaf' (sleep 31873) was not ready within 0.3 s: waited for pid ${deaf.pid} to handle SIGHUP (last attempt: SIGHUP still has its default action: neither caught nor ignored); the process is still running (pid ${deaf.pid})"

