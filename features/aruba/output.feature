Feature: Output of Aruba's commands

  "The output" is the stdout of every command of the scenario, then their stderr; a check on it
  first lets each command end (within the exit timeout) or stops it. Text is compared without its
  final newline, with `\n`, `\t`, `\"` and `\e` written as escapes, and without terminal colour
  codes unless the scenario is tagged @keep-ansi-escape-sequences.

  Background:
    Given an executable named "bin/report" with:
      """
      #!/bin/sh
      printf 'lines: 2\nstatus: \033[32mgreen\033[0m\n'
      echo "report done" >&2
      """

  Scenario: Partial and exact output, as strings and as docstrings
    When I run `report`
    Then the output should contain "lines: 2\nstatus"
    And the output should contain:
      """
      tus: gre
      """
    And the stdout should contain exactly:
      """
      lines: 2
      status: green
      """
    And the stdout should not contain exactly "lines: 2"
    And the stdout should not contain exactly:
      """
      status: green
      """
    And the output should not contain:
      """
      red
      """
    And the stderr should contain exactly "report done"

  Scenario: The output of one command, given by its command line
    When I run `report`
    And I run `echo other`
    Then the stdout from "report" should contain "lines: 2"
    And the stdout from "report" should contain:
      """
      status: green
      """
    And the stderr from "report" should contain exactly "report done"
    And the stderr from "report" should contain exactly:
      """
      report done
      """
    And the stdout from "report" should not contain exactly "lines: 2"
    And the stdout from "report" should not contain exactly:
      """
      lines: 2
      """
    And the output from "echo other" should not contain:
      """
      report
      """
    And the output from "echo other" should contain exactly "other"
    And the stdout from "echo other" should not contain "lines"

  Scenario: Regular expressions, in Ruby's manner: ^ and $ at each line, . across lines
    When I run `report`
    Then the output should match /^status: \w+$/
    And the output should match %r<lines: \d.status>
    And the output should not match /^red$/
    And the output should not match %r<lines: 3>
    And the output should match:
      """
      \Alines: (\d+)
      """
    And the output should not match:
      """
      ^green
      """

  Scenario: Colour codes are stripped before the output is compared
    When I run `report`
    Then the output should contain exactly "lines: 2\nstatus: green\nreport done"
    # Its length is that of the output as printed, codes included (Aruba's meaning).
    And the output should be 44 bytes long

  @keep-ansi-escape-sequences
  Scenario: A scenario tagged @keep-ansi-escape-sequences compares the colour codes too
    When I run `report`
    Then the stdout should contain "\e[32mgreen\e[0m"
    And the stdout should not contain "status: green"

  Scenario: Lines that some command printed, and lines none did
    When I run `echo apples` in the background
    And I run `echo pears` in the background
    Then the stdout should contain all of these lines:
      | apples |
      | pears  |
    And the output should not contain all of these lines:
      | plums |
      | figs  |

  Scenario: Pass or fail, with exactly this output, or output that matches
    When I run `report`
    Then it should pass with exactly:
      """
      lines: 2
      status: green
      report done
      """
    And it should pass with regexp:
      """
      status: (green|red)
      """
    When I run `sh -c 'report; exit 1'`
    Then it should fail matching:
      """
      ^report done$
      """
    And it should fail with regex:
      """
      lines: \d
      """
    And it should fail with "report done"
    And it should fail with exactly:
      """
      lines: 2
      status: green
      report done
      """

  Scenario: It should pass, it should fail
    When I run `true`
    Then it should pass
    When I run `false`
    Then it should fail
