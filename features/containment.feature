Feature: Containment — a process that tries to escape is ended all the same

  A daemon that forks, calls setsid, forks again, clears its environment and makes itself
  non-dumpable (as mail servers and ssh-agent do) leaves no process group, no marker and no
  parent link behind. Where the runner may create cgroups (root, or a delegated cgroup v2
  subtree), each daemon is spawned into a cgroup of its own, which no process can leave: stopping
  the daemon, the scenario's teardown and the watchdog end everything in it. Elsewhere — or with
  `containment: process-group` — the process group, the marker and parent links are all there is,
  and such a process escapes: the README says so.

  Background:
    Given a daemon helper shell script self-daemonising.py
    And a daemon helper shell script processes-with.py

  @cgroup
  Scenario: stopping a daemon ends the process it daemonised, wherever that went
    When I run "./self-daemonising.py escaper-${workspace}" as df
    Then background process df exited with code 0
    And daemon df stdout contains "daemonised"
    When I run "./processes-with.py --command escaper-${workspace}" as before
    Then background process before exited with code 0
    When I stop background process df
    And I run "./processes-with.py --command escaper-${workspace}" as after
    Then background process after exited with code 1

  @cgroup
  Scenario: a scenario that walks away from a self-daemonising program leaves nothing running
    Given a file inner/walks-away.feature with:
      """
      Feature: inner
        Scenario: start a self-daemonising program and walk away
          When I run "${project}/self-daemonising.py escaper-${project}-walked-away" as df
          Then daemon df stdout contains "daemonised"
      """
    And this project's cucumber-js as a helper script cucumber.sh
    When I run "./cucumber.sh inner/walks-away.feature" as inner
    Then background process inner exited with code 0
    And daemon inner stdout contains "1 scenario (1 passed)"
    When I run "./processes-with.py --command escaper-${workspace}-walked-away" as leftovers
    Then background process leftovers exited with code 1
