Feature: Output kept after the daemon stopped, and files in the workspace

  A daemon's output files outlive it; the scenario's workspace is where files are written and read.

  Scenario: output is kept after the daemon has stopped
    When I start "sh -c 'echo still here; exec sleep 30'" as talker, waiting for stdout to contain "still here"
    When I stop background process talker
    Then daemon talker stdout is "still here\n"

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
