package io.logpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SinkCommandTest {

    @Test
    void aBadConfigStopsTheStartWithExitCode2NamingFileAndKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sink.yaml");
        Files.writeString(config, "loki:\n  url: http://loki:3100\n  timout: 5s\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Logpipe.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("sink", "--config", config.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(config.toString()).contains("timout");
    }
}
