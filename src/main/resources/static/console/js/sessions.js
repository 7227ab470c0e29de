// Sessions: open one, watch what it receives, send to it, close it.

import { api, openStream } from './api.js';
import { decodePayload } from './bytes.js';
import { el, encodingSelect, markSelected, notice, showError, submitOnEnter, targetOf, timeOf, wireVia } from './dom.js';
import { trafficView } from './traffic.js';

const form = document.getElementById('session-open');
const list = document.getElementById('session-list');
const detail = document.getElementById('session-detail');

let current = null;

function byId(id) {
	return encodeURIComponent(id);
}

async function refresh() {
	try {
		const page = await api('GET', '/api/v1/tcp/connections?limit=200');
		const sessions = page.connections.slice().reverse();
		list.replaceChildren(...sessions.map((session) => el('li', {},
			el('button', {
				type: 'button',
				class: `item${current && current.id === session.id ? ' selected' : ''}`,
				'aria-current': current && current.id === session.id ? 'true' : false,
				'data-id': session.id,
				onclick: () => select(session.id),
			},
			el('span', { class: `state ${session.state}` }, session.state),
			el('span', { class: 'title mono' }, session.remote),
			el('span', { class: 'meta' }, `${session.framing} · ↑${session.messagesSent} ↓${session.messagesReceived} · ${timeOf(session.openedAt)}`)))));
		if (sessions.length === 0) {
			list.replaceChildren(el('li', { class: 'none' }, 'No sessions yet.'));
		}
	}
	catch (error) {
		showError(error);
	}
}

form.addEventListener('submit', async (event) => {
	event.preventDefault();
	const body = { ...targetOf(form) };
	if (form.elements.framing.value) {
		body.framing = form.elements.framing.value;
	}
	if (form.elements.tls.checked) {
		body.tls = true;
	}
	try {
		const session = await api('POST', '/api/v1/tcp/connections', body);
		notice(`Session open to ${session.remote}`);
		await select(session.id, session);
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
	let session = known;
	try {
		session = session || await api('GET', `/api/v1/tcp/connections/${byId(id)}`);
	}
	catch (error) {
		showError(error);
		return;
	}
	const traffic = trafficView(`Traffic of session ${session.remote}`);
	current = { id, session, traffic };
	markSelected(list, id);

	const state = el('span', { class: `state ${session.state}` }, session.state);
	const stats = el('span', { class: 'meta' });
	const closeButton = el('button', { type: 'button', class: 'danger' }, 'Close session');
	const payload = el('textarea', { id: 'session-payload', rows: '2', class: 'mono', spellcheck: 'false', placeholder: 'hello' });
	const encoding = encodingSelect('session-encoding');
	const send = el('button', { type: 'submit', class: 'primary' }, 'Send');
	const sendForm = el('form', { class: 'sendbox', 'aria-label': 'Send a message' },
		el('div', { class: 'message' }, el('label', { for: 'session-payload' }, 'Message ', el('span', { class: 'hint' }, '(Enter sends, Shift+Enter for a new line)')), payload),
		el('div', {}, el('label', { for: 'session-encoding' }, 'Encoding'), encoding),
		el('div', {}, el('span', { class: 'label' }, 'Framing'),
			el('span', { class: 'chip mono', title: 'set when the session was opened; added on send' }, session.framing)),
		el('div', { class: 'end' }, send));

	function showStats(s) {
		state.textContent = s.state;
		state.className = `state ${s.state}`;
		stats.textContent = `${s.local || ''} → ${s.remote} · sent ${s.messagesSent} msg / ${s.bytesSent} B · received ${s.messagesReceived} msg / ${s.bytesReceived} B`
			+ (s.closedReason ? ` · closed: ${s.closedReason}` : '');
		const open = s.state === 'open';
		send.disabled = !open;
		closeButton.disabled = !open;
	}

	detail.replaceChildren(el('div', { class: 'card' },
		el('div', { class: 'cardhead' },
			el('h2', {}, 'Session ', el('span', { class: 'mono' }, session.remote), ' ', state),
			closeButton),
		stats,
		traffic.element,
		sendForm));
	showStats(session);

	const refreshStats = async () => {
		try {
			const fresh = await api('GET', `/api/v1/tcp/connections/${byId(id)}`);
			if (current && current.id === id) {
				showStats(fresh);
				const meta = list.querySelector(`button.item[data-id="${CSS.escape(id)}"] .meta`);
				if (meta) {
					meta.textContent = `${fresh.framing} · ↑${fresh.messagesSent} ↓${fresh.messagesReceived} · ${timeOf(fresh.openedAt)}`;
				}
			}
		}
		catch (error) {
			// a session past its retention is gone: the list says so on refresh
		}
	};

	const handle = openStream(`/api/v1/tcp/connections/${byId(id)}/messages/stream?encoding=base64`, {
		onEvent(event) {
			if (event.event === 'message') {
				const message = JSON.parse(event.data);
				traffic.add({
					at: new Date(message.at),
					direction: 'in',
					peer: session.remote,
					bytes: decodePayload(message.payload, message.encoding),
					seq: message.seq,
				});
				refreshStats();
			}
			else if (event.event === 'closed') {
				refreshStats();
				refresh();
			}
		},
		onState: (value, detailText) => traffic.setState(value, detailText),
	}, 0);
	traffic.setStream(handle);

	sendForm.addEventListener('submit', async (event) => {
		event.preventDefault();
		const text = payload.value;
		// the row goes in before the call: the peer's answer can arrive before the call returns
		let row;
		try {
			row = traffic.add({ at: new Date(), direction: 'out', peer: session.remote, bytes: decodePayload(text, encoding.value) });
		}
		catch (error) {
			notice(`Not valid ${encoding.value}: ${error.message}`, 'error');
			return;
		}
		try {
			const sent = await api('POST', `/api/v1/tcp/connections/${byId(id)}/messages`,
				{ payload: text, encoding: encoding.value });
			row.dataset.seq = String(sent.seq);
			payload.value = '';
			payload.focus();
			refreshStats();
		}
		catch (error) {
			traffic.failed(row, error);
			showError(error);
		}
	});
	submitOnEnter(payload, sendForm);

	closeButton.addEventListener('click', async () => {
		try {
			await api('DELETE', `/api/v1/tcp/connections/${byId(id)}`);
			notice('Session closed');
			refreshStats();
			refresh();
		}
		catch (error) {
			showError(error);
		}
	});
}

export function initSessions() {
	wireVia(form);
	document.getElementById('sessions-refresh').addEventListener('click', refresh);
	return { show: refresh };
}
