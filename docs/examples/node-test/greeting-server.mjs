#!/usr/bin/env node
// A small HTTP server for the examples: GET /health says ok, GET /greet/NAME says hello.
// Usage: greeting-server.mjs PORT. Says where it listens on stdout, logs requests on stderr, and
// says "reloading" on SIGHUP, as daemons do.
import http from 'node:http';

const port = Number(process.argv[2]);
const server = http.createServer((request, response) => {
  console.error(`${request.method} ${request.url}`);
  if (request.url === '/health') return response.end('ok\n');
  if (request.url?.startsWith('/greet/')) return response.end(`hello, ${decodeURIComponent(request.url.slice(7))}\n`);
  response.statusCode = 404;
  response.end('no such page\n');
});
process.on('SIGHUP', () => console.log('reloading'));
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
