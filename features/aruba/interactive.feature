Feature: Talking to Aruba's commands

  Scenario: Typing into a command started interactively, then closing its stdin
    When I run `cat` interactively
    And I type "first line"
    And I type "second\tline"
    And I close the stdin stream
    Then the output should contain exactly "first line\nsecond\tline"
    And the exit status should be 0

  Scenario: Piping a file into a command, which closes its stdin
    Given a file named "shopping.txt" with:
      """
      bread
      cheese
      """
    When I run `sort -r` interactively
    And I pipe in the file "shopping.txt"
    Then the output should contain exactly:
      """
      cheese
      bread
      """

  Scenario: A command's stdin is closed by `I run`, so a command that reads it ends
    When I run `cat`
    Then the exit status should be 0
    And the output should not contain anything

  Scenario: Reading a running command's output waits the io wait timeout first
    Given the aruba io wait timeout is 1 second
    When I run `sh -c 'printf "half"; exec sleep 600'` in the background
    Then the output should be 4 bytes long

  Scenario: The startup wait lets a command get going before the next step
    Given I wait 2 seconds for a command to start up
    When I run `sh -c 'touch started; exec sleep 600'` in the background
    Then the file started exists
