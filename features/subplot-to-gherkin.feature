Feature: Converting a Subplot document with docs/subplot-to-gherkin.awk

  docs/migrating-from-subplot.md converts a Subplot document with an awk script. A Subplot
  scenario is every scenario block under one heading, prose between them included (Obnam's
  obnam.md splits its scenarios so); the next heading starts another. Embedded files go to the
  fixtures directory, which the script creates.

  Scenario: a scenario spread over several blocks stays one scenario, and embedded files become fixtures
    Given a file doc.md with:
      """
      ---
      title: Chunks, the Subplot way
      ...

      # Chunks

      ## Happy path

      First we store a chunk.

      ~~~scenario
      given a daemon helper shell script store.sh
      when I start "./store.sh" as store

      then daemon store is running
      ~~~

      Then we read it back, in the same scenario.

      ```scenario
      when I run "cat data" as reader
      then daemon reader stdout is "x\n"
      ```

      ~~~sh
      # a comment in a code block, not a heading
      $ store init
      ~~~

      ## Nothing left behind

      ~~~scenario
      then there is no "store.sh" process
      ~~~

      ~~~{#store.sh .file .sh .numberLines}
      #!/bin/sh
      echo stored
      ~~~
      """
    When I run "awk -f ${project}/docs/subplot-to-gherkin.awk doc.md" as convert
    Then background process convert exited with code 0
    And daemon convert stdout is:
      """

        Scenario: Happy path
          Given a daemon helper shell script store.sh
          When I start "./store.sh" as store
          Then daemon store is running
          When I run "cat data" as reader
          Then daemon reader stdout is "x\n"

        Scenario: Nothing left behind
          Then there is no "store.sh" process
      """
    And the file features/fixtures/store.sh contains "#!/bin/sh\necho stored\n"
    When I run "test -x features/fixtures/store.sh" as executable
    Then background process executable exited with code 0
