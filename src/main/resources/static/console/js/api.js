// Every call to the gateway goes through here: the API key (if any) travels as the
// X-API-Key header, on JSON calls and on event streams alike, never in a URL.

const KEY_NAME = 'socket-gateway.api-key';

// The API lives next to /console: resolve it against the page, so a context path works.
const BASE = new URL('../', document.baseURI);

export function apiUrl(path) {
	return new URL(path.replace(/^\//, ''), BASE).toString();
}

export function currentKey() {
	return sessionStorage.getItem(KEY_NAME);
}

export function forgetKey() {
	sessionStorage.removeItem(KEY_NAME);
	keyListeners.forEach((listener) => listener(null));
}

const keyListeners = [];

export function onKeyChange(listener) {
	keyListeners.push(listener);
}

let pendingKey = null;

// Without a key nothing works: Escape does not dismiss the question.
document.getElementById('key-dialog').addEventListener('cancel', (event) => event.preventDefault());

/** Shows the key dialog once, however many calls were refused at the same time. */
function askForKey(detail) {
	if (pendingKey) {
		return pendingKey;
	}
	const dialog = document.getElementById('key-dialog');
	const input = document.getElementById('key-input');
	const reason = document.getElementById('key-reason');
	reason.textContent = (currentKey() ? `The key was refused${detail ? ` (${detail})` : ''}. ` : 'This gateway asks for an API key. ')
		+ 'It is kept in this tab only (sessionStorage) and sent as the X-API-Key header, never in a URL.';
	input.value = '';
	pendingKey = new Promise((resolve) => {
		const form = document.getElementById('key-form');
		const done = (event) => {
			event.preventDefault();
			const key = input.value.trim();
			if (!key) {
				return;
			}
			sessionStorage.setItem(KEY_NAME, key);
			form.removeEventListener('submit', done);
			dialog.close();
			pendingKey = null;
			keyListeners.forEach((listener) => listener(key));
			resolve(key);
		};
		form.addEventListener('submit', done);
	});
	dialog.showModal();
	input.focus();
	return pendingKey;
}

function headers(extra) {
	const result = { Accept: 'application/json', ...extra };
	const key = currentKey();
	if (key) {
		result['X-API-Key'] = key;
	}
	return result;
}

/** A refused call: the problem's code and detail, as the API named them. */
export class ApiError extends Error {
	constructor(status, problem) {
		super(problem.detail || problem.title || `HTTP ${status}`);
		this.status = status;
		this.code = problem.code || `HTTP_${status}`;
		this.problem = problem;
	}
}

async function problemOf(response) {
	try {
		return await response.json();
	}
	catch (e) {
		return { title: response.statusText };
	}
}

/**
 * Calls the API with JSON; asks for a key on 401 and tries again with it.
 * @returns the parsed body, or null for 204
 */
export async function api(method, path, body) {
	for (;;) {
		const init = { method, headers: headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}) };
		if (body !== undefined) {
			init.body = JSON.stringify(body);
		}
		const response = await fetch(apiUrl(path), init);
		if (response.status === 401) {
			const problem = await problemOf(response);
			await askForKey(problem.detail);
			continue;
		}
		if (!response.ok) {
			throw new ApiError(response.status, await problemOf(response));
		}
		if (response.status === 204) {
			return null;
		}
		const text = await response.text();
		return text ? JSON.parse(text) : null;
	}
}

/**
 * Follows a server-sent event stream with fetch (so the key stays in a header), parses
 * it, and reconnects after a failure from the last event id it saw, so no event is lost.
 * @param path the stream's path (query included)
 * @param handlers onEvent({event, data, id}), onState(state, detail)
 * @param after the seq to start after (null: from now)
 * @returns a handle with close(), pause(), resume() and lastId()
 */
export function openStream(path, handlers, after) {
	let lastId = (after === null || after === undefined) ? null : String(after);
	let controller = null;
	let stopped = false;
	let paused = false;
	let retryMs = 500;
	let timer = null;

	const state = (value, detail) => handlers.onState && handlers.onState(value, detail);

	async function connect() {
		if (stopped || paused) {
			return;
		}
		controller = new AbortController();
		const mine = controller;
		const extra = { Accept: 'text/event-stream' };
		if (lastId !== null) {
			extra['Last-Event-ID'] = lastId;
		}
		state('connecting');
		let finished = false;
		try {
			const response = await fetch(apiUrl(path), { headers: headers(extra), signal: mine.signal, cache: 'no-store' });
			if (response.status === 401) {
				const problem = await problemOf(response);
				await askForKey(problem.detail);
				return schedule(0);
			}
			if (response.status === 404) {
				stopped = true;
				state('gone', 'no longer exists');
				return;
			}
			if (!response.ok || !response.body) {
				const problem = await problemOf(response);
				state('error', problem.detail || `HTTP ${response.status}`);
				return schedule();
			}
			state('live');
			retryMs = 500;
			finished = await pump(response.body.getReader(), mine);
		}
		catch (e) {
			if (mine.signal.aborted) {
				return;
			}
			state('error', 'stream interrupted');
		}
		if (finished) {
			stopped = true;
			state('closed');
			return;
		}
		if (!mine.signal.aborted) {
			schedule();
		}
	}

	// Returns true when the server said the stream is over (event "closed").
	async function pump(reader, mine) {
		const decoder = new TextDecoder();
		let buffer = '';
		let event = { event: 'message', data: [], id: null };
		for (;;) {
			const { value, done } = await reader.read();
			if (done) {
				return false;
			}
			buffer += decoder.decode(value, { stream: true });
			let newline;
			while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + ((buffer[newline] === '\r' && buffer[newline + 1] === '\n') ? 2 : 1));
				if (line === '') {
					if (event.data.length > 0 || event.id !== null) {
						if (event.id !== null) {
							lastId = event.id;
						}
						const dispatched = { event: event.event, id: event.id, data: event.data.join('\n') };
						if (!mine.signal.aborted) {
							handlers.onEvent(dispatched);
						}
						if (dispatched.event === 'closed') {
							return true;
						}
					}
					event = { event: 'message', data: [], id: null };
					continue;
				}
				if (line.startsWith(':')) {
					continue;
				}
				const colon = line.indexOf(':');
				const field = (colon < 0) ? line : line.slice(0, colon);
				let data = (colon < 0) ? '' : line.slice(colon + 1);
				if (data.startsWith(' ')) {
					data = data.slice(1);
				}
				if (field === 'event') {
					event.event = data;
				}
				else if (field === 'data') {
					event.data.push(data);
				}
				else if (field === 'id') {
					event.id = data;
				}
			}
		}
	}

	function schedule(delay) {
		if (stopped || paused) {
			return;
		}
		const wait = (delay === undefined) ? retryMs : delay;
		retryMs = Math.min(retryMs * 2, 10000);
		state('reconnecting', `again in ${Math.round(wait / 100) / 10} s`);
		timer = setTimeout(connect, wait);
	}

	function abort() {
		clearTimeout(timer);
		if (controller) {
			controller.abort();
		}
	}

	connect();
	return {
		close() {
			stopped = true;
			abort();
		},
		pause() {
			paused = true;
			abort();
			state('paused');
		},
		resume() {
			if (!paused) {
				return;
			}
			paused = false;
			connect();
		},
		/** Drops the connection as a network failure would; it comes back by itself. */
		interrupt() {
			if (controller) {
				controller.abort();
			}
			schedule(0);
		},
		lastId: () => lastId,
	};
}
