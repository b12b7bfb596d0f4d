Feature: How Aruba's steps fail, and Aruba's settings

  These scenarios run another cucumber-js, with Aruba's steps, on features they write, the way
  Aruba's own documentation does: the workspace is the inner run's project.

  Background:
    Given this project's cucumber-js with Aruba's steps as the command cucumber
    And an executable named "bin/count" with:
      """
      #!/bin/sh
      echo "counted to $1"
      exit "${2:-0}"
      """

  Scenario: Checks that do not hold say what was expected and what there was
    Given a file named "features/checks.feature" with:
      """
      Feature: Checks
        Scenario: exit status
          When I run `count 3 2`
          Then the exit status should be 0
        Scenario: partial output
          When I run `count 3`
          Then the output should contain "counted to 4"
        Scenario: exact output
          When I run `count 3`
          Then the stdout should contain exactly "counted"
        Scenario: absent output
          When I run `count 3`
          Then the output should not contain "to 3"
        Scenario: pattern
          When I run `count 3`
          Then the output should match /^to/
        Scenario: pass
          When I run `count 3 5`
          Then it should pass
        Scenario: successfully
          When I successfully run `count 3 1`
        Scenario: in time
          When I successfully run `sleep 600` for up to 0.2 seconds
        Scenario: unknown command line
          When I run `count 1` in the background
          And I stop the command "count 2"
        Scenario: nothing started
          When I type "hello"
        Scenario: a file
          Then the file "nowhere.txt" should exist
        Scenario: a signal
          Given the aruba stop signal is "HUPP"
        Scenario: ended by a signal
          Given the aruba exit timeout is 0.1 seconds
          When I run `sleep 600`
          Then the exit status should be 0
        Scenario: output that never comes
          When I run `echo bye` in the background
          And I wait for output to contain "hello"
        Scenario: exact file
          Given a file named "note.txt" with "one\ntwo"
          Then the file "note.txt" should contain exactly:
            \"\"\"
            one
            \"\"\"
        Scenario: outside
          Given a file named "../outside.txt" with:
            \"\"\"
            no
            \"\"\"
      """
    When I run `cucumber`
    Then the features should fail with:
      """
      16 scenarios (16 failed)
      """
    And the output should contain "the exit status of `count 3 2` is 2, not 0; its output:"
    And the output should contain "the output of all commands does not contain \"counted to 4\"; it was:"
    And the output should contain "the stdout of all commands is not exactly \"counted\"; it was:"
    And the output should contain "the output of all commands contains \"to 3\", which it should not; it was:"
    And the output should contain "the output of all commands does not match /^to/; it was:"
    And the output should contain "`count 3 5` did not succeed: its exit status is 5; its output:"
    And the output should contain "`count 3 1` did not succeed: its exit status is 1; its output:"
    And the output should contain "`sleep 600` did not finish within 0.2 s (the exit timeout), so it was stopped; its output:"
    And the output should contain "no command `count 2` has been started in this scenario; started: `count 1`"
    And the output should contain "no command has been started in this scenario; start one first, e.g. with When I run `COMMAND` in the background"
    And the output should contain "file \"nowhere.txt\" does not exist"
    And the output should contain "file \"note.txt\" is not exactly as expected; it is:"
    And the output should contain "unknown signal 'HUPP'; did you mean SIGHUP?"
    And the output should contain "the exit status of `sleep 600` is none: it was ended by SIGTERM, not 0 (it did not end within the exit timeout of 0.1 s, so it was stopped); its output:"
    And the output should contain "exited with code 0 without its stdout containing \"hello\""
    And the output should contain "OutsideDirectoryError: '../outside.txt' is outside the workspace"
    And there is no "sleep 600" process

  Scenario: Aruba's settings come from worldParameters.aruba, with Aruba's names and units
    Given a file named "features/settings.feature" with:
      """
      Feature: Settings
        Scenario: they hold
          Given an executable named "bin/patient" with:
            \"\"\"
            #!/bin/bash
            trap 'echo "got HUP"; exit 44' HUP
            echo "waiting"
            while true; do sleep 0.05; done
            \"\"\"
          When I run `patient`
          Then the exit status should be 44
      """
    When I run `cucumber --world-parameters '{"aruba": {"exit_timeout": 0.5, "stop_signal": "HUP", "io_wait_timeout": 0, "startup_wait_time": 0.1}}'`
    Then the features should all pass with:
      """
      1 scenario (1 passed)
      """
    When I run `cucumber --world-parameters '{"aruba": {"exit_timeout": "soon"}}'`
    Then the features should not pass
    And the output should contain "Aruba's exit_timeout: \"soon\" is not a number of seconds; write one from 0 to 86400, e.g. 1 or 0.5"
    When I run `cucumber --world-parameters '{"aruba": {"exit-timeout": 1}}'`
    Then the feature should fail
    And the output should contain "worldParameters.aruba: unknown setting 'exit-timeout'; the settings are exit_timeout, io_wait_timeout, startup_wait_time, stop_signal"

  Scenario: The project's bin/ is searched after the working directory's
    Given a file named "features/lookup.feature" with:
      """
      Feature: Lookup
        Scenario: from the project
          When I successfully run `count 7`
          Then the output should contain "counted to 7"
        Scenario: the working directory's own comes first
          Given an executable named "bin/count" with:
            \"\"\"
            #!/bin/sh
            echo "local count"
            \"\"\"
          When I successfully run `count 7`
          Then the output should contain exactly "local count"
      """
    When I successfully run `cucumber`
    Then the feature should pass
    And the features should all pass with regex:
      """
      ^2 scenarios \(2 passed\)$
      """
