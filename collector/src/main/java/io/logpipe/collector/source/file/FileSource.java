package io.logpipe.collector.source.file;

import io.logpipe.collector.Source;
import io.logpipe.collector.SourceContext;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.collector.tail.GlobScanner;
import io.logpipe.collector.tail.TailLoop;
import io.logpipe.collector.timestamp.LineTimestamps;
import io.logpipe.record.SourceKind;
import java.time.Clock;
import java.util.Map;

/**
 * Plain log files ({@code /var/log/syslog}, {@code /var/log/ollama/*.log}): {@link TailLoop} over
 * the globs, each file through a {@link FileLinesHandler}. Source identity: {@code <host>:<path>}.
 */
public final class FileSource implements Source {
    private final FileSourceConfig config;
    private final SourceContext context;
    private final SourceOutput output;
    private TailLoop loop;

    public FileSource(FileSourceConfig config, SourceContext context) {
        this.config = config;
        this.context = context;
        this.output = context.output(config.name(), SourceKind.FILE.label());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start() {
        loop = new TailLoop(config.name(), new GlobScanner(config.paths()), config.tailSettings(), context.checkpoints(),
                (path, identity, progress) -> new FileLinesHandler(context.host() + ":" + path, identity, progress, output,
                        Map.of("host", context.host(), "filename", path.toString()), config.labels(),
                        config.timestamp() == null ? null : new LineTimestamps(config.timestamp(), Clock.systemDefaultZone()),
                        config.multiline(), config.maxLineSize().asInt()),
                context.metrics(), output.meters().bytesRead());
        loop.start();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
