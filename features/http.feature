Feature: HTTP — requests to a daemon, and what came back

  A request goes to a daemon by name (http://127.0.0.1:PORT + PATH, PORT from its port clause) or
  to a whole URL, with Node's own fetch and no client library. Headers set in a scenario go with
  every later request of it. Redirects are not followed. The response steps look at the last
  response: its status, its body as bytes (shown as UTF-8, other bytes as \xNN), its headers (names
  in any case) and the JSON at a dot path.

  Background:
    Given a daemon helper shell script web-server.mjs
    When I start "./web-server.mjs ${web.port}" as a background process as web, on a free port, waiting for HTTP /health

  Scenario: A GET to a path on a daemon: status, body, headers
    When I send a GET request to "/health" on daemon web
    Then the response status is 200
    And the response body is "ok\n"
    And the response body is:
      """
      ok
      """
    And the response body contains "ok"
    And the response body doesn't contain "error"
    And the response header "Content-Type" is "text/plain"
    And the response header "content-type" contains "plain"
    And the response header "X-SERVED-BY" is "web-server"

  Scenario: Any method, with a body from a docstring; JSON bodies go as application/json
    When I send a POST request to "/echo" on daemon web with:
      """
      {"name": "apple", "port": ${web.port}}
      """
    Then the response status is 200
    And the response JSON at "method" is "POST"
    And the response JSON at "body" is "{\"name\": \"apple\", \"port\": ${web.port}}\n"
    And the response JSON at "headers.content-type" is "application/json"
    When I send a PUT request to "/echo" on daemon web with:
      """
      plain text
      """
    Then the response JSON at "method" is "PUT"
    And the response JSON at "body" is "plain text\n"
    And the response JSON at "headers.content-type" is "text/plain; charset=utf-8"
    When I send a PATCH request to "/echo" on background process web, within 3 seconds with:
      """
      patched
      """
    Then the response JSON at "method" is "PATCH"
    When I send a DELETE request to "/echo" on daemon web
    Then the response JSON at "method" is "DELETE"
    And the response JSON at "body" is ""
    When I send an OPTIONS request to "/echo" on daemon web, within 2 seconds
    Then the response JSON at "method" is "OPTIONS"
    When I send a DELETE request to "/echo" on daemon web with:
      """
      gone
      """
    Then the response JSON at "body" is "gone\n"

  Scenario: HEAD has the headers and no body
    When I send a HEAD request to "/health" on daemon web
    Then the response status is 200
    And the response header "Content-Type" is "text/plain"
    And the response body is ""
    And I wait for daemon web stdout to contain "HEAD /health\n"

  Scenario: A whole URL, no daemon named
    When I send a GET request to "http://127.0.0.1:${web.port}/items"
    Then the response status is 200
    And the response JSON at "items.1.name" is "pear"
    When I send a POST request to "http://127.0.0.1:${web.port}/echo", within 2 seconds, with:
      """
      [1, 2]
      """
    Then the response JSON at "body" is "[1, 2]\n"
    And the response JSON at "headers.content-type" is "application/json"

  Scenario: A header set once goes with every later request of the scenario
    When I send a GET request to "/echo" on daemon web
    Then the response body doesn't contain "x-user"
    When I set the request header "X-User" to "ada"
    And I set the request header "Accept" to "application/json"
    And I send a GET request to "/echo" on daemon web
    Then the response JSON at "headers.x-user" is "ada"
    And the response JSON at "headers.accept" is "application/json"
    When I send a DELETE request to "/echo" on daemon web
    Then the response JSON at "headers.x-user" is "ada"
    When I set the request header "x-user" to "grace ${web.port}"
    And I send a GET request to "http://127.0.0.1:${web.port}/echo"
    Then the response JSON at "headers.x-user" is "grace ${web.port}"

  Scenario: Redirects are not followed: a 302 is a response like any other
    When I send a GET request to "/redirect" on daemon web
    Then the response status is 302
    And the response header "Location" is "/health"
    And the response body is "see /health\n"
    When I wait for daemon web stdout to contain "GET /redirect\n"
    Then daemon web stdout doesn't contain "GET /redirect\nGET /health"

  Scenario: A 404 is a response, not an error
    When I send a GET request to "/no/such/page" on daemon web
    Then the response status is 404
    And the response body is "no such page\n"

  Scenario: A body that is not UTF-8 is shown, and asserted, with \xNN
    When I send a GET request to "/latin1" on daemon web
    Then the response body is "caf\xe9\n"
    And the response body contains "\xe9"
    And the response body doesn't contain "é"

  Scenario: JSON at a dot path, each kind of value, compared as values
    When I send a GET request to "/items" on daemon web
    Then the response JSON at "count" is 2
    And the response JSON at "name" is "fruit"
    And the response JSON at "open" is true
    And the response JSON at "sold_out" is false
    And the response JSON at "owner" is null
    And the response JSON at "items.0.id" is 1
    And the response JSON at "items.0" is {"name": "apple", "id": 1}
    And the response JSON at "items" is [{"id": 1, "name": "apple"}, {"id": 2, "name": "pear"}]
    And the response JSON at "count" is 2.0
    And the response JSON at "" is {"items": [{"id": 1, "name": "apple"}, {"id": 2, "name": "pear"}], "count": 2, "open": true, "sold_out": false, "owner": null, "name": "fruit"}
