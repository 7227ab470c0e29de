// A few DOM helpers: elements from code (text only, never HTML strings), notices, framings.

/** Creates an element; attributes as an object, children as nodes or strings. */
export function el(tag, attributes = {}, ...children) {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes || {})) {
		if (value === false || value === null || value === undefined) {
			continue;
		}
		if (name.startsWith('on') && typeof value === 'function') {
			element.addEventListener(name.slice(2), value);
		}
		else {
			element.setAttribute(name, (value === true) ? '' : String(value));
		}
	}
	for (const child of children.flat()) {
		if (child !== null && child !== undefined && child !== false) {
			element.append(child instanceof Node ? child : String(child));
		}
	}
	return element;
}

let noticeTimer = null;

/** Shows a short message at the top; errors stay until the next one. */
export function notice(text, kind = 'info') {
	const box = document.getElementById('notice');
	box.textContent = text;
	box.dataset.kind = kind;
	box.classList.add('shown');
	clearTimeout(noticeTimer);
	if (kind !== 'error') {
		noticeTimer = setTimeout(() => box.classList.remove('shown'), 4000);
	}
}

/** A refused call as a person reads it: the problem's code and detail. */
export function showError(error) {
	if (error && error.code) {
		notice(`${error.code}: ${error.message}`, 'error');
	}
	else {
		notice(`Request failed: ${error && error.message ? error.message : error}`, 'error');
	}
}

/** The framing presets of the API (DESIGN: Framing). */
export const FRAMINGS = ['crlf', 'lf', 'nul', 'stx-etx', 'length1', 'length2', 'length4', 'raw', 'resp', 'reply-code',
	'http', 'mqtt', 'postgres', 'modbus', 'syslog-octet', 'dns-tcp', 'kafka'];

/** Fills every framing select; the first option sends no framing (the default). */
export function fillFramings() {
	for (const select of document.querySelectorAll('select.framing-select')) {
		const fallback = select.dataset.default;
		select.append(el('option', { value: '' }, fallback ? `default (${fallback})` : 'default'));
		for (const framing of FRAMINGS) {
			select.append(el('option', { value: framing }, framing));
		}
	}
}

/** Reads "Named target / Host and port" fields into {target} or {host, port}. */
export function targetOf(form) {
	const via = form.querySelector('input[name=via]:checked').value;
	if (via === 'target') {
		return { target: form.elements.target.value.trim() };
	}
	const port = form.elements.port.value;
	return { host: form.elements.host.value.trim(), port: port === '' ? undefined : Number(port) };
}

/** Shows the fields of the chosen "connect to" option. */
export function wireVia(form) {
	const update = () => {
		const via = form.querySelector('input[name=via]:checked').value;
		form.querySelector('.via-target').hidden = via !== 'target';
		form.querySelector('.via-host').hidden = via !== 'host';
	};
	for (const radio of form.querySelectorAll('input[name=via]')) {
		radio.addEventListener('change', update);
	}
	update();
}

/** Formats an RFC 3339 time as local "HH:MM:SS". */
export function timeOf(text) {
	if (!text) {
		return '';
	}
	const date = new Date(text);
	return date.toLocaleTimeString([], { hour12: false });
}

/** A select of the payload encodings, utf8 first. */
export function encodingSelect(id) {
	return el('select', { id },
		el('option', { value: 'utf8' }, 'utf8'), el('option', { value: 'hex' }, 'hex'), el('option', { value: 'base64' }, 'base64'));
}

/** Enter in the text area submits its form; Shift+Enter starts a new line. */
export function submitOnEnter(textarea, form) {
	textarea.addEventListener('keydown', (event) => {
		if (event.key === 'Enter' && !event.shiftKey) {
			event.preventDefault();
			form.requestSubmit();
		}
	});
}

/** Marks the list's item for this id as the selected one. */
export function markSelected(list, id) {
	for (const button of list.querySelectorAll('button.item')) {
		button.classList.toggle('selected', button.dataset.id === id);
	}
}
