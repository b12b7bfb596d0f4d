Feature: Aruba's file, directory and environment steps

  Files are made in the scenario's working directory (its workspace, or where `I cd to` went);
  a path that leaves the workspace is refused. Checks on files first let the commands end.

  Scenario: Files with content, empty files, files of a size, and modes
    Given a file named "notes/today.txt" with:
      """
      buy milk
      call home
      """
    And the file "colour.txt" with "red\tgreen"
    And a file named "run.sh" with mode "0o755" and with:
      """
      #!/bin/sh
      """
    And an empty file named "empty.txt"
    And an empty file named "locked.txt" with mode "0600"
    And a 12 byte file named "twelve.bin"
    Then the file "notes/today.txt" should contain "call home"
    And the file named "notes/today.txt" should not contain "eggs"
    And a file "notes/today.txt" should contain:
      """
      milk
      call
      """
    And the file "notes/today.txt" should not contain:
      """
      call mum
      """
    And the file "notes/today.txt" should contain exactly:
      """
      buy milk
      call home
      """
    And the file "notes/today.txt" should not contain exactly:
      """
      buy milk
      """
    And the file "colour.txt" should match /red\tgre+n/
    And the file "colour.txt" should not match /blue/
    And the file "colour.txt" should match %r<^red>
    And the file "colour.txt" should not match %r<^green>
    And the file "run.sh" should have permissions "0755"
    And the file "locked.txt" should have permissions "600"
    And the file "locked.txt" should not have permissions "0644"
    And a 12 byte file named "twelve.bin" should exist
    And a 13 byte file named "twelve.bin" should not exist
    And the file "empty.txt" should exist
    And the following files should exist:
      | empty.txt    |
      | colour.txt   |
    And the following files should not exist:
      | missing.txt  |
    And a file matching %r<today\.txt$> should exist
    And a file matching %r<yesterday> should not exist

  Scenario: A quoted path is Aruba's, a bare one daemon-steps', so both vocabularies load together
    Given a file "quoted.txt" with:
      """
      Aruba's
      """
    And a file bare.txt with:
      """
      ours
      """
    Then the file "quoted.txt" should contain exactly:
      """
      Aruba's
      """
    And the file bare.txt contains "ours\n"
    Given the file "quoted.txt" does not exist
    Then the file quoted.txt does not exist

  Scenario: Writing, overwriting and appending
    Given a file named "log.txt" with:
      """
      one
      """
    When I append to "log.txt" with:
      """

      two
      """
    And I append to "log.txt" with ", three"
    And I append the following lines to "log.txt":
      """
      four
      """
    Then the file "log.txt" should contain exactly:
      """
      one
      two, three
      four
      """
    When I overwrite the file named "log.txt" with:
      """
      fresh
      """
    And I write to "other.txt" with:
      """
      fresh
      """
    Then the file "log.txt" should be equal to file "other.txt"
    When I overwrite "other.txt" with:
      """
      stale
      """
    Then the file "log.txt" should not be equal to file "other.txt"

  Scenario: Directories, copies, moves and removals
    Given a directory named "archive"
    And an empty directory "inbox"
    And the directory named "private" with mode "0700"
    And a file named "inbox/letter.txt" with:
      """
      dear Ada
      """
    When I copy the file "inbox/letter.txt" to "archive/copy.txt"
    And I copy a directory named "inbox" to "backup"
    And I move the file named "inbox/letter.txt" to "read/letter.txt"
    Then the file "archive/copy.txt" should contain "dear Ada"
    And the file "backup/letter.txt" should exist
    And the file "inbox/letter.txt" should not exist
    And the file "read/letter.txt" should exist
    And the directory "private" should have permissions "700"
    And the following directories should exist:
      | archive |
      | backup  |
    When I remove the file "read/letter.txt"
    And I remove the directory "backup"
    And I remove the file "never-there.txt" with full force
    And the directory "archive" does not exist
    Then the file "read/letter.txt" should not exist anymore
    And the directory "backup" should not exist
    And the following directories should not exist:
      | archive |
      | backup  |
    And the directory named "inbox" should exist

  Scenario: Changing directory, where commands then run and files are made
    Given a directory named "site/logs"
    When I cd to "site"
    And I run `pwd`
    Then the output should match %r</site$>
    Given a file named "index.html" with "<h1>hi</h1>"
    When I cd to "logs"
    Then the file "../index.html" should exist
    And a directory named "../logs" should exist

  Scenario: A fixture of the project is copied into the working directory, which moves into it
    Given I use a fixture named "aruba-project"
    Then a file named "README.md" should exist
    When I run `pwd`
    Then the output should match %r</aruba-project$>

  Scenario: Executables in a directory named by the scenario
    Given an executable named "tools/shout" with:
      """
      #!/bin/sh
      echo "HEY"
      """
    And I look for executables in "tools" within the current directory
    When I successfully run `shout`
    Then the output should contain exactly "HEY"

  Scenario: Environment variables set, appended to and prepended to with tables
    Given I set the environment variables to:
      | variable | value |
      | FRUIT    | fig   |
      | VEG      | leek  |
    And I append the values to the environment variables:
      | variable | value |
      | FRUIT    | s     |
    And I prepend the value to the environment variable:
      | variable | value  |
      | VEG      | green- |
    When I run `sh -c 'echo "$FRUIT $VEG"'`
    Then the output should contain exactly "figs green-leek"
