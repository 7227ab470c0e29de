package dev.socketgateway.listener.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Payloads;

/**
 * What a proxy listener saw: each client frame and the upstream frames that followed it
 * on the same connection, turned into rules that replay the upstream.
 */
public final class Recording {

	private final int maxExchanges;

	private final long maxBytes;

	private long bytes;

	private final List<Exchange> exchanges = new ArrayList<>();

	private final Map<String, Exchange> current = new HashMap<>();

	private final Map<String, List<byte[]>> greetings = new LinkedHashMap<>();

	private boolean truncated;

	/**
	 * Creates an empty recording.
	 * @param maxExchanges most client frames kept; later ones are not recorded
	 * @param maxBytes most payload bytes kept, both directions together; frames past it
	 * are not recorded (an upstream that streams must not fill the heap)
	 */
	public Recording(int maxExchanges, long maxBytes) {
		this.maxExchanges = maxExchanges;
		this.maxBytes = maxBytes;
	}

	private boolean fits(byte[] frame) {
		if (this.bytes + frame.length > this.maxBytes) {
			this.truncated = true;
			return false;
		}
		this.bytes += frame.length;
		return true;
	}

	/**
	 * Records a frame a client sent.
	 * @param connection the client's connection id (or UDP sender)
	 * @param frame the payload
	 */
	public synchronized void client(String connection, byte[] frame) {
		if (this.exchanges.size() >= this.maxExchanges || !fits(frame)) {
			this.truncated = true;
			this.current.remove(connection);
			return;
		}
		Exchange exchange = new Exchange(frame.clone(), new ArrayList<>());
		this.exchanges.add(exchange);
		this.current.put(connection, exchange);
	}

	/**
	 * Records a frame the upstream sent to a client.
	 * @param connection the client's connection id (or UDP sender)
	 * @param frame the payload
	 */
	public synchronized void upstream(String connection, byte[] frame) {
		Exchange exchange = this.current.get(connection);
		if (exchange != null) {
			if (fits(frame)) {
				exchange.replies().add(frame.clone());
			}
		}
		else if (this.exchanges.isEmpty() && !this.truncated && fits(frame)) {
			this.greetings.computeIfAbsent(connection, (key) -> new ArrayList<>()).add(frame.clone());
		}
	}

	/**
	 * Forgets a closed connection's position.
	 * @param connection the connection id
	 */
	public synchronized void closed(String connection) {
		this.current.remove(connection);
	}

	/**
	 * Whether client frames were left out because the recording was full.
	 * @return true when truncated
	 */
	public synchronized boolean truncated() {
		return this.truncated;
	}

	/**
	 * The upstream's first frame before any client frame, as text, when there was exactly
	 * one and it is valid UTF-8 (a listener's {@code greeting}).
	 * @return the greeting or {@code null}
	 */
	public synchronized @Nullable String greeting() {
		for (List<byte[]> frames : this.greetings.values()) {
			if (frames.size() == 1) {
				EncodedPayload text = Payloads.encode(frames.get(0), Encoding.UTF8);
				return (text.encoding() == Encoding.UTF8) ? text.payload() : null;
			}
			return null;
		}
		return null;
	}

	/**
	 * Rules that replay the upstream: one {@code equals} (or {@code hex}) match per
	 * distinct client frame that got an answer, in order of first appearance. When the
	 * same frame got different answers over time, each answer but the last is played
	 * {@code times} as often as it was seen, so a replay gives the same sequence and then
	 * repeats the last answer.
	 * @return the rules
	 */
	public synchronized List<RuleSpec> rules() {
		Map<Key, List<Run>> byRequest = new LinkedHashMap<>();
		for (Exchange exchange : this.exchanges) {
			if (exchange.replies().isEmpty()) {
				continue;
			}
			List<Run> runs = byRequest.computeIfAbsent(new Key(exchange.request()), (key) -> new ArrayList<>());
			Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
			if (last != null && sameFrames(last.replies(), exchange.replies())) {
				runs.set(runs.size() - 1, new Run(last.replies(), last.count() + 1));
			}
			else {
				runs.add(new Run(exchange.replies(), 1));
			}
		}
		List<RuleSpec> rules = new ArrayList<>();
		for (Map.Entry<Key, List<Run>> entry : byRequest.entrySet()) {
			MatchSpec match = match(entry.getKey().bytes());
			List<Run> runs = entry.getValue();
			for (int i = 0; i < runs.size(); i++) {
				Run run = runs.get(i);
				boolean last = i == runs.size() - 1;
				rules.add(new RuleSpec(match, run.replies().stream().map(Recording::respond).toList(), null,
						last ? null : run.count()));
			}
		}
		return rules;
	}

	private static boolean sameFrames(List<byte[]> a, List<byte[]> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!Arrays.equals(a.get(i), b.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static MatchSpec match(byte[] request) {
		EncodedPayload text = Payloads.encode(request, Encoding.UTF8);
		return (text.encoding() == Encoding.UTF8) ? MatchSpec.equalsText(text.payload())
				: MatchSpec.equalsHex(Payloads.encode(request, Encoding.HEX).payload());
	}

	private static RespondFrame respond(byte[] reply) {
		EncodedPayload text = Payloads.encode(reply, Encoding.UTF8);
		if (text.encoding() == Encoding.UTF8) {
			// Answers are templates: a literal ${ must not become a placeholder.
			return RespondFrame.of(Template.escape(text.payload()), Encoding.UTF8);
		}
		return RespondFrame.of(Payloads.encode(reply, Encoding.HEX).payload(), Encoding.HEX);
	}

	private record Exchange(byte[] request, List<byte[]> replies) {

	}

	private record Run(List<byte[]> replies, int count) {

	}

	private record Key(byte[] bytes) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && Arrays.equals(this.bytes, key.bytes);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.bytes);
		}

		@Override
		public String toString() {
			return Payloads.encode(this.bytes, Encoding.HEX).payload();
		}

	}

}
