Feature: Readiness clauses on an adopted process

  `I adopt the process in pid file "PATH" as NAME` takes the readiness clauses of a start: a daemon
  that forks itself writes its pid file when it is up, which is not always when it serves. The
  Mailman-like control command here writes var/master.pid, and opens its REST port a moment later.
  The ports are fixed ones (the daemon chose them itself), so these scenarios each use their own.

  Background:
    Given a daemon helper shell script mailmanctl.py

  Scenario: On port P, the adoption waits until the port accepts connections
    When I run "./mailmanctl.py start 47390" as start
    And I adopt the process in pid file "var/master.pid" as server, on port 47390
    Then port 47390 is open
    And background process server is running

  Scenario: Waiting for HTTP on an adopted process, within a deadline of its own
    Given a daemon helper shell script http-get.py
    When I run "./mailmanctl.py start 47391" as start
    And I adopt the process in pid file "var/master.pid" as server2, on port 47391, waiting for HTTP /health, within 5 seconds
    And I run "./http-get.py http://127.0.0.1:47391/health" as client
    Then background process client exited with code 0
    And background process server2 is running
