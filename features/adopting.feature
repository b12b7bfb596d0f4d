Feature: Readiness clauses on an adopted process

  `I adopt the process in pid file "PATH" as NAME` takes the readiness clauses of a start: a daemon
  that forks itself writes its pid file when it is up, which is not always when it serves. The
  Mailman-like control command here writes var/master.pid, and opens its REST port a moment later.
  The daemon is told its port by the command that starts it: a free one, which the scenario holds
  (a second copy of the suite on the same machine gets another).

  Background:
    Given a daemon helper shell script mailmanctl.py

  Scenario: On port P, the adoption waits until the port accepts connections
    When I run "./mailmanctl.py start ${start.port}" as start, on a free port
    And I adopt the process in pid file "var/master.pid" as server, on port ${start.port}
    Then port ${start.port} is open
    And background process server is running

  Scenario: Waiting for HTTP on an adopted process, within a deadline of its own
    Given a daemon helper shell script http-get.py
    When I run "./mailmanctl.py start ${start.port}" as start, on a free port
    And I adopt the process in pid file "var/master.pid" as server2, on port ${start.port}, waiting for HTTP /health, within 5 seconds
    And I run "./http-get.py http://127.0.0.1:${start.port}/health" as client
    Then background process client exited with code 0
    And background process server2 is running
