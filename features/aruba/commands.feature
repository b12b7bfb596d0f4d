Feature: Aruba's command steps

  With `import 'daemon-steps/aruba'` a scenario speaks Aruba: it runs commands written in
  backticks, refers to "the command started last" or to a command by its command line, and looks
  at the output of all of them. Underneath each command is a daemon of the scenario, in its own
  process group, its output on disk, stopped at the end like every other.

  Scenario: A command runs to its end, and its output and exit status are checked
    When I run `echo "a quiet morning"`
    Then the output should contain "quiet"
    And the stdout should contain exactly "a quiet morning"
    And the stderr should not contain anything
    And the exit status should be 0
    And it should pass with "morning"

  Scenario: A command that fails
    When I run `sh -c 'echo "no such colour: mauve" >&2; exit 3'`
    Then the exit status should be 3
    And the exit status should not be 0
    And the stderr should contain "mauve"
    And the stdout should not contain "mauve"
    And it should fail with:
      """
      no such colour
      """

  Scenario: Commands are found in bin/ and exe/ of the working directory
    Given an executable named "bin/greet" with:
      """
      #!/bin/sh
      echo "Hi $1"
      """
    And an executable named "exe/wave" with:
      """
      #!/bin/sh
      echo "waves"
      """
    When I successfully run `greet Ada`
    And I successfully run `wave`
    Then the output should contain exactly "Hi Ada\nwaves"

  Scenario: The exit timeout ends a command that takes too long, with all it started, without failing the step
    Given the default aruba exit timeout is 0.5 seconds
    When I run `sh -c 'sleep 601 & echo started; wait'`
    Then the exit status should not be 0
    And the output should contain "started"
    And there is no "sleep 601" process

  Scenario: The exit status is that of the command stopped last, which need not be the one started last
    When I run `sh -c 'exit 4'`
    And I run `sleep 600` in the background
    Then the exit status should be 4

  Scenario: A command may run for longer than the default exit timeout when the step says so
    Given the aruba exit timeout is 0.1 seconds
    When I successfully run `sh -c 'sleep 0.5; echo done'` for up to 30 seconds
    Then the output should contain "done"

  Scenario: Several commands in the background; the exit status of each by its command line
    Given an executable named "bin/leave" with:
      """
      #!/bin/sh
      echo "leaving with $1"
      exit "$1"
      """
    When I run `leave 4` in the background
    And I run `leave 0` in the background
    Then the exit status of `leave 4` should be 4
    And the exit status of `leave 0` should be 0
    And the exit status of `leave 4` should not be 0
    And the exit status of `leave 0` should not be 4
    And the output should contain "leaving with 4"
    And the output should contain "leaving with 0"
    And the output from "leave 4" should contain "with 4"
    And the output from "leave 4" should not contain "with 0"

  Scenario: A script written in the scenario is run by sh unless it names its shell
    When I run the following commands:
      """
      greeting="hello"
      echo "$greeting from a script"
      """
    Then the output should contain exactly "hello from a script"
    When I run the following script with `sh`:
      """
      echo "$0" | grep -c myscript
      """
    Then the output should contain "1"

  Scenario: A command line is split like a shell would, without a shell
    When I run `printf '%s|' "two words" 'and $HOME' three`
    Then the output should contain exactly "two words|and $HOME|three|"

  Scenario: Commands get the environment the scenario sets, and run in its working directory
    Given I set the environment variable "COLOUR" to "teal"
    And I append "-green" to the environment variable "COLOUR"
    And I prepend "deep-" to the environment variable "COLOUR"
    When I run `sh -c 'echo "$COLOUR"'`
    Then the output should contain exactly "deep-teal-green"
    When I run `sh -c 'echo "$HOME"; pwd'`
    Then the output should match /^(.+)\n\1$/
