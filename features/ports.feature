Feature: Ports — free ports nobody else is given, and busy ports caught before anything starts

  `, on a free port` gives each daemon a port that nothing listens on and that no other daemon of
  this run — in any `--parallel` worker — or of another run on this machine is given; the scenario
  names it `${NAME.port}`. A fixed port that something already holds fails the start before the
  daemon is spawned, and says who holds it.

  Background:
    Given a daemon helper shell script tcp-listener.py

  Scenario: Every daemon on a free port gets a port of its own
    When I start "./tcp-listener.py ${one.port}" as a background process as one, on a free port
    And I start "./tcp-listener.py ${two.port}" as a background process as two, on a free port
    And I start "./tcp-listener.py ${three.port}" as a background process as three, on a free port
    Then port ${one.port} is open
    And port ${two.port} is open
    And port ${three.port} is open

  Scenario: A port is open while something listens on it, and closed once it has stopped
    When I start "./tcp-listener.py ${web.port}" as a background process as web, on a free port
    Then port ${web.port} is open
    When I stop background process web
    Then port ${web.port} is closed

  Scenario: A fixed port that is already in use fails the start before spawning, naming the holder
    When I start "./tcp-listener.py ${holder.port}" as a background process as holder, on a free port
    And I try to start "sleep 31881" as latecomer, on port ${holder.port}
    Then starting daemon fails with "cannot start daemon 'latecomer' (sleep 31881): port ${holder.port} on 127.0.0.1 is already in use by pid ${holder.pid} ("
    And starting daemon fails with "tcp-listener.py ${holder.port}); stop whatever holds it"
    And there is no "sleep 31881" process
