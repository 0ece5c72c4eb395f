package io.logpipe.sink;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RecordCodec;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** A test's own enriched topic on the test broker: writes records as the stream-processor does, reads offsets. */
public final class EnrichedTopic {
    private final KafkaBrokerExtension kafka;
    private final String name;

    public EnrichedTopic(KafkaBrokerExtension kafka, int partitions) {
        this.kafka = kafka;
        this.name = kafka.newTopic("enriched", partitions);
    }

    public String name() {
        return name;
    }

    public static EnrichedRecord enriched(Map<String, String> labels, long timestampNanos, String line) {
        return new EnrichedRecord(RecordCodec.FORMAT_VERSION, timestampNanos, labels, Level.INFO, line, null,
                Map.of("pod_uid", "7f9c2b1e"), "test", null);
    }

    public ProducerRecord<byte[], byte[]> record(EnrichedRecord record) {
        return new ProducerRecord<>(name, LabelSet.of(record.labels()).canonical().getBytes(StandardCharsets.UTF_8),
                RecordCodec.encode(record));
    }

    public ProducerRecord<byte[], byte[]> raw(String key, String value) {
        return new ProducerRecord<>(name, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public void send(List<ProducerRecord<byte[], byte[]>> records) {
        kafka.send(name, records);
    }

    public void sendEnriched(List<EnrichedRecord> records) {
        send(records.stream().map(this::record).toList());
    }

    /** The group's committed offsets on this topic (empty when it committed nothing). */
    public Map<TopicPartition, Long> committed(String group) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((p, o) -> {
                if (o != null && p.topic().equals(name)) {
                    out.put(p, o.offset());
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The end offset of every partition that holds records. */
    public Map<TopicPartition, Long> endOffsets() {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size();
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                query.put(new TopicPartition(name, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(query).all().get().forEach((p, info) -> {
                if (info.offset() > 0) {
                    out.put(p, info.offset());
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
