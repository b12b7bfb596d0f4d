Feature: The project's own TypeScript steps talk to the daemons that daemon-steps started

  Scenario: My step fetches a page from the server on its free port
    Given a file site/hello.txt with:
      """
      hello from the site
      """
    When I start "python3 -m http.server ${web.port} --bind 127.0.0.1 --directory site" as a background process as web, on a free port, waiting for HTTP /hello.txt
    And I fetch /hello.txt from daemon web
    Then the page says "hello from the site"
    And daemon web stderr contains "GET /hello.txt"
