// Probes: every probe with its last run, and one probe's success history as a small chart.

import { api } from './api.js';
import { el, showError } from './dom.js';

const table = document.querySelector('#probe-table tbody');
const detail = document.getElementById('probe-detail');

let selected = null;
let plot = null;
let poll = null;

function byName(name) {
	return encodeURIComponent(name);
}

function when(text) {
	return text ? new Date(text).toLocaleString([], { hour12: false }) : '—';
}

async function refresh() {
	try {
		const page = await api('GET', '/api/v1/probes?limit=200');
		const probes = page.probes || [];
		table.replaceChildren(...probes.map((probe) => {
			const run = probe.lastRun;
			const open = el('button', { type: 'button', class: 'link', onclick: () => select(probe.name) }, probe.name);
			return el('tr', { class: selected === probe.name ? 'selected' : '' },
				el('th', { scope: 'row' }, open),
				el('td', { class: 'mono' }, probe.interval || ''),
				el('td', {}, run ? when(run.at) : 'not run yet'),
				el('td', {}, run ? el('span', { class: `badge ${run.ok ? 'pass' : 'failed'}` }, run.ok ? '✓ ok' : '✗ failed') : ''),
				el('td', { class: 'mono' }, run ? `${run.durationMs} ms` : ''),
				el('td', {}, run && run.error ? `${run.error.code}${run.failedStep !== null && run.failedStep !== undefined ? ` (step ${run.failedStep})` : ''}: ${run.error.detail || ''}` : ''));
		}));
		if (probes.length === 0) {
			table.replaceChildren(el('tr', {}, el('td', { colspan: '6', class: 'none' },
				'No probes. Configure gateway.probes.<name> or POST /api/v1/probes.')));
		}
	}
	catch (error) {
		if (error.status === 404) {
			table.replaceChildren(el('tr', {}, el('td', { colspan: '6', class: 'none' }, 'This gateway has no probes API.')));
			return;
		}
		showError(error);
	}
}

async function select(name) {
	selected = name;
	clearInterval(poll);
	const chartBox = el('div', { class: 'chart', role: 'img', 'aria-label': `Success history of probe ${name}` });
	const runsBody = el('tbody');
	detail.replaceChildren(
		el('div', { class: 'cardhead' }, el('h2', {}, 'Probe ', el('span', { class: 'mono' }, name)),
			el('span', { class: 'meta', id: 'probe-summary' })),
		chartBox,
		el('div', { class: 'tablewrap short' }, el('table', { class: 'grid' },
			el('caption', { class: 'sr' }, `Recent runs of probe ${name}`),
			el('thead', {}, el('tr', {}, ...['#', 'At', 'Result', 'Duration', 'Error'].map((h) => el('th', { scope: 'col' }, h)))),
			runsBody)));
	detail.hidden = false;
	let runs = [];
	let after = 0;
	const load = async () => {
		try {
			const page = await api('GET', `/api/v1/probes/${byName(name)}/runs?after=${after}&max=1000`);
			if (selected !== name) {
				return;
			}
			runs = runs.concat(page.runs).slice(-1000);
			after = page.next ?? after;
			draw(chartBox, runs);
			runsBody.replaceChildren(...runs.slice(-20).reverse().map((run) => el('tr', {},
				el('td', { class: 'mono' }, String(run.seq)),
				el('td', {}, when(run.at)),
				el('td', {}, el('span', { class: `badge ${run.ok ? 'pass' : 'failed'}` }, run.ok ? '✓ ok' : '✗ failed')),
				el('td', { class: 'mono' }, `${run.durationMs} ms`),
				el('td', {}, run.error ? `${run.error.code}: ${run.error.detail || ''}` : ''))));
			const ok = runs.filter((run) => run.ok).length;
			document.getElementById('probe-summary').textContent = runs.length
				? `${ok} of ${runs.length} runs succeeded (${Math.round(100 * ok / runs.length)}%)` : 'no runs yet';
		}
		catch (error) {
			showError(error);
			clearInterval(poll);
		}
	};
	await load();
	poll = setInterval(() => {
		if (!document.getElementById('view-probes').hidden) {
			load();
			refresh();
		}
	}, 5000);
	refresh();
}

async function draw(box, runs) {
	let uPlot;
	try {
		uPlot = (await import('../../webjars/uplot/dist/uPlot.esm.js')).default;
	}
	catch (error) {
		box.textContent = 'The chart library could not be loaded.';
		return;
	}
	const xs = runs.map((run) => new Date(run.at).getTime() / 1000);
	const success = runs.map((run) => (run.ok ? 1 : 0));
	const durations = runs.map((run) => run.durationMs);
	const width = Math.max(280, Math.min(box.clientWidth || 600, 1100));
	if (plot) {
		plot.destroy();
	}
	plot = new uPlot({
		width,
		height: 180,
		scales: { x: { time: true }, ok: { range: [-0.1, 1.1] }, ms: { auto: true } },
		axes: [
			{},
			{ scale: 'ok', values: (u, values) => values.map((v) => (v === 1 ? 'ok' : v === 0 ? 'fail' : '')), splits: () => [0, 1], size: 44 },
			{ scale: 'ms', side: 1, values: (u, values) => values.map((v) => `${v} ms`), grid: { show: false }, size: 64 },
		],
		series: [
			{},
			{ label: 'success', scale: 'ok', stroke: '#15803d', width: 2, fill: 'rgba(21,128,61,0.08)', paths: uPlot.paths.stepped({ align: 1 }), points: { show: true, size: 5 } },
			{ label: 'duration', scale: 'ms', stroke: '#2563eb', width: 1, dash: [4, 3], points: { show: false } },
		],
	}, [xs, success, durations], box);
}

export function initProbes() {
	document.getElementById('probes-refresh').addEventListener('click', refresh);
	return { show: refresh };
}
