package io.logpipe.collector.source.pod;

import io.logpipe.collector.Source;
import io.logpipe.collector.SourceContext;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.collector.tail.GlobScanner;
import io.logpipe.collector.tail.TailHandler;
import io.logpipe.collector.tail.TailLoop;
import io.logpipe.collector.timestamp.Rfc3339;
import io.logpipe.record.SourceKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes container logs: {@link TailLoop} over the pod log globs, each file through a {@link PodFileHandler}. */
public final class PodSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(PodSource.class);

    private final PodSourceConfig config;
    private final SourceContext context;
    private final SourceOutput output;
    private final Rfc3339 timestamps = new Rfc3339();
    private final String node;
    private PodMetadata metadata;
    private TailLoop loop;

    public PodSource(PodSourceConfig config, SourceContext context) {
        this.config = config;
        this.context = context;
        this.output = context.output(config.name(), SourceKind.POD.label());
        this.node = config.nodeName() != null ? config.nodeName() : context.host();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start() {
        if (config.kubernetesMetadata()) {
            try {
                metadata = new PodMetadata(context.kubernetes().get(), config.nodeName(), config.name());
            } catch (RuntimeException e) {
                LOG.warn("source {}: no Kubernetes client ({}); records carry path metadata only", config.name(), e.toString());
            }
        }
        loop = new TailLoop(config.name(), new GlobScanner(config.paths()), config.tailSettings(), context.checkpoints(),
                (path, identity, progress) -> {
                    Optional<PodLogPath> where = PodLogPath.parse(path);
                    if (where.isEmpty()) {
                        return new NotAPodLog(path.toString());
                    }
                    return new PodFileHandler(where.get(), identity, progress, output, metadata, baseAttributes(where.get()),
                            config.labels(), timestamps, config.maxLineSize().asInt());
                },
                context.metrics(), output.meters().bytesRead());
        loop.start();
    }

    private Map<String, String> baseAttributes(PodLogPath where) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("host", context.host());
        attributes.put("node", node);
        attributes.put("namespace", where.namespace());
        attributes.put("pod", where.pod());
        attributes.put("pod_uid", where.podUid());
        attributes.put("container", where.container());
        return Map.copyOf(attributes);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    /** A file the glob matched outside the kubelet's layout: counted once and skipped. */
    private final class NotAPodLog implements TailHandler {
        private final String path;
        private boolean reported;

        NotAPodLog(String path) {
            this.path = path;
        }

        @Override
        public void line(byte[] bytes, int offset, int length, long startOffset, long endOffset, io.logpipe.collector.tail.LineCut cut) {
            if (!reported) {
                reported = true;
                output.metrics().badInput(config.name(), "not_a_pod_log_path", path + " is not <ns>_<pod>_<uid>/<container>/<n>.log; skipped");
            }
        }
    }
}
