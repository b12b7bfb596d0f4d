Feature: Aruba's checks on a run of a test framework

  Each looks at the summary a test framework prints (cucumber, rspec, minitest) in the output of
  all commands, and at the exit status of the command stopped last. Here small scripts print such
  summaries.

  Background:
    Given an executable named "bin/summary" with:
      """
      #!/bin/sh
      echo "$1"
      exit "$2"
      """

  Scenario: Cucumber's summary
    When I run `summary "2 scenarios (2 passed)" 0`
    Then the features should all pass
    And the feature should pass with:
      """
      2 passed
      """

  Scenario: Cucumber's summary of a failed run
    When I run `summary "1 scenario (1 failed)" 1`
    Then the features should fail
    And the features should not all pass
    And the features should fail with regex:
      """
      \d failed
      """

  Scenario: RSpec's summary
    When I run `summary "3 examples, 0 failures" 0`
    Then the specs should all pass
    And the spec should pass with:
      """
      3 examples
      """
    And the specs should all pass with regex:
      """
      ^\d examples
      """

  Scenario: RSpec's summary of a failed run
    When I run `summary "3 examples, 2 failures" 1`
    Then the specs should fail
    And the spec should not pass
    And the specs should fail with 2 failures
    And the specs should fail with:
      """
      3 examples
      """

  Scenario: Minitest's summary
    When I run `summary "4 runs, 4 assertions, 0 failures, 0 errors" 0`
    Then the tests should all pass
    And the tests should pass with:
      """
      4 runs
      """

  Scenario: Minitest's summary of a failed run
    When I run `summary "4 runs, 4 assertions, 0 failures, 1 errors" 1`
    Then the tests should fail
    And the tests should not pass
    And the test should fail with 1 error
    And the tests should fail with regex:
      """
      \d runs
      """
