Feature: A tour of daemon-steps

  Real daemons, started, awaited, talked to and stopped — and nothing left behind.

  Scenario: An HTTP server on a port nobody else uses, ready when it answers
    Given a daemon helper shell script greeting-server.py
    And a daemon helper shell script http-get.py
    When I start "./greeting-server.py ${web.port}" as a background process as web, on a free port, waiting for HTTP /health
    Then daemon web stdout is "listening on ${web.port}\n"
    When I run "./http-get.py http://127.0.0.1:${web.port}/greet/cucumber" as client
    Then background process client exited with code 0
    And daemon client stdout is "hello, cucumber\n"
    And the combined log contains "[web] listening on"
    When I stop background process web
    Then there is no "greeting-server.py" process
    And port ${web.port} is closed

  Scenario: A program that reads its stdin
    Given a daemon helper shell script shout.sh
    When I start "./shout.sh" as a background process as shouter, waiting for stdout to contain "ready"
    And I type "hello there" into background process shouter
    And I wait for daemon shouter stdout to contain "HELLO THERE!"
    And I close the stdin of background process shouter
    And I wait for background process shouter to exit
    Then background process shouter exited with code 0
    And daemon shouter stdout is:
      """
      ready
      HELLO THERE!
      bye
      """

  Scenario: A daemon that never opens its port fails fast and says why
    When I try to start "sh -c 'echo starting; sleep 30'" as sulky, on a free port, with environment {"PORT": "${sulky.port}"}, within 0.5 seconds
    Then starting daemon fails with "ConnectionRefusedError"
    And starting daemon fails with "the process is still running"
    When I try to start "sh -c 'echo oops >&2; exit 3'" as crashy, on a free port, with environment {"PORT": "${crashy.port}"}
    Then starting daemon fails with "exited with code 3"
    And starting daemon fails with "oops"
