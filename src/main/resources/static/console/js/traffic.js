// The traffic view: one row per message (time, Δt, direction, peer, size, text, hex),
// a text filter, and pause/resume that reconnects the stream from its cursor.

import { toHex, toText } from './bytes.js';
import { el } from './dom.js';

const MAX_ROWS = 5000;

function clock(date) {
	return date.toISOString().slice(11, 23);
}

function delta(ms) {
	if (ms === null) {
		return '';
	}
	if (ms < 1000) {
		return `+${ms} ms`;
	}
	if (ms < 60000) {
		return `+${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
	}
	return `+${Math.round(ms / 60000)} min`;
}

/**
 * Creates a traffic panel.
 * @param label what the table shows, for screen readers ("Traffic of session …")
 * @returns {element, add(message), setStream(handle), setState(state, detail), destroy()}
 */
export function trafficView(label) {
	let previous = null;
	let count = 0;
	let handle = null;
	let paused = false;

	const filter = el('input', { type: 'search', placeholder: 'Filter by text or hex', 'aria-label': 'Filter messages' });
	const pause = el('button', { type: 'button', class: 'pause', 'aria-pressed': 'false' }, 'Pause');
	const status = el('span', { class: 'streamstate', role: 'status', 'aria-live': 'polite' }, 'not connected');
	const counter = el('span', { class: 'counter' }, '0 messages');
	const clear = el('button', { type: 'button', class: 'ghost' }, 'Clear');
	const body = el('tbody');
	const table = el('table', { class: 'grid traffic' },
		el('caption', { class: 'sr' }, label),
		el('thead', {}, el('tr', {},
			el('th', { scope: 'col', class: 'c-time' }, 'Time (UTC)'),
			el('th', { scope: 'col', class: 'c-dt' }, 'Δt'),
			el('th', { scope: 'col', class: 'c-dir' }, 'Dir'),
			el('th', { scope: 'col', class: 'c-peer' }, 'Peer'),
			el('th', { scope: 'col', class: 'c-size' }, 'Bytes'),
			el('th', { scope: 'col', class: 'c-text' }, 'Text'),
			el('th', { scope: 'col', class: 'c-hex' }, 'Hex'))),
		body);
	const scroller = el('div', { class: 'tablewrap trafficwrap', tabindex: '0', 'aria-label': label }, table);
	const element = el('div', { class: 'traffic-panel' },
		el('div', { class: 'toolbar' }, filter, pause, clear, el('span', { class: 'spacer' }), counter, status),
		scroller);

	function matches(row) {
		const needle = filter.value.trim().toLowerCase();
		if (!needle) {
			return true;
		}
		return row.dataset.text.toLowerCase().includes(needle)
			|| row.dataset.hex.includes(needle.replace(/\s+/g, ''));
	}

	function refreshCounter() {
		const shown = body.querySelectorAll('tr:not([hidden])').length;
		counter.textContent = (shown === count) ? `${count} message${count === 1 ? '' : 's'}`
			: `${shown} of ${count} messages`;
	}

	const applyFilter = () => {
		for (const row of body.rows) {
			row.hidden = !matches(row);
		}
		refreshCounter();
	};
	for (const type of ['input', 'change', 'search']) {
		filter.addEventListener(type, applyFilter);
	}

	pause.addEventListener('click', () => {
		paused = !paused;
		pause.setAttribute('aria-pressed', String(paused));
		pause.textContent = paused ? 'Resume' : 'Pause';
		if (handle) {
			if (paused) {
				handle.pause();
			}
			else {
				handle.resume();
			}
		}
	});

	clear.addEventListener('click', () => {
		body.replaceChildren();
		count = 0;
		refreshCounter();
	});

	/**
	 * Adds a row.
	 * @param message {at: Date, direction: 'in'|'out', peer, bytes: Uint8Array, seq, note}
	 */
	function add(message) {
		const at = message.at;
		const dt = (previous === null) ? null : Math.max(0, at - previous);
		previous = at;
		const text = toText(message.bytes);
		const hex = toHex(message.bytes);
		const stick = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 8;
		const row = el('tr', { class: `dir-${message.direction}` },
			el('td', { class: 'c-time mono', 'data-label': 'Time' }, clock(at)),
			el('td', { class: 'c-dt mono', 'data-label': 'Δt' }, delta(dt)),
			el('td', { class: 'c-dir', 'data-label': 'Dir' },
				el('span', { class: `badge ${message.direction}`, title: message.direction === 'in' ? 'received' : 'sent' },
					message.direction === 'in' ? '↓ in' : '↑ out'),
				message.note ? el('span', { class: 'note' }, message.note) : null),
			el('td', { class: 'c-peer mono', 'data-label': 'Peer' }, message.peer || ''),
			el('td', { class: 'c-size mono', 'data-label': 'Bytes', title: `${message.bytes.length} bytes, framing not included` }, String(message.bytes.length)),
			el('td', { class: 'c-text mono', 'data-label': 'Text' }, text),
			el('td', { class: 'c-hex mono', 'data-label': 'Hex' }, hex));
		row.dataset.text = text;
		row.dataset.hex = hex.replace(/\s+/g, '');
		if (message.seq !== undefined && message.seq !== null) {
			row.dataset.seq = String(message.seq);
		}
		row.hidden = !matches(row);
		body.append(row);
		count++;
		while (body.rows.length > MAX_ROWS) {
			body.deleteRow(0);
			count--;
		}
		refreshCounter();
		if (stick) {
			scroller.scrollTop = scroller.scrollHeight;
		}
		return row;
	}

	/** Marks a sent row whose send the API refused. */
	function failed(row, error) {
		row.classList.add('failed');
		row.title = `not sent: ${error.code || ''} ${error.message || ''}`.trim();
		row.querySelector('.badge').textContent = '✗ not sent';
	}

	return {
		element,
		add,
		failed,
		setStream(next) {
			handle = next;
		},
		setState(value, detail) {
			status.textContent = detail ? `${value}: ${detail}` : value;
			status.dataset.state = value;
		},
		destroy() {
			if (handle) {
				handle.close();
			}
		},
	};
}
