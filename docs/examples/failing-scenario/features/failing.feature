Feature: A scenario that fails, to show what a failure looks like in each report

  Run it with `npx cucumber-js`: it fails on purpose. The terminal says which daemon, what was
  expected, what it printed instead and where its whole output is; every daemon's output is
  attached to the reports in reports/ (cucumber.json lists the formatters).

  Scenario: The daemon does not say what the scenario expects
    Given a daemon helper shell script bystander.sh
    And a daemon helper shell script chatty.sh
    When I start "./bystander.sh" as a background process as bystander, waiting for stdout to contain "ready"
    And I start "./chatty.sh" as a background process as chatty, waiting for stdout to contain "ready"
    Then daemon chatty stdout contains "goodbye"
