Feature: Where a daemon runs, and what it finds on PATH

  A daemon runs in the scenario's workspace (or the directory `, in directory PATH` names), with
  the environment cucumber-js was started with. When npm starts the run (`npm test`, `npx
  cucumber-js`), it puts the project's node_modules/.bin first on PATH, so the commands of the
  project's dependencies are found by name. npx looks for packages from its working directory,
  though: in the workspace there is no package.json, so `npx X` does not see the project's
  dependencies (without `--no` it would fetch a package named X from the registry). Call the
  command by name or by its path, or tell npx where the project is.

  Scenario: a daemon runs in the scenario's workspace, outside the project
    When I run "pwd" as where
    Then daemon where stdout is "${workspace}\n"
    And daemon where stdout doesn't contain "${project}"

  Scenario: a dependency's command is found by name, and by its path in the project
    When I run "cucumber-js --version" as by-name
    And I run "${project}/node_modules/.bin/cucumber-js --version" as by-path
    Then background process by-name exited with code 0
    And daemon by-name stdout matches "^\d+\.\d+\.\d+\n$"
    And background process by-path exited with code 0
    And daemon by-path stdout matches "^\d+\.\d+\.\d+\n$"

  Scenario: npx in a daemon does not see the project's dependencies
    When I run "npx --offline --no -- cucumber-js --version" as npx, within 60 seconds
    Then background process npx exited with code 1
    And daemon npx stdout is empty

  Scenario: npx finds them when told where the project is
    When I run "npx --offline --no --prefix ${project} -- cucumber-js --version" as prefixed, within 60 seconds
    Then background process prefixed exited with code 0
    And daemon prefixed stdout matches "^\d+\.\d+\.\d+\n$"
