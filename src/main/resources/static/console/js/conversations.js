// Conversations: edit steps as a list or as JSON, run them, show each step's outcome.

import { api } from './api.js';
import { el, notice, showError, targetOf, wireVia } from './dom.js';

const form = document.getElementById('conversation-form');
const stepList = document.getElementById('step-list');
const listActions = document.getElementById('step-list-actions');
const jsonBox = document.getElementById('steps-json-box');
const json = document.getElementById('steps-json');
const asList = document.getElementById('steps-as-list');
const asJson = document.getElementById('steps-as-json');
const result = document.getElementById('conv-result');

const ACTIONS = {
	send: 'send',
	expect: 'expect (regex)',
	expectClose: 'expect close',
	sleepMs: 'sleep (ms)',
	starttls: 'start TLS',
};

let steps = [
	{ name: 'greet', send: 'hello console' },
	{ name: 'echoed', expect: '^hello console$' },
];
let editingJson = false;
let counter = 0;

function actionOf(step) {
	return Object.keys(ACTIONS).find((action) => action in step) || 'send';
}

function renderList() {
	stepList.replaceChildren(...steps.map((step, index) => {
		const n = ++counter;
		const action = actionOf(step);
		const select = el('select', { id: `step-action-${n}`, class: 'step-action' },
			...Object.entries(ACTIONS).map(([value, label]) => el('option', { value, selected: value === action }, label)));
		const valueInput = el('input', {
			id: `step-value-${n}`,
			class: 'mono step-value',
			value: (action === 'expectClose' || action === 'starttls') ? '' : (typeof step[action] === 'object' ? JSON.stringify(step[action]) : String(step[action] ?? '')),
			disabled: action === 'expectClose' || action === 'starttls',
			placeholder: action === 'sleepMs' ? '500' : '',
		});
		const nameInput = el('input', { id: `step-name-${n}`, class: 'step-name', value: step.name || '', placeholder: `step ${index}` });
		const update = () => {
			const next = { ...(nameInput.value.trim() ? { name: nameInput.value.trim() } : {}) };
			const chosen = select.value;
			valueInput.disabled = chosen === 'expectClose' || chosen === 'starttls';
			if (chosen === 'expectClose' || chosen === 'starttls') {
				next[chosen] = true;
			}
			else if (chosen === 'sleepMs') {
				next.sleepMs = Number(valueInput.value || 0);
			}
			else {
				next[chosen] = valueInput.value;
			}
			// keep what the list does not edit (encoding, reject, capture, timeoutMs)
			for (const key of ['encoding', 'reject', 'capture', 'timeoutMs']) {
				if (key in steps[index] && (chosen === 'send' || chosen === 'expect')) {
					next[key] = steps[index][key];
				}
			}
			steps[index] = next;
		};
		select.addEventListener('change', () => {
			update();
			renderList();
		});
		valueInput.addEventListener('input', update);
		nameInput.addEventListener('input', update);
		const remove = el('button', { type: 'button', class: 'ghost small', 'aria-label': `Remove step ${index}` }, '✕');
		remove.addEventListener('click', () => {
			steps.splice(index, 1);
			renderList();
		});
		const up = el('button', { type: 'button', class: 'ghost small', 'aria-label': `Move step ${index} up`, disabled: index === 0 }, '↑');
		up.addEventListener('click', () => {
			[steps[index - 1], steps[index]] = [steps[index], steps[index - 1]];
			renderList();
		});
		return el('li', { class: 'step' },
			el('span', { class: 'stepno' }, String(index)),
			el('div', {}, el('label', { for: `step-action-${n}` }, 'Action'), select),
			el('div', { class: 'grow' }, el('label', { for: `step-value-${n}` }, action === 'sleepMs' ? 'Milliseconds' : 'Value'), valueInput),
			el('div', {}, el('label', { for: `step-name-${n}` }, 'Name'), nameInput),
			el('div', { class: 'end' }, up, remove));
	}));
}

function showMode(jsonMode) {
	if (jsonMode === editingJson) {
		return true;
	}
	if (jsonMode) {
		json.value = JSON.stringify(steps, null, 2);
	}
	else {
		try {
			const parsed = JSON.parse(json.value);
			if (!Array.isArray(parsed)) {
				throw new Error('the steps must be a JSON array');
			}
			steps = parsed;
		}
		catch (error) {
			notice(`Steps are not valid JSON: ${error.message}`, 'error');
			return false;
		}
		renderList();
	}
	editingJson = jsonMode;
	stepList.hidden = jsonMode;
	listActions.hidden = jsonMode;
	jsonBox.hidden = !jsonMode;
	asList.setAttribute('aria-pressed', String(!jsonMode));
	asJson.setAttribute('aria-pressed', String(jsonMode));
	return true;
}

