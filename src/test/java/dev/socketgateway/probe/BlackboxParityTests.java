package dev.socketgateway.probe;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.LoopbackGateway;
import dev.socketgateway.support.PrometheusText;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same blackbox_exporter module file run by the real
 * {@code prometheus-blackbox-exporter} and by the gateway's {@code /probe}, against the
 * same real servers (aiosmtpd, redis-server), gives the same {@code probe_success}, up
 * and down.
 */
class BlackboxParityTests extends LoopbackGateway {

	static final Path MODULES = Path.of("src/test/resources/probe/blackbox.yml");

	static ServerProcess blackbox;

	static ServerProcess smtp;

	static ServerProcess redis;

	@BeforeAll
	static void servers() {
		int port = ServerProcess.freePort();
		blackbox = ServerProcess.start(port, List.of(RequiredBinary.find("prometheus-blackbox-exporter").toString(),
				"--config.file=" + MODULES.toAbsolutePath(), "--web.listen-address=127.0.0.1:" + port));
		int smtpPort = ServerProcess.freePort();
		smtp = ServerProcess.start(smtpPort,
				List.of(ServerProcess.python().toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + smtpPort));
		int redisPort = ServerProcess.freePort();
		redis = ServerProcess.start(redisPort, List.of(RequiredBinary.find("redis-server").toString(), "--port",
				Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
	}

	@AfterAll
	static void stop() {
		blackbox.close();
		smtp.close();
		if (redis != null) {
			redis.close();
		}
	}

	private double gateway(String module, String target) {
		Response response = new Http(this.managementPort).get("/probe?module=" + module + "&target=" + target);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		return PrometheusText.parse(response.text()).sum("probe_success");
	}

	private double exporter(String module, String target) {
		Response response = new Http(blackbox.port()).get("/probe?module=" + module + "&target=" + target);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		return PrometheusText.parse(response.text()).sum("probe_success");
	}

	private void same(String module, String target, double expected) {
		assertThat(exporter(module, target)).as("blackbox_exporter %s %s", module, target).isEqualTo(expected);
		assertThat(gateway(module, target)).as("gateway %s %s", module, target).isEqualTo(expected);
	}

	@Test
	void upAndDownAlike() {
		String smtpTarget = "127.0.0.1:" + smtp.port();
		String redisTarget = "127.0.0.1:" + redis.port();
		same("smtp_banner", smtpTarget, 1);
		same("smtp_wrong", smtpTarget, 0);
		same("redis_ping", redisTarget, 1);
		same("redis_echo_capture", redisTarget, 1);
		// an SMTP module against redis: its first line never matches
		same("smtp_banner", redisTarget, 0);
		redis.close();
		redis = null;
		same("redis_ping", redisTarget, 0);
	}

}
