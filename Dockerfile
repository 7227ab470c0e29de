# syntax=docker/dockerfile:1.7
#
# socket-gateway container image: build with the Maven wrapper on a JDK, extract the
# Spring Boot jar into layers, train an AOT cache, run (Spring AOT mode) as a non-root
# user on a JRE.
#
#   docker build -t socket-gateway:0.1.0 .
#   docker run --rm -p 127.0.0.1:8080:8080 -p 127.0.0.1:8081:8081 socket-gateway:0.1.0
#
# Needs BuildKit (the default builder since Docker 23) for the cache mount.

ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

# ---- build: compile and package with the project's Maven wrapper ----
FROM ${JDK_IMAGE} AS build
WORKDIR /workspace
COPY --chmod=0755 mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY src/ src/
# The cache mount keeps ~/.m2 (the wrapper's Maven and every dependency) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package \
    && cp target/socket-gateway-*.jar application.jar
# Runnable application.jar plus lib/, one folder per layer. No --launcher: the AOT cache
# only covers classes loaded from jars on the class path, and the launcher layout
# (exploded BOOT-INF/classes) left ~1000 Spring classes out of it in a measurement.
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# ---- runtime: JRE, extracted layers, AOT cache, non-root ----
FROM ${JRE_IMAGE} AS runtime
RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin gateway
WORKDIR /application
# Least-changing layer first, so a code change only replaces the last one.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# Heap sized from the container's memory limit, not the host's. Set before the training
# run so both runs use the same flags; replace the whole variable to change them.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

# Spring AOT: the jar carries bean definitions generated at build time (process-aot);
# -Dspring.aot.enabled=true uses them instead of parsing configuration classes and
# evaluating conditions at start-up. Bean conditions were decided at build time (see
# docs/deploy.md); profiles demo/bench and every gateway.* setting are still read at run time.
# AOT cache (JEP 483/514/515): a training run with the same Spring AOT mode that stops once
# the context has refreshed (no ports are bound, no peer is contacted), written as root,
# read-only afterwards.
RUN java -XX:AOTCacheOutput=/application/app.aot -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
    -jar application.jar

USER 10001:10001
# 8080: REST API (server.port); 8081: Actuator (management.server.port).
EXPOSE 8080 8081

# The JRE image has no curl; bash's /dev/tcp speaks just enough HTTP/1.0 to check
# /actuator/health on the management port (Kubernetes uses its own probes instead).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-8081} && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["java", "-XX:AOTCache=/application/app.aot", "-Dspring.aot.enabled=true", "-jar", "application.jar"]
