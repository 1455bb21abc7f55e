# The enricher service. Build the fat jar first:  ./mvnw -q -DskipTests package
# then:  docker build -t captionstream/enricher .   (docker compose does both the build and the wiring)
FROM eclipse-temurin:25-jre

RUN groupadd --system --gid 10001 enricher \
 && useradd --system --uid 10001 --gid enricher --home-dir /app --shell /usr/sbin/nologin enricher \
 && mkdir -p /app /models \
 && chown -R enricher:enricher /app /models

WORKDIR /app
COPY --chown=enricher:enricher enricher/target/enricher.jar /app/enricher.jar

# the Hugging Face cache lives in /models (mount a volume there); the tokenizer keeps DJL offline by itself
ENV HF_HOME=/models/hf \
    HOME=/app \
    CAPTIONSTREAM_METRICS_PORT=9400 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"

USER enricher
EXPOSE 9400

# ready = Kafka Streams RUNNING and every worker has loaded its ONNX sessions (bash only: no curl in the image)
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 \
  CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${CAPTIONSTREAM_METRICS_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/enricher.jar"]
CMD ["run"]