function currentSteps() {
	if (editingJson) {
		const parsed = JSON.parse(json.value);
		if (!Array.isArray(parsed)) {
			throw new Error('the steps must be a JSON array');
		}
		return parsed;
	}
	return steps;
}

function requestBody() {
	const f = form.elements;
	const body = { protocol: f.protocol.value, ...targetOf(form) };
	if (f.framing.value) {
		body.framing = f.framing.value;
	}
	if (f.tls.checked) {
		body.tls = true;
	}
	if (f.timeoutMs.value) {
		body.timeoutMs = Number(f.timeoutMs.value);
	}
	if (f.vars.value.trim()) {
		body.vars = JSON.parse(f.vars.value);
	}
	body.steps = currentSteps();
	return body;
}

function payloadText(step) {
	if (step.payload) {
		return step.payload.payload;
	}
	if (step.bytesSent !== undefined && step.bytesSent !== null) {
		return `${step.bytesSent} bytes sent`;
	}
	return '';
}

function render(outcome, sent) {
	const error = outcome.error;
	const rows = (outcome.steps || []).map((step) => el('tr', { class: step.ok ? 'ok' : 'fail' },
		el('td', { class: 'mono' }, String(step.index)),
		el('td', {}, step.name || ''),
		el('td', { class: 'mono' }, step.action || ''),
		el('td', {}, el('span', { class: `badge ${step.ok ? 'pass' : 'failed'}` }, step.ok ? '✓ ok' : '✗ failed')),
		el('td', { class: 'mono' }, `${step.durationMs ?? ''} ms`),
		el('td', { class: 'mono wrap' }, payloadText(step)),
		el('td', { class: 'mono' }, step.skipped ? String(step.skipped) : ''),
		el('td', { class: 'mono wrap' }, step.captures && Object.keys(step.captures).length ? JSON.stringify(step.captures) : '')));
	const summary = outcome.ok ? `All ${sent} steps passed` : (outcome.failedStep === null || outcome.failedStep === undefined)
		? 'Could not start' : `Step ${outcome.failedStep} failed`;
	result.replaceChildren(
		el('div', { class: 'cardhead' },
			el('h2', {}, 'Outcome ', el('span', { class: `badge ${outcome.ok ? 'pass' : 'failed'}`, id: 'conv-outcome' }, outcome.ok ? 'ok' : 'failed')),
			el('span', { class: 'meta' }, `${outcome.remote || ''} · ${outcome.durationMs ?? '?'} ms · sent ${outcome.bytesSent ?? 0} B · received ${outcome.bytesReceived ?? 0} B`)),
		el('p', { class: outcome.ok ? 'good' : 'bad' }, summary, error ? `: ${error.code} — ${error.detail}` : ''),
		el('div', { class: 'tablewrap' }, el('table', { class: 'grid', id: 'conv-steps' },
			el('caption', { class: 'sr' }, 'Outcome of each step'),
			el('thead', {}, el('tr', {}, ...['#', 'Name', 'Action', 'Result', 'Time', 'Payload', 'Skipped', 'Captures'].map((h) => el('th', { scope: 'col' }, h)))),
			el('tbody', {}, ...rows))),
		outcome.vars && Object.keys(outcome.vars).length ? el('p', { class: 'meta mono' }, `vars: ${JSON.stringify(outcome.vars)}`) : '');
	result.hidden = false;
}

async function run() {
	let body;
	try {
		body = requestBody();
	}
	catch (error) {
		notice(`Not valid JSON: ${error.message}`, 'error');
		return;
	}
	const button = document.getElementById('conv-run');
	button.disabled = true;
	button.textContent = 'Running…';
	try {
		render(await api('POST', '/api/v1/conversations', body), body.steps.length);
	}
	catch (error) {
		showError(error);
	}
	finally {
		button.disabled = false;
		button.textContent = 'Run conversation';
	}
}

export function initConversations() {
	wireVia(form);
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		run();
	});
	renderList();
	asList.addEventListener('click', () => showMode(false));
	asJson.addEventListener('click', () => showMode(true));
	document.getElementById('step-add').addEventListener('click', () => {
		steps.push({ expect: '' });
		renderList();
		const inputs = stepList.querySelectorAll('.step-value');
		inputs[inputs.length - 1].focus();
	});
	document.getElementById('conv-run').addEventListener('click', run);
	return { show() {} };
}
