// Payloads as bytes: the streams are read in base64, shown as text and hex from the bytes.

export function fromBase64(text) {
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) {
		bytes[i] = binary.charCodeAt(i);
	}
	return bytes;
}

export function fromHex(text) {
	const clean = text.replace(/0x/gi, '').replace(/[\s:-]/g, '');
	const bytes = new Uint8Array(Math.floor(clean.length / 2));
	for (let i = 0; i < bytes.length; i++) {
		bytes[i] = parseInt(clean.substr(i * 2, 2), 16);
	}
	return bytes;
}

/** The bytes a payload in the API's encoding stands for (best effort: display only). */
export function decodePayload(payload, encoding) {
	if (encoding === 'base64') {
		return fromBase64(payload);
	}
	if (encoding === 'hex') {
		return fromHex(payload);
	}
	return new TextEncoder().encode(payload);
}

/** Lowercase hex pairs, a space between bytes and two after every eighth. */
export function toHex(bytes) {
	let out = '';
	for (let i = 0; i < bytes.length; i++) {
		if (i > 0) {
			out += (i % 8 === 0) ? '  ' : ' ';
		}
		out += bytes[i].toString(16).padStart(2, '0');
	}
	return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 text with control characters shown as their Unicode pictures (␍ ␊ ␀ …). */
export function toText(bytes) {
	return decoder.decode(bytes).replace(/[\u0000-\u001f\u007f]/g, (c) => {
		const code = c.charCodeAt(0);
		return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
	});
}
