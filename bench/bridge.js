// The program a user would write instead of socket-gateway: HTTP in, a pooled TCP line
// exchange out, JSON back. Written for bench/run only (issue 18's yardstick), so it does
// what the gateway's exchange does on the happy path and nothing else: no policy, no keys,
// no limits, no metrics, no audit.
//
//   node bench/bridge.js HTTP_PORT UPSTREAM_PORT
//
// POST any path with {"payload": "text"}: writes text + CRLF to 127.0.0.1:UPSTREAM_PORT on
// an idle pooled socket (or a new one), reads up to the first CRLF, answers
// {"reply": {"payload", "encoding": "utf8"}, "completedBy": "delimiter", "bytesSent",
// "bytesReceived", "durationMs"}.
'use strict';
const http = require('http');
const net = require('net');

const [httpPort, upstreamPort] = process.argv.slice(2).map(Number);
const idle = [];

function exchange(payload, done) {
	const socket = idle.pop() || net.connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
	let buffered = Buffer.alloc(0);
	const onData = (chunk) => {
		buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
		const end = buffered.indexOf('\r\n');
		if (end < 0) {
			return;
		}
		socket.removeListener('data', onData);
		socket.removeListener('error', onError);
		if (end + 2 === buffered.length) {
			idle.push(socket);
		} else {
			socket.destroy();
		}
		done(null, buffered.subarray(0, end), end + 2);
	};
	const onError = (err) => {
		socket.removeListener('data', onData);
		socket.destroy();
		done(err);
	};
	socket.on('data', onData);
	socket.once('error', onError);
	socket.write(payload + '\r\n');
}

http
	.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const started = process.hrtime.bigint();
			let request;
			try {
				request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch (e) {
				res.writeHead(400, { 'Content-Type': 'application/json' });
				res.end('{"error":"malformed JSON"}');
				return;
			}
			const payload = String(request.payload);
			exchange(payload, (err, reply, wire) => {
				if (err) {
					res.writeHead(502, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ error: err.message }));
					return;
				}
				const body = JSON.stringify({
					reply: { payload: reply.toString('utf8'), encoding: 'utf8' },
					completedBy: 'delimiter',
					bytesSent: Buffer.byteLength(payload) + 2,
					bytesReceived: wire,
					durationMs: Number((process.hrtime.bigint() - started) / 1000000n),
				});
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
				res.end(body);
			});
		});
	})
	.listen(httpPort, '127.0.0.1');
