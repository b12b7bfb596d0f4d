Feature: Stopping, signals and how a daemon ended

  Stopping signals a daemon's whole process group, gives it the grace (stopGrace, 3 s by default,
  or ", within N seconds" on the step), then SIGKILLs what is left, and returns once everything is
  gone: children, grandchildren, and descendants that left the group with their own setsid (found
  by the DAEMON_STEPS_RUN marker they inherited).

  Scenario: A daemon that exits on SIGTERM is stopped at once and was killed by SIGTERM
    When I start "sleep 12766" as a background process as sleeper
    Then background process sleeper is running
    When I stop background process sleeper
    Then background process sleeper is not running
    And background process sleeper was killed by signal SIGTERM
    And there is no "sleep 12766" process

  Scenario: A family that ignores SIGTERM is killed after the grace, setsid grandchild included
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as stubborn, waiting for stdout to contain "family ready"
    Then a process "sleep 1001" is running
    And a process "sleep 1002" is running
    When I stop background process stubborn, within 0.3 seconds
    Then background process stubborn was killed by signal SIGKILL
    And there is no "stubborn-tree.py" process
    And there is no "sleep 1001" process
    And there is no "sleep 1002" process

  Scenario: Stopping with another first signal
    When I start "sh -c 'trap \"exit 3\" INT; echo ready; while :; do sleep 0.05; done'" as a background process as polite, waiting for stdout to contain "ready"
    When I stop background process polite with signal INT
    Then background process polite exited with code 3

  Scenario: Stopping with another first signal that is ignored still ends, after the given grace
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as stubborn, waiting for stdout to contain "family ready"
    When I stop daemon stubborn with signal SIGHUP, within 0.2 seconds
    Then daemon stubborn was killed by signal SIGKILL
    And there is no "sleep 1002" process

  Scenario: Kill sends SIGKILL to the whole group at once
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as stubborn, waiting for stdout to contain "family ready"
    When I kill background process stubborn
    Then background process stubborn was killed by signal SIGKILL
    And background process stubborn is not running
    And there is no "sleep 1001" process
    And there is no "sleep 1002" process

  Scenario: Sending a signal only signals; the daemon keeps running and keeps its entry
    When I start "sh -c 'trap \"echo got HUP\" HUP; trap \"echo got USR1\" USR1; echo ready; while :; do sleep 0.05; done'" as a background process as listener, waiting for stdout to contain "ready"
    When I send signal SIGHUP to background process listener
    And I wait for daemon listener stdout to contain "got HUP"
    And I send signal USR1 to daemon listener
    And I wait for daemon listener stdout to contain "got USR1"
    Then background process listener is running
    When I stop background process listener
    Then background process listener was killed by signal SIGTERM

  Scenario: Waiting for a daemon to exit, and the code it exited with
    When I start "sh -c 'sleep 0.2; exit 4'" as a background process as brief
    And I wait for background process brief to exit
    Then background process brief is not running
    And background process brief exited with code 4

  Scenario: Waiting for a daemon to exit, within a given time
    When I run "sh -c 'exit 0'" as quick
    When I wait for daemon quick to exit, within 0.5 seconds
    Then daemon quick exited with code 0

  Scenario: Stopping a daemon that has already exited still ends what is left of its group
    When I start "sh -c 'sleep 12767 & echo started'" as a background process as parent, waiting for stdout to contain "started"
    And I wait for background process parent to exit
    Then a process "sleep 12767" is running
    When I stop background process parent
    Then there is no "sleep 12767" process
    And background process parent exited with code 0

  Scenario: A child that left the group and cleared its environment is still stopped with its parent
    Given a daemon helper shell script escaping-child.py
    When I start "./escaping-child.py" as a background process as parent, waiting for stdout to contain "started"
    Then a process "sleep 12769" is running
    When I stop background process parent
    Then background process parent was killed by signal SIGTERM
    And there is no "sleep 12769" process

  Scenario: Restarting stops the daemon and starts the same command again
    When I start "sh -c 'echo up; sleep 12770'" as a background process as phoenix, waiting for stdout to contain "up"
    And I restart background process phoenix
    Then background process phoenix is running
    And background process phoenix has been restarted 1 time
    And daemon phoenix stdout is "up\nup\n"
