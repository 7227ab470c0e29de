// Listeners: start one, watch what its clients send, answer a client, close a client.

import { api, openStream } from './api.js';
import { decodePayload } from './bytes.js';
import { el, encodingSelect, markSelected, notice, showError, submitOnEnter, timeOf } from './dom.js';
import { trafficView } from './traffic.js';

const form = document.getElementById('listener-start');
const list = document.getElementById('listener-list');
const detail = document.getElementById('listener-detail');

let current = null;

let refreshTimer = null;

/** The list's client counts follow new clients, at most once a second. */
function refreshSoon() {
	if (!refreshTimer) {
		refreshTimer = setTimeout(() => {
			refreshTimer = null;
			refresh();
		}, 1000);
	}
}

function byId(id) {
	return encodeURIComponent(id);
}

function updateForm() {
	const tcp = form.elements.protocol.value === 'tcp';
	for (const field of form.querySelectorAll('.tcp-only')) {
		field.hidden = !tcp;
	}
	form.querySelector('.rules-only').hidden = form.elements.mode.value !== 'rules';
	form.querySelector('.proxy-only').hidden = form.elements.mode.value !== 'proxy';
}

async function refresh() {
	try {
		const page = await api('GET', '/api/v1/listeners?limit=200');
		const listeners = page.listeners.slice().reverse();
		list.replaceChildren(...listeners.map((listener) => el('li', {},
			el('button', {
				type: 'button',
				class: `item${current && current.id === listener.id ? ' selected' : ''}`,
				'data-id': listener.id,
				onclick: () => select(listener.id),
			},
			el('span', { class: `state ${listener.state}` }, listener.state),
			el('span', { class: 'title mono' }, `${listener.protocol} ${listener.bindAddress}:${listener.port}`),
			el('span', { class: 'meta' }, `${listener.mode}${listener.framing ? ` · ${listener.framing}` : ''} · ${listener.clients} client${listener.clients === 1 ? '' : 's'} · ${timeOf(listener.openedAt)}`)))));
		if (listeners.length === 0) {
			list.replaceChildren(el('li', { class: 'none' }, 'No listeners yet.'));
		}
	}
	catch (error) {
		showError(error);
	}
}

form.addEventListener('submit', async (event) => {
	event.preventDefault();
	const f = form.elements;
	const body = { protocol: f.protocol.value, port: Number(f.port.value || 0), mode: f.mode.value };
	if (f.bindAddress.value.trim()) {
		body.bindAddress = f.bindAddress.value.trim();
	}
	if (body.protocol === 'tcp') {
		if (f.framing.value) {
			body.framing = f.framing.value;
		}
		if (f.greeting.value) {
			body.greeting = f.greeting.value;
		}
		if (f.tls.checked) {
			body.tls = true;
		}
	}
	if (body.mode === 'rules') {
		try {
			body.rules = JSON.parse(f.rules.value);
		}
		catch (error) {
			notice(`Rules are not valid JSON: ${error.message}`, 'error');
			f.rules.focus();
			return;
		}
	}
	if (body.mode === 'proxy') {
		const upstream = f.upstream.value.trim();
		const hostPort = upstream.match(/^(\[[^\]]+\]|[^:\s]+):(\d+)$/);
		body.upstream = hostPort ? { host: hostPort[1].replace(/^\[|\]$/g, ''), port: Number(hostPort[2]) } : { target: upstream };
	}
	try {
		const listener = await api('POST', '/api/v1/listeners', body);
		notice(`Listening on ${listener.bindAddress}:${listener.port} (${listener.protocol})`);
		await select(listener.id, listener);
		refresh();
	}
	catch (error) {
		showError(error);
	}
});

