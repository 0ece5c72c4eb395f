package io.logpipe.sink.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.labels.LabelSet;
import io.logpipe.sink.push.RefusalReason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamCheckTest {
    private final StreamCheck check = new StreamCheck(LabelLimits.LOKI_DEFAULTS);

    @Test
    void aValidStreamPasses() {
        assertThat(check.check(LabelSet.of(Map.of("app", "n8n", "namespace", "homelab")))).isNull();
    }

    @Test
    void theParseErrorPointsAtTheBadCharacterInLokisTextForm() {
        assertThat(check.check(LabelSet.of(Map.of("foo-bar", "x"))).message())
                .isEqualTo("1:5: parse error: unexpected character inside braces: '-'");
        // {app="n8n", foo.bar="x"}: the dot is the 16th character
        assertThat(check.check(LabelSet.of(Map.of("app", "n8n", "foo.bar", "x"))).message())
                .isEqualTo("1:16: parse error: unexpected character inside braces: '.'");
        assertThat(check.check(LabelSet.of(Map.of("1abc", "x"))).reason()).isEqualTo(RefusalReason.INVALID_LABELS);
        // an empty name (no processor writes one, but a foreign producer may) is refused, not a crash
        assertThat(check.check(LabelSet.of(Map.of("", "x"))).reason()).isEqualTo(RefusalReason.INVALID_LABELS);
    }

    @Test
    void limitsAreLokis() {
        assertThat(check.check(LabelSet.of(Map.of("app", "v".repeat(2048))))).isNull();
        assertThat(check.check(LabelSet.of(Map.of("app", "v".repeat(2049)))).reason()).isEqualTo(RefusalReason.LABEL_VALUE_TOO_LONG);
        assertThat(check.check(LabelSet.of(Map.of("a".repeat(1025), "v"))).reason()).isEqualTo(RefusalReason.LABEL_NAME_TOO_LONG);
        assertThat(check.check(LabelSet.of(Map.of())).reason()).isEqualTo(RefusalReason.MISSING_LABELS);
    }

    @Test
    void longLinesAreCutOnACharacterBoundaryWithTheMarker() {
        LineLimit limit = new LineLimit(1000, "[cut]");
        assertThat(limit.fit("short")).isEqualTo("short");
        String cut = limit.fit("€".repeat(400)); // 1200 bytes
        assertThat(cut).endsWith("[cut]").startsWith("€€");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000).isGreaterThan(990);
        assertThat(cut.substring(0, cut.length() - 5)).matches("€+");
    }
}
