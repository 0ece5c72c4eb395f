package io.logpipe.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSetTest {

    @Test
    void canonicalFormIsSortedAndEscaped() {
        LabelSet set = LabelSet.of(Map.of("namespace", "homelab", "app", "n8n", "msg", "say \"hi\"\\"));
        assertThat(set.canonical()).isEqualTo("{app=\"n8n\", msg=\"say \\\"hi\\\"\\\\\", namespace=\"homelab\"}");
    }

    @Test
    void sameLabelsInAnyOrderGiveTheSameKey() {
        assertThat(LabelSet.of(Map.of("a", "1", "b", "2")).canonical())
                .isEqualTo(LabelSet.of(Map.of("b", "2", "a", "1")).canonical());
    }

    @Test
    void labelNamesFollowLokisRule() {
        assertThat(LabelNames.isValid("app")).isTrue();
        assertThat(LabelNames.isValid("_x9")).isTrue();
        assertThat(LabelNames.isValid("app.kubernetes.io/name")).isFalse();
        assertThat(LabelNames.isValid("9lives")).isFalse();
        assertThat(LabelNames.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
        assertThat(LabelNames.sanitize("9lives")).isEqualTo("_9lives");
        assertThat(LabelNames.sanitize("pod-template-hash")).isEqualTo("pod_template_hash");
        assertThat(LabelNames.sanitize("")).isEqualTo("_");
    }
}