async function select(id, known) {
	if (current) {
		current.traffic.destroy();
	}
	let listener = known;
	try {
		listener = listener || await api('GET', `/api/v1/listeners/${byId(id)}`);
	}
	catch (error) {
		showError(error);
		return;
	}
	const where = `${listener.bindAddress}:${listener.port}`;
	const traffic = trafficView(`Traffic of listener ${where}`);
	current = { id, listener, traffic };
	markSelected(list, id);
	const tcp = listener.protocol === 'tcp';
	// Clients as the page has seen them: a TCP client appears once it sent something.
	const clients = new Map();

	const state = el('span', { class: `state ${listener.state}` }, listener.state);
	const stopButton = el('button', { type: 'button', class: 'danger' }, 'Stop listener');
	const clientList = el('ul', { class: 'clients', 'aria-label': 'Clients' }, el('li', { class: 'none' }, 'No client has sent anything yet.'));
	const to = el('select', { id: 'listener-to', required: true });
	const payload = el('textarea', { id: 'listener-payload', rows: '2', class: 'mono', spellcheck: 'false', placeholder: 'reply' });
	const encoding = encodingSelect('listener-encoding');
	const closeAfter = el('input', { type: 'checkbox', id: 'listener-close-after' });
	const send = el('button', { type: 'submit', class: 'primary', disabled: true }, 'Send');
	const replyForm = el('form', { class: 'sendbox', 'aria-label': 'Reply to a client' },
		el('div', { class: 'message' }, el('label', { for: 'listener-payload' }, 'Reply ', el('span', { class: 'hint' }, '(Enter sends, Shift+Enter for a new line)')), payload),
		el('div', {}, el('label', { for: 'listener-to' }, 'To client'), to),
		el('div', {}, el('label', { for: 'listener-encoding' }, 'Encoding'), encoding),
		tcp ? el('div', {}, el('span', { class: 'label' }, 'Framing'), el('span', { class: 'chip mono' }, listener.framing || 'crlf')) : null,
		tcp ? el('label', { class: 'check' }, closeAfter, ' Close after') : null,
		el('div', { class: 'end' }, send));

	function addClient(key, from) {
		if (clients.has(key)) {
			return;
		}
		clients.set(key, from);
		if (clients.size === 1) {
			clientList.replaceChildren();
		}
		const option = el('option', { value: key, title: key }, from);
		to.append(option);
		if (clients.size === 1) {
			to.value = key;
		}
		send.disabled = false;
		const closeButton = tcp ? el('button', { type: 'button', class: 'ghost small', 'aria-label': `Disconnect ${from}` }, 'Disconnect') : null;
		const item = el('li', { title: tcp ? `connection ${key}` : from }, el('span', { class: 'mono' }, from), closeButton);
		if (closeButton) {
			closeButton.addEventListener('click', async () => {
				try {
					await api('DELETE', `/api/v1/listeners/${byId(id)}/clients/${encodeURIComponent(key)}`);
					item.classList.add('gone');
					closeButton.disabled = true;
					notice(`Disconnected ${from}`);
				}
				catch (error) {
					showError(error);
				}
			});
		}
		clientList.append(item);
	}

	detail.replaceChildren(el('div', { class: 'card' },
		el('div', { class: 'cardhead' },
			el('h2', {}, 'Listener ', el('span', { class: 'mono' }, `${listener.protocol} ${where}`), ' ', state),
			stopButton),
		el('p', { class: 'meta' }, `mode ${listener.mode}${tcp ? ` · framing ${listener.framing}` : ''} · try: `,
			el('code', {}, tcp ? `nc ${listener.bindAddress} ${listener.port}` : `nc -u ${listener.bindAddress} ${listener.port}`)),
		el('h3', {}, 'Clients'),
		clientList,
		traffic.element,
		replyForm));

	const handle = openStream(`/api/v1/listeners/${byId(id)}/messages/stream?encoding=base64`, {
		onEvent(event) {
			if (event.event === 'message') {
				const message = JSON.parse(event.data);
				const key = message.connectionId || message.from;
				if (!clients.has(key)) {
					refreshSoon();
				}
				addClient(key, message.from);
				traffic.add({
					at: new Date(message.at),
					direction: 'in',
					peer: message.from,
					bytes: decodePayload(message.payload, message.encoding),
					seq: message.seq,
					note: (message.rule !== undefined && message.rule !== null) ? `rule ${message.rule}` : null,
				});
			}
			else if (event.event === 'closed') {
				state.textContent = 'closed';
				state.className = 'state closed';
				send.disabled = true;
				stopButton.disabled = true;
				refresh();
			}
		},
		onState: (value, detailText) => traffic.setState(value, detailText),
	}, 0);
	traffic.setStream(handle);

	replyForm.addEventListener('submit', async (event) => {
		event.preventDefault();
		const text = payload.value;
		const body = { to: to.value, payload: text, encoding: encoding.value };
		if (tcp && closeAfter.checked) {
			body.close = true;
		}
		// the row goes in before the call: the client's answer can arrive before the call returns
		let row;
		try {
			row = traffic.add({ at: new Date(), direction: 'out', peer: clients.get(to.value) || to.value, bytes: decodePayload(text, encoding.value) });
		}
		catch (error) {
			notice(`Not valid ${encoding.value}: ${error.message}`, 'error');
			return;
		}
		try {
			await api('POST', `/api/v1/listeners/${byId(id)}/messages`, body);
			payload.value = '';
			payload.focus();
		}
		catch (error) {
			traffic.failed(row, error);
			showError(error);
		}
	});
	submitOnEnter(payload, replyForm);

	stopButton.addEventListener('click', async () => {
		try {
			await api('DELETE', `/api/v1/listeners/${byId(id)}`);
			notice(`Listener ${where} stopped`);
			refresh();
		}
		catch (error) {
			showError(error);
		}
	});
}

export function initListeners() {
	form.elements.protocol.addEventListener('change', updateForm);
	form.elements.mode.addEventListener('change', updateForm);
	updateForm();
	document.getElementById('listeners-refresh').addEventListener('click', refresh);
	return { show: refresh };
}
