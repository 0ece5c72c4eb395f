package io.logpipe.collector.timestamp;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private final Rfc3339 rfc3339 = new Rfc3339();

    private long parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return rfc3339.parseNanos(bytes, 0, bytes.length);
    }

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void parsesRfc3339WithAnyPrecisionAndOffset() {
        assertThat(parse("2026-11-25T10:00:00.123456789Z")).isEqualTo(nanos("2026-11-25T10:00:00.123456789Z"));
        assertThat(parse("2026-11-25T10:00:00.123456789Z")).isEqualTo(nanos("2026-11-25T10:00:00.123456789Z")); // cached second
        assertThat(parse("2026-11-25T10:00:00Z")).isEqualTo(nanos("2026-11-25T10:00:00Z"));
        assertThat(parse("2026-11-25T11:30:00.5+01:30")).isEqualTo(nanos("2026-11-25T10:00:00.5Z"));
        assertThat(parse("2024-02-29T23:59:59.000000001-02:00")).isEqualTo(nanos("2024-03-01T01:59:59.000000001Z"));
    }

    @Test
    void refusesWhatIsNotATimestamp() {
        assertThat(parse("2026-13-25T10:00:00Z")).isEqualTo(-1);
        assertThat(parse("2026-02-30T10:00:00Z")).isEqualTo(-1);
        assertThat(parse("not a timestamp at all")).isEqualTo(-1);
        assertThat(parse("2026-11-25T10:00:00")).isEqualTo(-1);
        assertThat(parse("2026-11-25T10:00:00.Z")).isEqualTo(-1);
    }

    @Test
    void parsesClassicSyslogTimesInTheConfiguredZoneAndYear() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC);
        LineTimestamps syslog = new LineTimestamps(
                new TimestampConfig("^(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d)", "MMM ppd HH:mm:ss", "UTC"), clock);
        assertThat(syslog.parse("Dec 31 23:59:58 pesubuntu kernel: amdgpu: ring gfx timeout"))
                .isEqualTo(nanos("2025-12-31T23:59:58Z"));
        assertThat(syslog.parse("Jan  1 00:09:00 pesubuntu ollama[42]: listening")).isEqualTo(nanos("2026-01-01T00:09:00Z"));
        assertThat(syslog.parse("no time here")).isEqualTo(-1);
    }

    @Test
    void aFileOpenAcrossNewYearTakesTheNewYear() {
        ManualClock clock = new ManualClock(Instant.parse("2025-12-28T10:00:00Z"));
        LineTimestamps syslog = new LineTimestamps(
                new TimestampConfig("^(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d)", "MMM ppd HH:mm:ss", "UTC"), clock);
        assertThat(syslog.parse("Dec 28 09:59:00 pesubuntu cron[7]: ok")).isEqualTo(nanos("2025-12-28T09:59:00Z"));
        clock.set(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(syslog.parse("Jan  1 00:00:05 pesubuntu ollama[42]: listening")).isEqualTo(nanos("2026-01-01T00:00:05Z"));
        assertThat(syslog.parse("Dec 31 23:59:59 pesubuntu kernel: late")).isEqualTo(nanos("2025-12-31T23:59:59Z"));
    }
}
