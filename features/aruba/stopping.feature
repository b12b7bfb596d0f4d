Feature: Stopping and signalling Aruba's commands

  Background:
    Given an executable named "bin/patient" with:
      """
      #!/bin/bash
      trap 'echo "stopped by TERM"; exit 42' TERM
      trap 'echo "stopped by INT"; exit 43' INT
      trap 'echo "got HUP"; exit 44' HUP
      echo "waiting"
      while true; do sleep 0.05; done
      """
    # The script's traps are set before it prints, so a signal sent after this cannot kill it early.
    And the aruba exit timeout is 0.5 seconds

  Scenario: Terminating the command started last sends it SIGTERM at once
    When I run `patient` in the background
    And I wait for output to contain "waiting"
    And I terminate the command started last
    Then the exit status should be 42
    And the output should contain "stopped by TERM"

  Scenario: Stopping a command waits for the exit timeout, then terminates it
    When I run `patient` in the background
    And I wait for stdout to contain "waiting"
    And I stop the command started last
    Then the exit status should be 42

  Scenario: A command given by its command line is stopped or terminated; the last one started stays
    When I run `patient first` in the background
    And I wait for the output to contain "waiting"
    And I run `patient second` in the background
    And I wait for the output to contain "waiting"
    And I terminate the command "patient first"
    Then the exit status of `patient first` should be 42
    When I stop the command "patient second"
    Then the exit status of `patient second` should be 42

  Scenario: The configured stop signal is what stops and terminates commands
    Given the default aruba stop signal is "INT"
    When I run `patient` in the background
    And I wait for stdout to contain "waiting"
    And I terminate the command started last
    Then the exit status should be 43
    And the output should contain "stopped by INT"

  Scenario: A command that runs past the exit timeout in `I run` gets the stop signal
    Given the aruba stop signal is "HUP"
    When I run `patient`
    Then the exit status should be 44
    And the output should contain "got HUP"

  Scenario: A signal goes to the command started last, or to one given by its command line
    When I run `patient` in the background
    And I wait for output to contain "waiting"
    And I send the signal "HUP" to the command started last
    Then the exit status should be 44
    When I run `patient again` in the background
    And I wait for output to contain:
      """
      waiting
      """
    And I send the signal "SIGHUP" to the command "patient again"
    Then the exit status of `patient again` should be 44

  Scenario: Stopping a command once its output shows a text
    When I run `sh -c 'echo warming; sleep 0.2; echo ready; exec sleep 600'` in the background
    And I stop the command if output contains:
      """
      ready
      """
    Then the output should contain "ready"
    And the exit status should not be 0
    And there is no "sleep 600" process

  Scenario: Stopping the command started last once its stderr shows a text
    When I run `sh -c 'echo "going" >&2; exec sleep 600'` in the background
    And I stop the command started last if stderr contains:
      """
      going
      """
    Then the exit status should not be 0
