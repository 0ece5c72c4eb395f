/**
 * Fixtures for the tests of every module, taken in test scope only. Kafka is always a real
 * broker: Kafka's own in-process KRaft node by default, or Testcontainers' {@code apache/kafka}
 * where Docker exists ({@link io.logpipe.testkit.KafkaTestBackend}); tests see only a bootstrap
 * address. {@code loki} is a Loki-compatible server that decodes the real wire format and refuses
 * what Loki refuses; {@code journal} writes real journal files.
 */
package io.logpipe.testkit;
