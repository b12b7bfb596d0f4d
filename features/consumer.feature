Feature: Another project installs daemon-steps and loads it with one line

  This is how users meet the package: `npm install` of the packed tarball, and a support file
  that says `import 'daemon-steps'`. Subplot's scenarios must pass there unchanged.

  Scenario: Subplot's scenarios pass in a project that installed the packed tarball
    Given a daemon helper shell script consumer-project.sh
    When I run "./consumer-project.sh" as consumer, within 300 seconds
    Then background process consumer exited with code 0
    And daemon consumer stdout contains "8 scenarios (8 passed)"
    And daemon consumer stdout contains "44 steps (44 passed)"
