Feature: Output, stdin, files and ports

  A daemon's stdout and stderr are kept byte for byte in its workspace, during the run and after
  it, and every line of every daemon also goes to the scenario's combined log as "[NAME] line".

  Scenario: stdout and stderr, exactly
    When I run "sh -c 'printf \"line one\nline two\n\"; echo warning >&2'" as printer
    Then daemon printer stdout is "line one\nline two\n"
    And daemon printer stderr is "warning\n"

  Scenario: what the output contains, and what it does not
    When I run "sh -c 'printf \"line one\nline two\n\"; echo warning >&2'" as printer
    Then daemon printer stdout contains "two\n"
    And daemon printer stdout doesn't contain "line three"
    And daemon printer stderr contains "warn"
    And daemon printer stderr doesn't contain "line one"

  Scenario: output against a regular expression
    When I run "sh -c 'echo listening on port 8080; echo pid 42 >&2'" as printer
    Then daemon printer stdout matches "^listening on port \d+\n$"
    And daemon printer stderr matches "pid [0-9]+"

  Scenario: empty output
    When I run "true" as quiet
    Then daemon quiet stdout is empty
    And daemon quiet stderr is empty

  Scenario: output as a docstring of lines
    When I run "sh -c 'echo first; echo second; echo oops >&2'" as printer
    Then daemon printer stdout is:
      """
      first
      second
      """
    And daemon printer stdout contains:
      """
      second
      """
    And daemon printer stderr is:
      """
      oops
      """
    And daemon printer stderr contains:
      """
      oops
      """

  Scenario: output that is not UTF-8 is shown escaped
    When I run "printf 'caf\351\n'" as latin1
    Then daemon latin1 stdout is "caf\xe9\n"
    And the combined log contains "[latin1] caf\\xe9\n"

  Scenario: output is read as it arrives
    When I start "sh -c 'echo one; sleep 0.3; echo two; exec sleep 30'" as talker
    When I wait for daemon talker stdout to contain "two"
    Then daemon talker stdout is "one\ntwo\n"
    When I start "sh -c 'sleep 0.3; echo err >&2; exec sleep 30'" as grumbler
    When I wait for background process grumbler output to contain "err", within 5 seconds
    Then daemon grumbler stderr is "err\n"

  Scenario: output is kept after the daemon has stopped
    When I start "sh -c 'echo still here; exec sleep 30'" as talker, waiting for stdout to contain "still here"
    When I stop background process talker
    Then daemon talker stdout is "still here\n"

  Scenario: typing into a daemon's stdin, and closing it
    Given a daemon helper shell script echo-stdin.py
    When I start "./echo-stdin.py" as echo, waiting for stdout to contain "ready"
    When I type "hello, world" into background process echo
    And I wait for daemon echo stdout to contain "got: hello, world"
    When I type "tab\there" into daemon echo
    And I close the stdin of background process echo
    And I wait for background process echo to exit
    Then background process echo exited with code 0
    And daemon echo stdout is "ready\ngot: hello, world\ngot: tab\there\nstdin closed\n"

  Scenario: the combined log holds every daemon's lines, prefixed with its name
    When I run "sh -c 'echo to stdout; echo to stderr >&2; printf no-newline'" as both
    And I run "echo another" as other
    Then the combined log contains "[both] to stdout\n"
    And the combined log contains "[both] to stderr\n"
    And the combined log contains "[both] no-newline\n"
    And the combined log contains "[other] another\n"

  Scenario: files in the workspace
    Given a file notes/today.txt with:
      """
      buy milk
      """
    Then the file notes/today.txt exists
    And the file notes/today.txt contains "buy milk\n"
    And the file ${workspace}/notes/today.txt contains "milk"
    And the file notes/tomorrow.txt does not exist
    When I run "sh -c 'echo written by $0 > notes/tomorrow.txt'" as writer
    Then the file notes/tomorrow.txt contains "written by sh\n"

  Scenario: ports open and closed
    Given a daemon helper shell script http-server.py
    When I start "./http-server.py ${web.port}" as web, on a free port
    Then port ${web.port} is open
    When I stop background process web
    Then port ${web.port} is closed
