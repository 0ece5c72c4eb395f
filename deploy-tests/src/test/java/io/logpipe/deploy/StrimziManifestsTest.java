package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.sink.SinkConfig;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StrimziManifestsTest {
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "Kafka", Kafka.class,
            "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class);

    private static final List<HasMetadata> resources = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Repository.path("strimzi"))) {
            files = listing.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            for (JsonNode document : Yaml.documents(file)) {
                String kind = document.path("kind").asText();
                assertThat(MODELS).as("%s: %s is not a Strimzi kind this test knows", file, Yaml.describe(document)).containsKey(kind);
                assertThat(document.path("apiVersion").asText()).as("%s: %s", file, Yaml.describe(document))
                        .isEqualTo("kafka.strimzi.io/v1");
                HasMetadata resource = Yaml.convert(document, MODELS.get(kind));
                assertThat(UnknownFields.in(resource)).as("%s: fields Strimzi's %s model does not know", file, kind).isEmpty();
                resources.add(resource);
            }
        }
    }

    @Test
    void everyResourceBelongsToTheOneClusterInTheHomelabNamespace() {
        Kafka kafka = only(Kafka.class);
        for (HasMetadata resource : resources) {
            assertThat(resource.getMetadata().getNamespace()).as(resource.getMetadata().getName()).isEqualTo("homelab");
            if (!(resource instanceof Kafka)) {
                assertThat(resource.getMetadata().getLabels()).as(resource.getMetadata().getName())
                        .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            }
        }
    }

    @Test
    void singleCombinedKraftNodeWithPersistentStorageAndLimits() {
        KafkaNodePool pool = only(KafkaNodePool.class);
        assertThat(pool.getSpec().getReplicas()).isEqualTo(1);
        assertThat(pool.getSpec().getRoles()).containsExactlyInAnyOrder(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        JbodStorage storage = (JbodStorage) pool.getSpec().getStorage();
        PersistentClaimStorage volume = (PersistentClaimStorage) storage.getVolumes().get(0);
        assertThat(volume.isDeleteClaim()).as("deleteClaim: the buffered logs must survive deleting the cluster").isFalse();
        assertThat(gibibytes(volume.getSize())).as("7 days of logs.raw and logs.enriched at 3 GB/day each")
                .isGreaterThanOrEqualTo(2 * 7 * 3);
        assertThat(pool.getSpec().getResources().getLimits()).containsKeys("cpu", "memory");
    }

    @Test
    void singleBrokerReplicationSettings() {
        Map<String, Object> config = only(Kafka.class).getSpec().getKafka().getConfig();
        assertThat(config).containsEntry("offsets.topic.replication.factor", 1)
                .containsEntry("transaction.state.log.replication.factor", 1)
                .containsEntry("transaction.state.log.min.isr", 1)
                .containsEntry("default.replication.factor", 1)
                .containsEntry("min.insync.replicas", 1)
                .containsEntry("auto.create.topics.enable", false);
    }

    @Test
    void everyListenerIsTlsWithScramAndOneIsReachableFromTheComputeNode() {
        Kafka kafka = only(Kafka.class);
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertThat(listeners).allSatisfy(listener -> {
            assertThat(listener.isTls()).as(listener.getName()).isTrue();
            assertThat(listener.getAuth()).as(listener.getName()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
        });
        assertThat(listeners).extracting(GenericKafkaListener::getType)
                .contains(KafkaListenerType.INTERNAL, KafkaListenerType.NODEPORT);
        GenericKafkaListener external = listeners.stream().filter(l -> l.getType() == KafkaListenerType.NODEPORT).findFirst().orElseThrow();
        assertThat(external.getConfiguration().getBrokers()).singleElement()
                .satisfies(broker -> assertThat(broker.getAdvertisedHost()).as("the service node's Tailscale address").isNotBlank());
        assertThat(kafka.getSpec().getKafka().getAuthorization()).as("ACLs need an authorizer").isNotNull();
    }

    @Test
    void topicsMatchTheDesignTopicsRetentionAndCompression() {
        Map<String, KafkaTopic> topics = resources.stream().filter(KafkaTopic.class::isInstance).map(KafkaTopic.class::cast)
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        List<TopicSpec> design = TopicSpec.pipeline(TopicNames.DEFAULTS, 3);
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(design.stream().map(TopicSpec::name).collect(Collectors.toList()));
        for (TopicSpec spec : design) {
            KafkaTopic topic = topics.get(spec.name());
            assertThat(topic.getSpec().getReplicas()).as(spec.name()).isEqualTo(1);
            assertThat(topic.getSpec().getPartitions()).as(spec.name()).isEqualTo(spec.partitions());
            Map<String, String> configured = topic.getSpec().getConfig().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
            assertThat(configured).as("%s: configs TopicSpec.pipeline gives (what `logpipe local` creates)", spec.name())
                    .containsAllEntriesOf(spec.configs());
        }
    }

    @Test
    void retentionCapsFitOnTheVolume() {
        long capped = resources.stream().filter(KafkaTopic.class::isInstance).map(KafkaTopic.class::cast)
                .filter(t -> t.getSpec().getConfig().containsKey("retention.bytes"))
                .mapToLong(t -> t.getSpec().getPartitions() * Long.parseLong(t.getSpec().getConfig().get("retention.bytes").toString()))
                .sum();
        PersistentClaimStorage volume = (PersistentClaimStorage) ((JbodStorage) only(KafkaNodePool.class).getSpec().getStorage()).getVolumes().get(0);
        assertThat(capped / (double) (1L << 30)).as("sum of retention.bytes × partitions (GiB) leaves room for segments and internal topics")
                .isLessThan(gibibytes(volume.getSize()) * 0.9);
    }

    @Test
    void collectorsMayOnlyWriteTheRawTopic() {
        Set<String> expected = Set.of("topic:logs.raw:literal:write", "topic:logs.raw:literal:describe");
        assertThat(acls("logpipe-collector")).isEqualTo(expected);
        assertThat(acls("logpipe-collector-pesubuntu")).isEqualTo(expected);
    }

    @Test
    void processorReadsRawWritesItsOutputsAndOwnsItsApplicationIdPrefix() {
        String applicationId = ProcessorConfig.DEFAULT_APPLICATION_ID;
        assertThat(acls("logpipe-processor")).isEqualTo(Set.of(
                "topic:logs.raw:literal:read", "topic:logs.raw:literal:describe",
                "topic:logs.enriched:literal:write", "topic:logs.enriched:literal:describe",
                "topic:logs.error-rates:literal:write", "topic:logs.error-rates:literal:describe",
                "topic:logs.dlq:literal:write", "topic:logs.dlq:literal:describe",
                "group:" + applicationId + ":literal:read", "group:" + applicationId + ":literal:describe",
                "transactionalId:" + applicationId + ":prefix:write", "transactionalId:" + applicationId + ":prefix:describe",
                "topic:" + applicationId + "-:prefix:create", "topic:" + applicationId + "-:prefix:delete",
                "topic:" + applicationId + "-:prefix:read", "topic:" + applicationId + "-:prefix:write",
                "topic:" + applicationId + "-:prefix:describe", "topic:" + applicationId + "-:prefix:describeconfigs"));
    }

    @Test
    void sinkReadsEnrichedWritesDeadLettersAndUsesItsGroup() {
        String group = SinkConfig.DEFAULT_CONSUMER_GROUP;
        assertThat(acls("logpipe-sink")).isEqualTo(Set.of(
                "topic:logs.enriched:literal:read", "topic:logs.enriched:literal:describe",
                "group:" + group + ":literal:read", "group:" + group + ":literal:describe",
                "topic:logs.dlq:literal:write", "topic:logs.dlq:literal:describe"));
    }

    @Test
    void readerMayOnlyReadTheTopicsWithoutAGroup() {
        Set<String> expected = new TreeSet<>();
        for (TopicSpec topic : TopicSpec.pipeline(TopicNames.DEFAULTS, 3)) {
            expected.add("topic:" + topic.name() + ":literal:read");
            expected.add("topic:" + topic.name() + ":literal:describe");
        }
        assertThat(acls("logpipe-reader")).isEqualTo(expected);
    }

    @Test
    void everyUserAuthenticatesWithScram() {
        assertThat(resources.stream().filter(KafkaUser.class::isInstance).map(KafkaUser.class::cast))
                .isNotEmpty()
                .allSatisfy(user -> assertThat(user.getSpec().getAuthentication())
                        .as(user.getMetadata().getName()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class));
    }

    /** The user's ACLs as {@code type:name:pattern:operation}, lower case, one entry per allowed operation. */
    private static Set<String> acls(String userName) {
        KafkaUser user = resources.stream().filter(KafkaUser.class::isInstance).map(KafkaUser.class::cast)
                .filter(u -> u.getMetadata().getName().equals(userName)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaUser " + userName + " in strimzi/"));
        Set<String> acls = new TreeSet<>();
        for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
            String resource;
            if (rule.getResource() instanceof AclRuleTopicResource topic) {
                resource = "topic:" + topic.getName() + ":" + lower(topic.getPatternType());
            } else if (rule.getResource() instanceof AclRuleGroupResource group) {
                resource = "group:" + group.getName() + ":" + lower(group.getPatternType());
            } else if (rule.getResource() instanceof AclRuleTransactionalIdResource transactionalId) {
                resource = "transactionalId:" + transactionalId.getName() + ":" + lower(transactionalId.getPatternType());
            } else {
                resource = rule.getResource().getType() + ":*";
            }
            rule.getOperations().forEach(operation -> acls.add(resource + ":" + lower(operation)));
        }
        return acls;
    }

    private static String lower(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }

    private static <T extends HasMetadata> T only(Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        assertThat(found).as("exactly one %s in strimzi/", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static double gibibytes(String quantity) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(quantity))
                .doubleValue() / (1L << 30);
    }
}
