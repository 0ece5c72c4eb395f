package io.logpipe.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final Map<String, String> N8N = Map.of("namespace", "homelab", "pod", "n8n-5d8f7c9b4-x2k9p", "level", "error");

    @Test
    void equalityMatchers() {
        assertThat(Selector.parse("{namespace=\"homelab\"}").matches(N8N, "x")).isTrue();
        assertThat(Selector.parse("{namespace=\"kube-system\"}").matches(N8N, "x")).isFalse();
        assertThat(Selector.parse("{namespace!=\"kube-system\"}").matches(N8N, "x")).isTrue();
    }

    @Test
    void regexMatchersAreAnchoredAsInLoki() {
        assertThat(Selector.parse("{pod=~\"n8n.*\"}").matches(N8N, "x")).isTrue();
        assertThat(Selector.parse("{pod=~\"8n.*\"}").matches(N8N, "x")).isFalse();
        assertThat(Selector.parse("{level=~\"error|warn\"}").matches(N8N, "x")).isTrue();
        assertThat(Selector.parse("{level!~\"error|warn\"}").matches(N8N, "x")).isFalse();
    }

    @Test
    void missingLabelMatchesAsEmpty() {
        assertThat(Selector.parse("{unit=\"\"}").matches(N8N, "x")).isTrue();
        assertThat(Selector.parse("{unit=\"ollama.service\"}").matches(N8N, "x")).isFalse();
    }

    @Test
    void lineFiltersChain() {
        Selector selector = Selector.parse("{namespace=\"homelab\"} |= \"timeout\" != \"health\" |~ \"t[io]+me\"");
        assertThat(selector.matches(N8N, "request timeout after 30s")).isTrue();
        assertThat(selector.matches(N8N, "health check timeout")).isFalse();
        assertThat(selector.matches(N8N, "all good")).isFalse();
    }

    @Test
    void lineFilterWithoutSelector() {
        Selector selector = Selector.parse("|= \"disk\" |= \"space\"");
        assertThat(selector.matches(Map.of(), "low disk space on /")).isTrue();
        assertThat(selector.matches(Map.of(), "disk ok")).isFalse();
    }

    @Test
    void escapesAndBackticks() {
        assertThat(Selector.parse("{x=\"a\\\"b\"}").matches(Map.of("x", "a\"b"), "")).isTrue();
        assertThat(Selector.parse("|~ `\\d+ms`").matches(Map.of(), "took 12ms")).isTrue();
    }

    @Test
    void blankMeansEverything() {
        assertThat(Selector.parse("  ").matches(N8N, "x")).isTrue();
        assertThat(Selector.parse(null)).isSameAs(Selector.ALL);
    }

    @Test
    void errorsNameThePosition() {
        assertThatThrownBy(() -> Selector.parse("{namespace:\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 11").hasMessageContaining("= != =~ !~");
        assertThatThrownBy(() -> Selector.parse("{a=\"x\""))
                .hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Selector.parse("{a=~\"(\"}"))
                .hasMessageContaining("bad regular expression");
        assertThatThrownBy(() -> Selector.parse("{a=\"x\"} error"))
                .hasMessageContaining("expected a line filter");
    }
}
