package dev.socketgateway.probe;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Durations of blackbox_exporter files, as Go's {@code time.ParseDuration} reads them.
 */
class ProbeModulesTests {

	@Test
	void goDurations() {
		assertThat(ProbeModules.goDuration("5s")).isEqualTo(Duration.ofSeconds(5));
		assertThat(ProbeModules.goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
		assertThat(ProbeModules.goDuration("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(ProbeModules.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
		assertThatIllegalArgumentException().isThrownBy(() -> ProbeModules.goDuration("5 s"));
		assertThatIllegalArgumentException().isThrownBy(() -> ProbeModules.goDuration("soon"));
	}

}
