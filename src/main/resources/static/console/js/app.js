// The console's shell: tabs (with arrow keys), the URL hash, and the API key's state.

import { currentKey, forgetKey, onKeyChange } from './api.js';
import { initConversations } from './conversations.js';
import { fillFramings } from './dom.js';
import { initListeners } from './listeners.js';
import { initProbes } from './probes.js';
import { initSessions } from './sessions.js';

fillFramings();

const views = {
	sessions: initSessions(),
	listeners: initListeners(),
	conversations: initConversations(),
	probes: initProbes(),
};

const tabs = [...document.querySelectorAll('[role=tab]')];

function show(name, focus) {
	if (!views[name]) {
		name = 'sessions';
	}
	for (const tab of tabs) {
		const selected = tab.id === `tab-${name}`;
		tab.setAttribute('aria-selected', String(selected));
		tab.tabIndex = selected ? 0 : -1;
		document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
		if (selected && focus) {
			tab.focus();
		}
	}
	if (location.hash !== `#${name}`) {
		history.replaceState(null, '', `#${name}`);
	}
	views[name].show();
}

for (const tab of tabs) {
	tab.addEventListener('click', () => show(tab.id.slice(4)));
	tab.addEventListener('keydown', (event) => {
		const index = tabs.indexOf(tab);
		const move = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index }[event.key];
		if (move !== undefined) {
			event.preventDefault();
			show(tabs[(index + move + tabs.length) % tabs.length].id.slice(4), true);
		}
	});
}
window.addEventListener('hashchange', () => show(location.hash.slice(1)));

const keyState = document.getElementById('key-state');
const showKeyState = () => {
	keyState.hidden = !currentKey();
};
onKeyChange(showKeyState);
document.getElementById('forget-key').addEventListener('click', () => {
	forgetKey();
	location.reload();
});
showKeyState();

show(location.hash.slice(1) || 'sessions');
