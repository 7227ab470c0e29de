package dev.socketgateway.registry;

import org.junit.jupiter.api.Test;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Page cursors round-trip, and anything else is a 400 naming {@code cursor}.
 */
class CursorsTests {

	@Test
	void cursorRoundTripsAndNoCursorIsTheStart() {
		assertThat(Cursors.decode(Cursors.encode(42))).isEqualTo(42);
		assertThat(Cursors.decode(null)).isZero();
		assertThat(Cursors.decode("")).isZero();
	}

	@Test
	void foreignCursorIsAValidationFailure() {
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> Cursors.decode("not-ours"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED))
			.withMessageContaining("cursor");
	}

	@Test
	void clampAndStateFilter() {
		assertThat(Cursors.clamp(0, 100)).isEqualTo(1);
		assertThat(Cursors.clamp(500, 100)).isEqualTo(100);
		assertThat(Cursors.state("open")).isEqualTo("open");
		assertThat(Cursors.state(null)).isNull();
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> Cursors.state("half"));
	}

}
