Feature: The daemon-steps command: services for a shell, a Makefile or another process

  `daemon-steps run FILE` starts the services of a services file, prints the shell lines that
  `eval` turns into DAEMON_STEPS_* variables, and stops them all on SIGINT or SIGTERM; with
  `--daemonize` it returns to the shell and leaves one control process in charge of them.
  `daemon-steps stop` stops what the environment names. `daemon-steps run FILE -- CMD` runs one
  command with the services around it and exits with its status; `daemon-steps clean` removes what
  runs that are gone left on disk. Every mistake has an exit code and a
  message a shell user can act on, and nothing is ever left running.

  Background:
    Given this project's daemon-steps command as a helper script daemon-steps
    And a daemon helper shell script kv-server.py
    And a daemon helper shell script kv.py
    And a daemon helper shell script services-gone.py
    And a file services.json with:
      """
      {
        "services": {
          "kv": {"command": "./kv-server.py ${kv.port}", "port": "free", "ready": "waiting for stdout to contain \"listening\""},
          "mirror": {
            "command": "sh -c 'echo \"kv is on $KV_PORT\"; exec ./kv-server.py ${mirror.port}'",
            "port": "free",
            "environment": {"KV_PORT": "${kv.port}"},
            "dependencies": ["kv"]
          }
        }
      }
      """

  Scenario: It says how it is used, and which version it is
    When I run "./daemon-steps --help" as help
    Then background process help exited with code 0
    And daemon help stdout contains "daemon-steps run FILE [--daemonize] [--quiet]"
    And daemon help stdout contains "daemon-steps run FILE [--quiet] -- COMMAND [ARGUMENTS...]"
    And daemon help stdout contains "daemon-steps clean [--quiet]"
    And daemon help stdout contains "Exit codes:"
    When I run "./daemon-steps --version" as version
    Then daemon version stdout matches "^\d+\.\d+\.\d+\n$"
    When I run "./daemon-steps rnu services.json" as typo
    Then background process typo exited with code 2
    And daemon typo stderr is "daemon-steps: unknown command 'rnu' (did you mean run?); the commands are run, stop and clean\nSee daemon-steps --help\n"
    When I run "./daemon-steps run services.json --deamonize" as option
    Then background process option exited with code 2
    And daemon option stderr contains "daemon-steps: unknown option '--deamonize'; did you mean --daemonize?"
    When I run "./daemon-steps run services.json --" as nothing-after
    Then background process nothing-after exited with code 2
    And daemon nothing-after stderr is "daemon-steps: nothing to run after --: daemon-steps run services.json -- COMMAND [ARGUMENTS…]\nSee daemon-steps --help\n"
    When I run "./daemon-steps run services.json --daemonize -- true" as both-ways
    Then background process both-ways exited with code 2
    And daemon both-ways stderr contains "daemon-steps: --daemonize returns at once, -- COMMAND waits for the command: choose one"
    When I run "./daemon-steps run" as missing
    Then background process missing exited with code 2
    And daemon missing stderr contains "daemon-steps: run needs the services file: daemon-steps run FILE"
    When I run "./daemon-steps run services.json" as setting, with environment {"DAEMON_STEPS_START_TIMEOUT": "soon"}
    Then background process setting exited with code 2
    And daemon setting stderr is "daemon-steps: DAEMON_STEPS_START_TIMEOUT = \"soon\": expected a number more than 0 and at most 86400 seconds\n"

  Scenario: run starts the services in order, prints their variables, and Ctrl-C stops them all and removes their files
    When I start "./daemon-steps run services.json" as services, waiting for stdout to contain "DAEMON_STEPS_SETTINGS="
    Then daemon services stdout matches "^export DAEMON_STEPS_KV_PORT=\d+\nexport DAEMON_STEPS_KV_PID=\d+\nexport DAEMON_STEPS_MIRROR_PORT=\d+\nexport DAEMON_STEPS_MIRROR_PID=\d+\nexport DAEMON_STEPS_CONTROL_PID=\d+\nexport DAEMON_STEPS_SETTINGS=/\S+/settings.json\n$"
    And daemon services stderr matches "daemon-steps: starting kv: \./kv-server\.py \$\{kv\.port\}\ndaemon-steps: kv is ready after [\d.]+ s \(pid \d+, port \d+\)\ndaemon-steps: starting mirror: "
    And daemon services stderr contains "daemon-steps: 2 services running; Ctrl-C (or kill ${services.pid}) stops them"
    # A client in another process finds everything through the variables and the settings file.
    When I run "sh -c 'eval \"$(cat services.stdout)\" && test $DAEMON_STEPS_CONTROL_PID = ${services.pid} && ./kv.py --settings kv SET colour blue && ./kv.py $DAEMON_STEPS_KV_PORT GET colour && cp \"$DAEMON_STEPS_SETTINGS\" settings.json'" as client
    Then daemon client stdout is "OK\nblue\n"
    When I run "sh -c 'eval \"$(cat services.stdout)\" && grep -c \"kv is on $DAEMON_STEPS_KV_PORT\" \"$(dirname $DAEMON_STEPS_SETTINGS)/mirror.stdout\"'" as mirror
    Then daemon mirror stdout is "1\n"
    When I send signal SIGINT to background process services
    And I wait for background process services to exit
    Then background process services exited with code 0
    And daemon services stderr contains "daemon-steps: received SIGINT\ndaemon-steps: stopping kv, mirror\ndaemon-steps: stopped everything in "
    When I run "./services-gone.py --files settings.json" as gone
    Then background process gone exited with code 0

  Scenario: --daemonize returns to the shell; kill of the control pid stops everything, and stop unsets the variables
    When I run "sh -c 'eval \"$(./daemon-steps run services.json --daemonize)\" && ./kv.py $DAEMON_STEPS_KV_PORT SET colour blue && cp \"$DAEMON_STEPS_SETTINGS\" settings.json && eval \"$(./daemon-steps stop)\" && echo \"after stop: [$DAEMON_STEPS_KV_PORT$DAEMON_STEPS_CONTROL_PID$DAEMON_STEPS_SETTINGS]\"'" as session
    Then background process session exited with code 0
    And daemon session stdout is "OK\nafter stop: []\n"
    And daemon session stderr contains "daemon-steps: 2 services running; stop them with: kill "
    And daemon session stderr contains "daemon-steps: stopped the control process (pid "
    When I run "./services-gone.py --files settings.json" as gone
    Then background process gone exited with code 0

    When I run "./daemon-steps run services.json --daemonize --quiet" as up
    Then background process up exited with code 0
    And daemon up stderr is empty
    When I run "sh -c 'eval \"$(cat up.stdout)\" && cp \"$DAEMON_STEPS_SETTINGS\" settings.json && kill $DAEMON_STEPS_CONTROL_PID'" as kill
    And I run "./services-gone.py --within 5 --files settings.json" as gone-too
    Then background process gone-too exited with code 0
    When I run "sh -c 'eval \"$(cat up.stdout)\" && ./daemon-steps stop'" as stop
    Then background process stop exited with code 0
    And daemon stop stderr contains "daemon-steps: the control process (pid "
    And daemon stop stderr contains ") had already ended"
    And daemon stop stdout is "unset DAEMON_STEPS_CONTROL_PID\nunset DAEMON_STEPS_KV_PID\nunset DAEMON_STEPS_KV_PORT\nunset DAEMON_STEPS_MIRROR_PID\nunset DAEMON_STEPS_MIRROR_PORT\nunset DAEMON_STEPS_SETTINGS\n"
    When I run "./daemon-steps stop" as nothing
    Then background process nothing exited with code 4
    And daemon nothing stderr is "daemon-steps stop: nothing to stop: DAEMON_STEPS_CONTROL_PID is not set in this environment (eval \"$(daemon-steps run FILE --daemonize)\" sets it)\n"
    # A pid that now names another process (the variables outlived their run) is left alone.
    When I start "sleep 30" as stranger
    And I run "./daemon-steps stop" as careful, with environment {"DAEMON_STEPS_CONTROL_PID": "${stranger.pid}", "DAEMON_STEPS_STRANGER_PORT": "1"}
    Then background process careful exited with code 0
    And daemon careful stderr is "daemon-steps stop: DAEMON_STEPS_CONTROL_PID=${stranger.pid} names pid ${stranger.pid}, which is not the control process of a daemon-steps run (it is: sleep 30); it was left alone\n"
    And daemon careful stdout is "unset DAEMON_STEPS_CONTROL_PID\nunset DAEMON_STEPS_STRANGER_PORT\n"
    And background process stranger is running
    # Nor is a process whose command line mentions daemon-steps (an editor on a file of a checkout).
    When I start "python3 -c 'import time; time.sleep(30)' /src/daemon-steps/README.md" as editor
    And I run "./daemon-steps stop" as careful-too, with environment {"DAEMON_STEPS_CONTROL_PID": "${editor.pid}"}
    Then background process careful-too exited with code 0
    And daemon careful-too stderr contains "names pid ${editor.pid}, which is not the control process of a daemon-steps run"
    And background process editor is running

  Scenario: kill -9 of the control pid leaves nothing behind within 3 seconds
    When I run "./daemon-steps run services.json --daemonize" as up
    Then background process up exited with code 0
    When I run "sh -c 'eval \"$(cat up.stdout)\" && cp \"$DAEMON_STEPS_SETTINGS\" settings.json && kill -KILL $DAEMON_STEPS_CONTROL_PID'" as kill
    And I run "./services-gone.py --within 3 settings.json" as gone
    Then background process gone exited with code 0
    When I run "sh -c 'eval \"$(cat up.stdout)\" && ./daemon-steps stop'" as stop
    Then background process stop exited with code 0
    When I run "./services-gone.py --files settings.json" as no-files
    Then background process no-files exited with code 0

  Scenario: Two runs of the same file at once, beside a test suite, get their own ports, directories and instances
    When I run "sh -c './daemon-steps run services.json --daemonize > one.sh & ./daemon-steps run services.json --daemonize > two.sh & wait'" as both
    Then background process both exited with code 0
    Given the shared service kv started with "./kv-server.py ${kv.port}", on a free port
    When I run "sh -c '. ./one.sh && A=\"$DAEMON_STEPS_KV_PORT $DAEMON_STEPS_MIRROR_PORT $(dirname $DAEMON_STEPS_SETTINGS)\" && . ./two.sh && for x in $A $DAEMON_STEPS_KV_PORT $DAEMON_STEPS_MIRROR_PORT $(dirname $DAEMON_STEPS_SETTINGS) ${kv.port} ${workspace}; do echo $x; done | sort | uniq -d'" as twice
    Then background process twice exited with code 0
    And daemon twice stdout is empty
    When I run "sh -c '. ./one.sh && echo $DAEMON_STEPS_KV_PORT $DAEMON_STEPS_MIRROR_PORT $(dirname $DAEMON_STEPS_SETTINGS) && ./kv.py $DAEMON_STEPS_KV_PORT SET run one'" as one
    And I run "sh -c '. ./two.sh && echo $DAEMON_STEPS_KV_PORT $DAEMON_STEPS_MIRROR_PORT $(dirname $DAEMON_STEPS_SETTINGS) && ./kv.py $DAEMON_STEPS_KV_PORT GET run'" as two
    Then daemon one stdout matches "^\d+ \d+ /\S+\nOK\n$"
    And daemon two stdout matches "^\d+ \d+ /\S+\n\(nil\)\n$"
    When I run "sh -c '. ./one.sh && cp $DAEMON_STEPS_SETTINGS one.json && ./daemon-steps stop && . ./two.sh && cp $DAEMON_STEPS_SETTINGS two.json && ./daemon-steps stop'" as down
    Then background process down exited with code 0
    When I run "sh -c './services-gone.py --files one.json && ./services-gone.py --files two.json'" as gone
    Then background process gone exited with code 0

  Scenario: A fixed port that another run holds is refused at once, naming the holder
    # The services file names a fixed port that is free now: another copy of this suite may be running.
    Given a daemon helper shell script fixed-port-services.py
    When I run "./fixed-port-services.py fixed.json" as setup
    Then background process setup exited with code 0
    When I start "./daemon-steps run fixed.json" as first, waiting for stdout to contain "DAEMON_STEPS_SETTINGS="
    And I run "./daemon-steps run fixed.json" as second
    Then background process second exited with code 1
    And daemon second stderr matches "daemon-steps: service 'kv' of fixed.json did not start: port \d+ is reserved by another run \(pid \d+: node "
    And daemon second stderr contains " is reserved by another run (pid ${first.pid}: node "
    And daemon second stderr contains "stop that, or set \"port\": \"free\" (and use $"
    And daemon second stdout is empty
    When I stop background process first
    Then background process first exited with code 0

  Scenario: A service that does not start: which, why, its output; the others are stopped, exit code 1
    Given a file broken.json with:
      """
      {"services": {
        "kv": {"command": "./kv-server.py ${kv.port}", "port": "free"},
        "broken": {"command": "sh -c 'echo cannot read config.ini >&2; exit 3'", "ready": "waiting for stdout to contain \"ready\"", "dependencies": ["kv"]},
        "web": {"command": "sleep 60", "dependencies": ["broken"]}
      }}
      """
    When I run "./daemon-steps run broken.json" as run, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process run exited with code 1
    And daemon run stdout is empty
    And daemon run stderr contains "daemon-steps: service 'broken' of broken.json did not start: daemon 'broken' (sh -c 'echo cannot read config.ini >&2; exit 3') exited with code 3 after "
    And daemon run stderr contains ", before it was ready: it was waiting for stdout to contain \"ready\"\nlast lines of stderr ("
    And daemon run stderr contains "  | cannot read config.ini\n"
    And daemon run stderr contains "daemon-steps: web not started: its dependency broken did not start"
    And daemon run stderr contains "daemon-steps: stopped the services that had started; nothing is left running"
    When I run "./services-gone.py --pids-in run.stderr" as gone
    Then background process gone exited with code 0
    When I run "./daemon-steps run broken.json --daemonize" as daemonized, with environment {"DAEMON_STEPS_KEEP_WORKSPACE": "never"}
    Then background process daemonized exited with code 1
    And daemon daemonized stdout is empty
    And daemon daemonized stderr contains "  | cannot read config.ini\n"
    When I run "./services-gone.py --pids-in daemonized.stderr" as gone-too
    Then background process gone-too exited with code 0

  Scenario: A services file with a mistake is refused with exit code 3, naming the field
    Given a file typo.json with:
      """
      {"services": {"kv": {"comand": "./kv-server.py"}}}
      """
    When I run "./daemon-steps run typo.json --daemonize" as typo
    Then background process typo exited with code 3
    And daemon typo stderr is "daemon-steps: typo.json: unknown field \"comand\" in services.kv; did you mean \"command\"? A service has: command, port, environment, ready, directory, dependencies\n"
    When I run "./daemon-steps run nowhere.json" as nowhere
    Then background process nowhere exited with code 3
    And daemon nowhere stderr is "daemon-steps: nowhere.json: cannot read the services file: there is no such file (looked for ${workspace}/nowhere.json)\n"

  Scenario: Interrupted while the services start, it stops what started and says so
    Given a file slow.json with:
      """
      {"services": {
        "kv": {"command": "./kv-server.py ${kv.port}", "port": "free"},
        "slow": {"command": "sleep 60", "ready": "waiting for stdout to contain \"never\", within 60 seconds", "dependencies": ["kv"]}
      }}
      """
    When I start "./daemon-steps run slow.json" as run, waiting for stderr to contain "starting slow"
    And I send signal SIGINT to background process run
    And I wait for background process run to exit
    Then background process run exited with code 130
    And daemon run stderr contains "daemon-steps: interrupted by SIGINT while the services were starting; stopped everything, nothing is left running"
    When I run "./services-gone.py --pids-in run.stderr" as gone
    Then background process gone exited with code 0

  Scenario: run FILE -- CMD runs CMD with the services' variables, stops them when it ends, and exits with its status
    When I run "./daemon-steps run services.json -- sh -c 'cp \"$DAEMON_STEPS_SETTINGS\" settings.json; ./kv.py $DAEMON_STEPS_KV_PORT SET colour blue; echo mirror on $DAEMON_STEPS_MIRROR_PORT, control $DAEMON_STEPS_CONTROL_PID; exit 3'" as wrapped
    Then background process wrapped exited with code 3
    And daemon wrapped stdout matches "^OK\nmirror on \d+, control ${wrapped.pid}\n$"
    And daemon wrapped stderr contains "daemon-steps: 2 services running; running sh -c 'cp "
    And daemon wrapped stderr contains "daemon-steps: sh exited with code 3\ndaemon-steps: stopping kv, mirror\ndaemon-steps: stopped everything in "
    When I run "./services-gone.py --files settings.json" as gone
    Then background process gone exited with code 0
    # A command that a signal ends: 128 + its number, as a shell says it.
    When I run "./daemon-steps run services.json --quiet -- sh -c 'cp \"$DAEMON_STEPS_SETTINGS\" killed.json; kill -KILL $$'" as killed
    Then background process killed exited with code 137
    And daemon killed stderr is empty
    When I run "./services-gone.py --files killed.json" as gone-too
    Then background process gone-too exited with code 0

  Scenario: run FILE -- CMD passes SIGTERM on to CMD, and stops the services once CMD has ended
    When I start "./daemon-steps run services.json -- sh -c 'cp \"$DAEMON_STEPS_SETTINGS\" settings.json; trap \"echo got TERM; kill \$!; exit 5\" TERM; sleep 60 & echo ready; wait'" as wrapped, waiting for stdout to contain "ready"
    And I send signal SIGTERM to background process wrapped
    And I wait for background process wrapped to exit
    Then background process wrapped exited with code 5
    And daemon wrapped stdout is "ready\ngot TERM\n"
    And daemon wrapped stderr contains "daemon-steps: received SIGTERM; passing it on to sh\ndaemon-steps: sh exited with code 5\ndaemon-steps: stopping kv, mirror\n"
    When I run "./services-gone.py --files settings.json" as gone
    Then background process gone exited with code 0

  Scenario: run FILE -- CMD with a CMD that cannot run says why; the services are stopped, or never started
    When I run "./daemon-steps run services.json -- ./no-such-tool --verbose" as missing
    Then background process missing exited with code 127
    And daemon missing stderr is "daemon-steps: cannot run ./no-such-tool: there is no file ${workspace}/no-such-tool; no service was started\n"
    Given a file not-executable.sh with:
      """
      echo never
      """
    When I run "./daemon-steps run services.json -- ./not-executable.sh" as not-executable
    Then background process not-executable exited with code 126
    And daemon not-executable stderr is "daemon-steps: cannot run ./not-executable.sh: ${workspace}/not-executable.sh is not executable (chmod +x ./not-executable.sh); no service was started\n"
    # Found, but its interpreter is not: that shows only when it is run, after the services started.
    Given a daemon helper shell script no-interpreter.sh with:
      """
      #!/no/such/interpreter
      echo never
      """
    When I run "./daemon-steps run services.json -- ./no-interpreter.sh" as no-interpreter
    Then background process no-interpreter exited with code 127
    And daemon no-interpreter stderr contains "daemon-steps: cannot run ./no-interpreter.sh: cannot start '${workspace}/no-interpreter.sh': the interpreter on its #! line, /no/such/interpreter, does not exist; fix the #! line of ${workspace}/no-interpreter.sh, or install that interpreter\ndaemon-steps: stopping kv, mirror\n"
    When I run "./services-gone.py --pids-in no-interpreter.stderr" as gone
    Then background process gone exited with code 0

  Scenario: A scenario that asks for a service of daemon-steps run with another command or port fails, naming both
    Given this project's cucumber-js as a helper script cucumber-js
    And a file shared.feature with:
      """
      Feature: The kv store of daemon-steps run
        Scenario: the same definition
          Given the shared service kv started with "./kv-server.py ${kv.port}", on a free port, waiting for stdout to contain "listening", within 30 seconds
          Then daemon kv stdout contains "listening"

        Scenario: another port
          Given the shared service kv started with "./kv-server.py ${kv.port}", on port 8080
      """
    # The inner run keeps the workspace of its failed scenario: in this scenario's workspace, not in /tmp.
    When I run "./daemon-steps run services.json -- ./cucumber-js shared.feature" as nested, with environment {"TMPDIR": "${workspace}"}
    Then background process nested exited with code 1
    And daemon nested stdout contains "2 scenarios (1 failed, 1 passed)"
    # Braces escaped: the step would expand ${kv.port} of this scenario.
    And daemon nested stdout matches "shared service 'kv' is asked for here as \"\./kv-server\.py \$\{kv\.port\}\", on port 8080, but the instance that daemon-steps run started from ${workspace}/services\.json \(pid \d+\) is \"\./kv-server\.py \$\{kv\.port\}\", on a free port: the port differs\. A shared service has one definition: make the step and the services file say the same, or give this one another name\n"

  Scenario: run FILE -- CMD with a CMD that is a test run using daemon-steps: a run of its own inside this one, which cleans up after itself
    Given this project's cucumber-js as a helper script cucumber-js
    And a file inner.feature with:
      """
      Feature: A test run inside daemon-steps run
        Scenario: it starts a daemon of its own and sees it
          When I start "sleep 3005" as sleeper
          Then a process "sleep 3005" is running
      """
    When I run "./daemon-steps run services.json -- ./cucumber-js inner.feature" as nested
    Then background process nested exited with code 0
    And daemon nested stdout contains "1 scenario (1 passed)"
    # Its watchdog is let finish that run's cleanup: nothing was left for this run to end.
    And daemon nested stderr contains "daemon-steps: ./cucumber-js exited with code 0\n"
    And daemon nested stderr doesn't contain "left running"

  Scenario: clean removes what runs that are gone left behind, and leaves a live run's files alone
    Given this project's cucumber-js as a helper script cucumber-js
    And a file kept.feature with:
      """
      Feature: Kept
        Scenario: it keeps its workspace
          When I start "sleep 30" as sleeper
      """
    # Runs of their own temporary directory, so that this sees no other run's files.
    When I run "mkdir tmp" as tmp
    And I run "./cucumber-js kept.feature" as earlier, with environment {"TMPDIR": "${workspace}/tmp", "DAEMON_STEPS_KEEP_WORKSPACE": "always"}
    Then background process earlier exited with code 0
    When I start "./daemon-steps run services.json" as live, with environment {"TMPDIR": "${workspace}/tmp"}, waiting for stdout to contain "DAEMON_STEPS_SETTINGS="
    And I run "./daemon-steps clean" as clean, with environment {"TMPDIR": "${workspace}/tmp"}
    Then background process clean exited with code 0
    And daemon clean stdout matches "^daemon-steps: removed ${workspace}/tmp/daemon-steps-\d+\.\d+\.[0-9a-f]+ \(a run whose runner, pid \d+, is gone; workspace: 001-it-keeps-its-workspace\)\n"
    And daemon clean stderr matches "^daemon-steps: left ${workspace}/tmp/daemon-steps-${live.pid}\.\d+\.[0-9a-f]+ alone: its runner \(pid ${live.pid}\) is running\n$"
    When I run "sh -c 'eval \"$(cat live.stdout)\" && ./kv.py $DAEMON_STEPS_KV_PORT SET still here && ls tmp'" as after
    Then daemon after stdout matches "^OK\ndaemon-steps-${live.pid}\.\d+\.[0-9a-f]+\n$"
    When I run "./daemon-steps clean" as again, with environment {"TMPDIR": "${workspace}/tmp"}
    Then daemon again stdout doesn't contain "daemon-steps: removed ${workspace}/tmp/"
    When I stop background process live
    Then background process live exited with code 0

  Scenario: The README's workflow works as it is written
    Given a daemon helper shell script follow-readme-services.mjs
    And a daemon helper shell script readme-blocks.mjs
    # Its own temporary directory: `daemon-steps clean` in the README sees no other run's files.
    When I run "mkdir tmp" as tmp
    And I run "./follow-readme-services.mjs" as readme, with environment {"TMPDIR": "${workspace}/tmp"}, within 180 seconds
    Then background process readme exited with code 0
    And daemon readme stdout contains "# wrote services.json\n# wrote features/web.feature\n"
    And daemon readme stdout contains "200\n"
    And daemon readme stdout contains "1 scenario (1 passed)"
    And daemon readme stdout contains "the tests exited with 0\n"
    And daemon readme stderr contains "daemon-steps: 1 service running; running npx cucumber-js\n"
    And daemon readme stdout contains "nothing is left running in ${workspace}/project"
    And daemon readme stderr contains "daemon-steps: web is ready after "
    And daemon readme stderr contains "daemon-steps: stopped the control process (pid "
