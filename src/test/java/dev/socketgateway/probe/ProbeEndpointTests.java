package dev.socketgateway.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.LoopbackGateway;
import dev.socketgateway.support.PrometheusText;
import dev.socketgateway.support.ServerProcess;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /probe} on the management port against a real aiosmtpd: the exposition, the
 * scrape timeout header, and problem details for an unknown module or a refused target.
 */
class ProbeEndpointTests extends LoopbackGateway {

	static ServerProcess smtp;

	static TcpPeer silent;

	@BeforeAll
	static void servers() throws IOException {
		int port = ServerProcess.freePort();
		smtp = ServerProcess.start(port,
				List.of(ServerProcess.python().toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port));
		silent = TcpPeer.start((socket, in, out) -> in.transferTo(OutputStream.nullOutputStream()));
	}

	@AfterAll
	static void stop() throws IOException {
		smtp.close();
		silent.close();
	}

	private Response probe(String query) {
		return new Http(this.managementPort).get("/probe?" + query);
	}

	@Test
	void aModuleFromPropertiesSucceedsAgainstARealSmtpServer() {
		Response response = probe("module=banner&target=127.0.0.1:" + smtp.port());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("text/plain");
		PrometheusText text = PrometheusText.parse(response.text());
		assertThat(text.sum("probe_success")).as(response.text()).isEqualTo(1);
		assertThat(text.sum("probe_failed_due_to_regex")).isZero();
		assertThat(text.sum("probe_duration_seconds")).isBetween(0.0, 3.0);
		assertThat(text.samples().stream().filter((s) -> s.name().equals("probe_step_duration_seconds")))
			.extracting((s) -> s.labels().get("step"))
			.containsExactly("0", "1", "2");
	}

	@Test
	void aBlackboxModuleFromTheFileRunsUnchanged() {
		PrometheusText text = PrometheusText.parse(probe("module=smtp_banner&target=127.0.0.1:" + smtp.port()).text());
		assertThat(text.sum("probe_success")).isEqualTo(1);
		PrometheusText wrong = PrometheusText.parse(probe("module=smtp_wrong&target=127.0.0.1:" + smtp.port()).text());
		assertThat(wrong.sum("probe_success")).isZero();
		assertThat(wrong.sum("probe_failed_due_to_regex")).isEqualTo(1);
	}

	@Test
	void theScrapeTimeoutLessHalfASecondBoundsTheProbe() {
		// the module's timeout is 3s; Prometheus allows 1.5s, so the probe gives up after
		// 1s
		HttpRequest request = HttpRequest.newBuilder(URI.create(
				"http://127.0.0.1:" + this.managementPort + "/probe?module=banner&target=127.0.0.1:" + silent.port()))
			.header("X-Prometheus-Scrape-Timeout-Seconds", "1.5")
			.build();
		String body;
		try {
			body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		PrometheusText text = PrometheusText.parse(body);
		assertThat(text.sum("probe_success")).isZero();
		assertThat(text.sum("probe_failed_due_to_regex")).isEqualTo(1);
		assertThat(text.sum("probe_duration_seconds")).isBetween(0.9, 1.4);
	}

	@Test
	void withoutTheHeaderTheModulesTimeoutApplies() {
		assertThat(ProbeEndpoint.timeoutMs(Duration.ofSeconds(3), null)).isEqualTo(3000);
		assertThat(ProbeEndpoint.timeoutMs(Duration.ofSeconds(3), "10")).isEqualTo(3000);
		assertThat(ProbeEndpoint.timeoutMs(Duration.ofSeconds(10), "4")).isEqualTo(3500);
	}

	@Test
	void anUnknownModuleIs400() {
		Response response = probe("module=nope&target=127.0.0.1:" + smtp.port());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.json().get("detail").asString()).startsWith("module:");
		assertThat(probe("module=http_2xx&target=127.0.0.1:" + smtp.port()).json().get("detail").asString())
			.contains("http module");
	}

	@Test
	void aRefusedTargetIs403() {
		Response response = probe("module=banner&target=127.0.0.2:" + smtp.port());
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("TARGET_FORBIDDEN");
	}

	@Test
	void theApiPortDoesNotServeProbe() {
		assertThat(this.http.get("/probe?module=banner&target=127.0.0.1:" + smtp.port()).status()).isEqualTo(404);
	}

}
