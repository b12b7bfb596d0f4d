Feature: Daemons that fork themselves, found through their pid file

  Mailman's doctest (seed 000) starts its master daemon with its own command, finds it through its
  pid file, stops it and waits until it is gone, and ends with "We need tests for restart (SIGUSR1)
  and reopen (SIGHUP)". These are those tests, and the ones before them, against a Mailman-like
  control command: `start` double-forks a master that writes var/master.pid and var/runner.pid
  and logs to var/mailman.log.

  Background:
    Given a daemon helper shell script mailmanctl.py
    When I run "./mailmanctl.py start" as start
    Then background process start exited with code 0
    And daemon start stdout is "Starting Mailman's master queue runner\n"
    When I adopt the process in pid file "var/master.pid" as master

  Scenario: Starting puts the master in the background, where its pid file finds it
    Then background process master is running
    And a process "mailmanctl.py master" is running
    And a process "mailmanctl.py runner" is running
    And the file var/master.pid contains "${master.pid}"

  Scenario: Its own stop command ends it, and we wait until it is gone
    When I run "./mailmanctl.py stop" as stop
    Then daemon stop stdout is "Shutting down Mailman's master queue runner\n"
    When I wait for background process master to exit
    Then background process master is not running
    And the file var/master.pid does not exist
    And there is no "mailmanctl.py" process

  Scenario: Stopping the adopted master ends it and its runner, though it is not our child
    When I stop background process master
    Then background process master is not running
    And background process master is in state STOPPED
    And the file var/master.pid does not exist
    And there is no "mailmanctl.py" process

  Scenario: The adopted master has states like a daemon we started: RUNNING, then EXITED when it ends
    Then background process master is in state RUNNING
    When I run "./mailmanctl.py stop" as stop
    And I wait for background process master to be in state EXITED
    Then background process master is in state EXITED
    And the file var/master.pid does not exist

  Scenario: SIGHUP makes it reopen its log file after the file was rotated away
    When I run "mv var/mailman.log var/mailman.log.1" as rotate
    And I send signal SIGHUP to background process master
    And I start "tail -s 0.05 -n +1 -F var/mailman.log" as a background process as log, waiting for stdout to contain "log reopened"
    Then the file var/mailman.log.1 contains "master started"
    And background process master is running

  Scenario: SIGUSR1 makes it restart its runner and keep its pid files current
    When I adopt the process in pid file "var/runner.pid" as runner
    And I send signal SIGUSR1 to background process master
    And I wait for background process runner to exit
    And I adopt the process in pid file "var/runner.pid" as new-runner
    Then background process new-runner is running
    And background process master is running
    And the file var/master.pid contains "${master.pid}"
    And the file var/mailman.log contains "restarting the runner"
