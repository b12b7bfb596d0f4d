Feature: Bad input is refused with a message that says what to do

  Every start that cannot succeed fails with a message naming the daemon, what was wrong and what
  to do about it; nothing is left running. The messages are checked here word for word.

  Scenario: a placeholder naming an unknown daemon lists the daemons there are
    When I start "sleep 30" as web
    When I try to start "echo ${api.port}" as client
    Then starting daemon fails with "no daemon named 'api' in this scenario; started: web"

  Scenario: a placeholder with a mistyped daemon name says which name it is close to
    When I start "sleep 30" as web
    And I start "sleep 31" as db
    When I try to start "echo ${wbe.port}" as client
    Then starting daemon fails with "no daemon named 'wbe' in this scenario; started: web, db; did you mean 'web'?"

  Scenario: a mistyped name of the daemon being started says which name it is close to
    When I try to start "echo ${clinet.port}" as client, on a free port
    Then starting daemon fails with "no daemon named 'clinet' in this scenario; none has been started yet; did you mean 'client'?"

  Scenario: a step with a mistyped daemon name says which name it is close to
    Given a file inner/typo.feature with:
      """
      Feature: inner
        Scenario: a daemon named with two letters swapped
          When I start "sleep 27188" as web
          When I stop background process wbe
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/typo.feature" as inner, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "UnknownDaemonError: no daemon named 'wbe' in this scenario; started: web; did you mean 'web'?"
    And there is no "sleep 27188" process

  Scenario: a name that is taken says how to stop, restart or rename
    When I start "sleep 30" as web
    When I try to start "sleep 31" as web
    Then starting daemon fails with "a daemon named 'web' already exists in this scenario (sleep 30, still running); stop it first (\"When I stop background process web\"), restart it (\"When I restart background process web\"), or choose another name"

  Scenario: a program that does not exist says where it looked and how to create it
    When I try to start "./no-such-script.sh --flag" as ghost
    Then starting daemon fails with "cannot start daemon 'ghost' (./no-such-script.sh --flag): program './no-such-script.sh' not found: there is no file ${workspace}/no-such-script.sh; create it first, e.g. with \"Given a daemon helper shell script no-such-script.sh\""

  Scenario: a program that is not in PATH names the PATH searched
    When I try to start "no-such-program-27183" as ghost, with environment {"PATH": "/usr/bin:/bin"}
    Then starting daemon fails with "cannot start daemon 'ghost' (no-such-program-27183): program 'no-such-program-27183' not found in PATH (/usr/bin:/bin); install it, or write the path to it"

  Scenario: a directory is not a program
    Given a file tools/README with:
      """
      not a program
      """
    When I try to start "./tools" as ghost
    Then starting daemon fails with "cannot start daemon 'ghost' (./tools): ./tools is a directory (${workspace}/tools), not a program; name the program in it, e.g. ./tools/PROGRAM"

  Scenario: a program that is not executable says how to make it so
    Given a file plain.sh with:
      """
      #!/bin/sh
      echo never runs
      """
    When I try to start "./plain.sh" as plain
    Then starting daemon fails with "cannot start daemon 'plain' (./plain.sh): ./plain.sh is not executable (${workspace}/plain.sh); make it executable (chmod +x, or create it with \"Given a daemon helper shell script plain.sh\"), or run it through its interpreter, e.g. \"sh ./plain.sh\""

  Scenario: a script whose interpreter does not exist says so
    Given a daemon helper shell script server.py with:
      """
      #!/opt/no-such-python/bin/python3
      print("never runs")
      """
    When I try to start "./server.py" as server
    Then starting daemon fails with "cannot start daemon 'server' (./server.py): the interpreter on its #! line, /opt/no-such-python/bin/python3, does not exist; fix the #! line of ${workspace}/server.py, or install that interpreter"

  Scenario: invalid JSON for the environment is quoted, with where it broke
    When I try to start "sleep 30" as web, with environment {"PORT": "8080",}
    Then starting daemon fails with "invalid JSON in 'with environment': a comma before } is not allowed (trailing comma)\n  {\"PORT\": \"8080\",}\n                 ^ here (character 16)\nwrite a JSON object of strings, e.g. {\"NAME\": \"value\", \"PORT\": \"8080\"} (keys and strings in double quotes, no trailing comma)"

  Scenario: an environment value that is not a string, number or boolean is named
    When I try to start "sleep 30" as web, with environment {"PORTS": [8080, 8081]}
    Then starting daemon fails with "'with environment' {\"PORTS\": [8080, 8081]}: the value of PORTS is an array; environment values must be strings, numbers or booleans"

  Scenario: an environment variable no process can receive is refused before anything starts
    When I try to start "sleep 27186" as web, with environment {"A=B": "c"}
    Then starting daemon fails with "environment variable name \"A=B\" holds '=', which would make it a variable named \"A\""
    When I try to start "sleep 27186" as web, with environment {"": "c"}
    Then starting daemon fails with "environment variable name \"\" is empty"
    When I try to start "sleep 27186" as web, with environment {"A": "c\u0000d"}
    Then starting daemon fails with "environment variable A: its value \"c\\u0000d\" holds a NUL character, which no process can receive"
    When I try to start "sleep 27186" as web, with environment:
      | LOG_LEVEL | debug |
      | A=B       | c     |
    Then starting daemon fails with "environment variable name \"A=B\" holds '=', which would make it a variable named \"A\""
    And there is no "sleep 27186" process

  Scenario: a port already in use before the start names the process that holds it
    When I start "python3 -m http.server ${holder.port} --bind 127.0.0.1" as holder, on a free port
    When I try to start "sleep 27183" as second, on port ${holder.port}
    Then starting daemon fails with "cannot start daemon 'second' (sleep 27183): port ${holder.port} on 127.0.0.1 is already in use by pid ${holder.pid} ("
    And starting daemon fails with "http.server ${holder.port} --bind 127.0.0.1); stop whatever holds it, or let daemon-steps choose one with \", on a free port\" and "
    And there is no "sleep 27183" process

  Scenario: a working directory that does not exist says how to create it
    When I try to start "pwd" as lost, in directory no/such/dir
    Then starting daemon fails with "cannot start daemon 'lost' (pwd): ', in directory no/such/dir': there is no directory ${workspace}/no/such/dir; create it first, e.g. with \"Given a file no/such/dir/README with:\""

  Scenario: waiting for HTTP needs a port
    When I try to start "sleep 27184" as web, waiting for HTTP /health
    Then starting daemon fails with "cannot start daemon 'web' (sleep 27184): ', waiting for HTTP /health' needs a port; add \", on port P\" or \", on a free port\""
    And there is no "sleep 27184" process

  Scenario: waiting for HTTP with a whole URL suggests its path
    When I try to start "sleep 27186" as web, on port 8080, waiting for HTTP http://127.0.0.1:8080/health?deep=1
    Then starting daemon fails with "waiting for HTTP http://127.0.0.1:8080/health?deep=1: the path must start with '/', e.g. \"waiting for HTTP /health?deep=1\""
    And there is no "sleep 27186" process

  Scenario: a free port that the daemon is never told of is refused before anything is spawned
    When I try to start "sleep 27187" as web, on a free port, with environment {"LEVEL": "debug"}
    Then starting daemon fails with "cannot start daemon 'web' (sleep 27187): it is given a free port, but neither its command nor its environment mentions $"
    And starting daemon fails with "{web.port}, so it cannot know which port to listen on; pass $"
    And there is no "sleep 27187" process

  Scenario: a message shows the command with its placeholders expanded
    Given a daemon helper shell script tcp-listener.py
    When I start "./tcp-listener.py ${api.port}" as api, on a free port
    When I try to start "sh -c 'exit 3' client ${api.port} ${workspace}" as client, waiting for stdout to contain "never"
    Then starting daemon fails with "daemon 'client' (sh -c 'exit 3' client ${api.port} ${workspace}) exited with code 3 after "

  Scenario: an unknown clause lists the clauses a start takes
    When I try to start "sleep 30" as web, on prot 8080
    Then starting daemon fails with "unknown clause ', on prot 8080'; a start step takes, in any order:\n  , on port 8080\n  , on a free port\n"

  Scenario: two clauses that set the same thing are both quoted
    When I try to start "sleep 30" as web, within 1 second, on a free port, within 2 seconds
    Then starting daemon fails with "', within 1 second' and ', within 2 seconds' both set the readiness deadline; keep one"

  Scenario: a deadline of 0 seconds, or of more than a day, is refused with the range
    When I try to start "sleep 27185" as web, within 0 seconds
    Then starting daemon fails with "within: '0' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5"
    When I try to start "sleep 27185" as web, within 99999999 seconds
    Then starting daemon fails with "within: '99999999' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5"
    And there is no "sleep 27185" process

  Scenario: a daemon that never opens its port fails with ConnectionRefusedError, and what it waited for
    When I try to start "sleep 30" as sleepy, on a free port, with environment {"PORT": "${sleepy.port}"}, within 0.3 seconds
    Then starting daemon fails with "daemon 'sleepy' (sleep 30) was not ready within 0.3 s: waited for port ${sleepy.port} on 127.0.0.1 to accept a connection (last attempt: ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${sleepy.port}); the process is still running (pid ${sleepy.pid})"

  Scenario: steps that write files stay inside the workspace, and a wait longer than a day is refused
    Given a file private.key with:
      """
      secret
      """
    And a file inner/trespass.feature with:
      """
      Feature: inner
        Scenario: a file written past the workspace
          Given a file ../../../private.key with:
            ```
            overwritten
            ```

        Scenario: a helper script copied over a file past the workspace
          Given a daemon helper shell script ../../../private.key

        Scenario: a helper script written past the workspace
          Given a daemon helper shell script ../../../escaped.sh with:
            ```
            #!/bin/sh
            ```

        Scenario: a wait longer than a day
          When I start "sleep 27187" as napper
          Then background process napper stays in state RUNNING for 99999999 seconds
      """
    And this project's cucumber-js as a helper script cucumber.sh
    # The inner run's workspaces are made under ./tmp, so ../../../ is this scenario's workspace.
    When I run "sh -c 'mkdir tmp && exec ./cucumber.sh inner/trespass.feature'" as inner, with environment {"TMPDIR": "${workspace}/tmp", "DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process inner exited with code 1
    And daemon inner stdout contains "4 scenarios (4 failed)"
    And daemon inner stdout contains "OutsideDirectoryError: '../../../private.key' is outside the workspace ("
    And daemon inner stdout contains "): it names ${workspace}/private.key; write a path relative to the workspace, without '..' past it"
    And daemon inner stdout contains "OutsideDirectoryError: '../../../escaped.sh' is outside the workspace ("
    And daemon inner stdout contains "InvalidArgumentError: for: '99999999' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5"
    And the file private.key contains "secret"
    And the file escaped.sh does not exist
    When I run "test -x private.key" as executable
    Then background process executable exited with code 1
