Feature: Another project installs daemon-steps and uses it

  This is how users meet the package: `npm install` of the packed tarball into an empty project,
  and `import 'daemon-steps'` (or `daemon-steps/helpers` from another test runner). The examples
  in docs/examples/ run there as they are. `npm test` runs the versions this repository develops
  with; `npm run test:matrix` adds the newest Node.js with the newest @cucumber/cucumber.

  Scenario: A newcomer follows "Use it in your project" in the README, to the letter, in an empty directory
    Given a daemon helper shell script follow-readme.mjs
    And a daemon helper shell script readme-blocks.mjs
    When I run "./follow-readme.mjs" as newcomer, within 300 seconds
    Then background process newcomer exited with code 0
    And daemon newcomer stdout contains "$ npm install --save-dev ./daemon-steps-"
    And daemon newcomer stdout contains "$ npx cucumber-js"
    And daemon newcomer stdout contains "1 scenario (1 passed)"

  Scenario Outline: On Node.js <node> with @cucumber/cucumber <cucumber>: Subplot's scenarios, Aruba's dialect, TypeScript, node:test and the reports
    Given a daemon helper shell script consumer-project.sh
    When I run "./consumer-project.sh install" as install, with environment {"CONSUMER_NODE": "<node>", "CONSUMER_CUCUMBER": "<cucumber>"}, within 300 seconds
    Then background process install exited with code 0
    And daemon install stdout contains "on Node.js v<node>."
    And daemon install stdout contains "with @cucumber/cucumber <cucumber>."

    When I run "./consumer-project.sh subplot" as subplot, within 120 seconds
    Then background process subplot exited with code 0
    And daemon subplot stdout contains "10 scenarios (10 passed)"
    And the file project/subplot/features/from-subplot.feature contains "Scenario: Its settings come from the environment"

    When I run "./consumer-project.sh aruba" as aruba, within 120 seconds
    Then background process aruba exited with code 0
    And daemon aruba stdout contains "14 scenarios (14 passed)"

    When I run "./consumer-project.sh typescript" as typescript, within 120 seconds
    Then background process typescript exited with code 0
    And daemon typescript stdout contains "1 scenario (1 passed)"
    And daemon typescript stdout matches "pass 2\n"
    And daemon typescript stdout matches "fail 0\n"

    When I run "./consumer-project.sh node-test" as node-test, within 120 seconds
    Then background process node-test exited with code 0
    And daemon node-test stdout matches "pass 6\n"
    And daemon node-test stdout matches "fail 0\n"

    # The example scenario fails on purpose. The terminal says which daemon, what was expected, what
    # it printed and where its output is; every daemon's output reaches the reports, even the output
    # of one that no step mentions, which appears nowhere else.
    When I run "./consumer-project.sh reports" as reports, within 120 seconds
    Then background process reports exited with code 0
    And the file project/failing-scenario/terminal.txt contains "1 scenario (1 failed)"
    And the file project/failing-scenario/terminal.txt contains "daemon 'chatty'"
    And the file project/failing-scenario/terminal.txt contains "goodbye"
    And the file project/failing-scenario/terminal.txt contains "good morning from chatty"
    And the file project/failing-scenario/terminal.txt contains "chatty.stdout"
    And the file project/failing-scenario/reports/pretty.txt contains "the bystander saw it all"
    And the file project/failing-scenario/reports/pretty.txt contains "a warning only the logs show"
    And the file project/failing-scenario/reports/report.html contains "the bystander saw it all"
    And the file project/failing-scenario/reports/report.html contains "a warning only the logs show"
    And daemon reports stdout matches "json> [^\n]*the bystander saw it all"
    And daemon reports stdout matches "json> [^\n]*a warning only the logs show"
    And the file project/failing-scenario/reports/report.xml contains "failures=\"1\""
    And the file project/failing-scenario/reports/report.xml contains "daemon 'chatty'"
    And the file project/failing-scenario/reports/report.xml contains "good morning from chatty"

    Examples: the versions this repository develops with
      | node | cucumber |
      | 20   | 12       |

    @matrix
    Examples: the newest Node.js and @cucumber/cucumber
      | node | cucumber |
      | 24   | 13       |
