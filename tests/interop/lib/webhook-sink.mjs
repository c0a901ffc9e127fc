// A loopback HTTP endpoint that records webhook requests (body text + Authorization header).
import http from 'node:http';

export async function startWebhookSink() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ body, auth: req.headers.authorization, contentType: req.headers['content-type'] });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}
