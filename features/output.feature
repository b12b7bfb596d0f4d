Feature: Output — what daemons print, kept on disk and asserted byte for byte

  Each daemon's stdout and stderr go to files in the scenario's workspace as they arrive, so a
  daemon may print gigabytes without growing the runner's memory, and they can be read after it
  stopped. Every line also goes to the scenario's combined log as `[NAME] line`. Bytes that are not
  UTF-8 never break a step: they are shown as `\xNN`.

  Scenario: stdout and stderr, exactly, in part, by pattern, and in their docstring forms
    When I run "sh -c 'echo hello; echo world; echo oops >&2'" as app
    Then daemon app stdout is "hello\nworld\n"
    And daemon app stdout is:
      """
      hello
      world
      """
    And daemon app stderr is "oops\n"
    And daemon app stderr is:
      """
      oops
      """
    And daemon app stdout contains "lo\nwo"
    And daemon app stdout contains:
      """
      world
      """
    And daemon app stderr contains "oops"
    And daemon app stdout doesn't contain "oops"
    And daemon app stderr doesn't contain "hello"
    And daemon app stdout matches "^hello\nworld\n$"
    And background process app stderr matches "o+ps"

  Scenario: Nothing printed is empty
    When I run "true" as quiet
    Then daemon quiet stdout is empty
    And daemon quiet stderr is empty

  Scenario: Waiting for text on stdout, on stderr, or on either
    When I start "sh -c 'echo starting >&2; sleep 0.3; echo ready; exec sleep 31891'" as a background process as app
    And I wait for daemon app stderr to contain "starting"
    And I wait for daemon app stdout to contain "ready", within 5 seconds
    And I wait for background process app output to contain "ready\n"
    Then daemon app stdout is "ready\n"

  Scenario: Typing into a daemon's stdin, and closing it
    When I start "cat" as a background process as echo
    And I type "hello, cat" into background process echo
    And I wait for daemon echo stdout to contain "hello, cat\n"
    And I close the stdin of background process echo
    And I wait for background process echo to exit
    Then background process echo exited with code 0
    And daemon echo stdout is "hello, cat\n"

  Scenario: Bytes that are not UTF-8 are shown as \xNN, and can be asserted
    When I run "printf 'caf\351\n'" as latin1
    Then daemon latin1 stdout is "caf\xe9\n"
    And daemon latin1 stdout contains "\xe9"
    And daemon latin1 stdout matches "^caf\\xe9\n$"
    And the combined log contains "[latin1] caf\\xe9\n"

  Scenario: A last line without a newline is kept
    When I run "printf 'first\nno newline at the end'" as app
    Then daemon app stdout is "first\nno newline at the end"
    And the combined log contains "[app] no newline at the end\n"

  Scenario: Every line of every daemon, from both streams, is in the combined log with its name
    When I run "sh -c 'echo to stdout; echo to stderr >&2'" as one
    And I run "sh -c 'echo from two'" as two
    Then the combined log contains "[one] to stdout\n"
    And the combined log contains "[one] to stderr\n"
    And the combined log contains "[two] from two\n"

  Scenario: Large output stays on disk, and contains still finds text at its very end
    When I run "sh -c 'yes daemon-steps keeps this on disk | head -c 30000000; echo; echo THE END'" as loud
    Then daemon loud stdout contains "THE END\n"
    And daemon loud stdout doesn't contain "THE BEGINNING"
    And the combined log contains "[loud] THE END\n"
