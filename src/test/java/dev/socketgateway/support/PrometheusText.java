package dev.socketgateway.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition, as a scraper sees them.
 */
public final class PrometheusText {

	private final List<Sample> samples;

	private PrometheusText(List<Sample> samples) {
		this.samples = samples;
	}

	/**
	 * Parses an exposition.
	 * @param text the scraped text
	 * @return the samples
	 */
	public static PrometheusText parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.lastIndexOf(' ');
			String name;
			Map<String, String> labels = new LinkedHashMap<>();
			if (brace >= 0 && brace < space) {
				name = line.substring(0, brace);
				String body = line.substring(brace + 1, line.lastIndexOf('}'));
				for (String pair : body.split(",(?=[a-zA-Z_]+=\")")) {
					if (!pair.isBlank()) {
						int eq = pair.indexOf('=');
						labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
					}
				}
			}
			else {
				name = line.substring(0, space);
			}
			samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
		}
		return new PrometheusText(samples);
	}

	/**
	 * Sums the samples of a name whose labels include the given ones.
	 * @param name the series name
	 * @param labels label pairs k1, v1, k2, v2...
	 * @return the sum, 0 when none match
	 */
	public double sum(String name, String... labels) {
		double sum = 0;
		for (Sample sample : this.samples) {
			if (sample.name().equals(name) && matches(sample, labels)) {
				sum += sample.value();
			}
		}
		return sum;
	}

	public List<Sample> samples() {
		return this.samples;
	}

	private static boolean matches(Sample sample, String... labels) {
		for (int i = 0; i < labels.length; i += 2) {
			if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * One sample.
	 *
	 * @param name series name
	 * @param labels its labels
	 * @param value its value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

}
