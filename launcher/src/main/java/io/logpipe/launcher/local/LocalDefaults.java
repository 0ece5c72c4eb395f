package io.logpipe.launcher.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes the YAML of {@code logpipe local}'s config: the defaults for this machine, or the
 * user's file with the parts only {@code local} can know filled in (the embedded broker, the
 * data directory). The result goes through the components' own config records, so it is
 * validated exactly as a production config is.
 */
final class LocalDefaults {
    static final String BOOTSTRAP_VARIABLE = "LOGPIPE_LOCAL_BOOTSTRAP";
    private static final YAMLMapper YAML = new YAMLMapper();

    private LocalDefaults() {
    }

    /** The default config: this machine's journald and readable /var/log files, plus the demo's logs. */
    static String defaults(Path dataDir, String host, String lokiUrl, DemoLogs demo) {
        ObjectNode root = YAML.createObjectNode();
        ObjectNode sources = root.putObject("collector").putObject("sources");
        if (journalctlWorks()) {
            ObjectNode journal = sources.putArray("journald").addObject();
            journal.put("name", "journal");
            journal.put("max_age", "12h");
            journal.putObject("labels").put("job", "systemd-journal").put("host", host);
        }
        List<String> varLog = readableVarLogFiles();
        var files = sources.putArray("files");
        if (!varLog.isEmpty()) {
            ObjectNode logs = files.addObject();
            logs.put("name", "var-log");
            var paths = logs.putArray("paths");
            varLog.forEach(paths::add);
            logs.putObject("labels").put("job", "varlogs").put("host", host);
        }
        if (demo != null) {
            ObjectNode pods = sources.putArray("pods").addObject();
            pods.put("name", "demo-pods");
            pods.putArray("paths").add(demo.podsDir() + "/*/*/*.log");
            pods.put("node_name", "asuna");
            pods.put("kubernetes_metadata", false);
            ObjectNode ollama = files.addObject();
            ollama.put("name", "demo-ollama");
            ollama.putArray("paths").add(demo.filesDir() + "/ollama/*.log");
            ollama.putObject("labels").put("job", "ollama").put("host", "pesubuntu").put("service", "ollama");
            ObjectNode litellm = files.addObject();
            litellm.put("name", "demo-litellm");
            litellm.putArray("paths").add(demo.filesDir() + "/litellm/*.log");
            litellm.putObject("labels").put("job", "litellm").put("host", "pesubuntu").put("service", "litellm");
            litellm.putObject("multiline").put("start_pattern", "^\\d{4}-\\d{2}-\\d{2}T");
        }
        root.putObject("sink").putObject("loki").put("url", lokiUrl);
        return complete(root, dataDir);
    }

    /** The user's file, with the embedded broker and the data directory where it says nothing. */
    static String fromFile(Path file, Path dataDir) {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                tree = YAML.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new io.logpipe.config.ConfigException(file + ": the top level must be a mapping with collector, processor and sink");
            }
            return complete((ObjectNode) tree, dataDir);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new io.logpipe.config.ConfigException(file + ": no such config file");
        } catch (IOException e) {
            throw new io.logpipe.config.ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
    }

    private static String complete(ObjectNode root, Path dataDir) {
        for (String component : List.of("collector", "processor", "sink")) {
            JsonNode node = root.get(component);
            if (node != null && !node.isObject()) {
                continue; // the config loader names the bad key
            }
            ObjectNode section = node == null ? root.putObject(component) : (ObjectNode) node;
            if (!section.has("kafka")) {
                section.putObject("kafka").put("bootstrap_servers", "${" + BOOTSTRAP_VARIABLE + "}");
            }
            // one /metrics for the whole process: the components' own endpoints stay off
            if (!section.has("metrics")) {
                section.putObject("metrics").put("enabled", false);
            }
        }
        ObjectNode collector = (ObjectNode) root.get("collector");
        if (collector != null && !collector.has("checkpoint_dir")) {
            collector.put("checkpoint_dir", dataDir.resolve("collector").toString());
        }
        ObjectNode processor = (ObjectNode) root.get("processor");
        if (processor != null && !processor.has("state_dir")) {
            processor.put("state_dir", dataDir.resolve("processor").toString());
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean journalctlWorks() {
        try {
            Process process = new ProcessBuilder("journalctl", "-n", "0", "-q").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> readableVarLogFiles() {
        List<String> readable = new ArrayList<>();
        for (String candidate : List.of("/var/log/syslog")) {
            if (Files.isReadable(Path.of(candidate))) {
                readable.add(candidate);
            }
        }
        try (var stream = Files.list(Path.of("/var/log"))) {
            stream.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p) && Files.isReadable(p))
                    .forEach(p -> readable.add(p.toString()));
        } catch (IOException e) {
            // no /var/log here: nothing to read from it
        }
        return readable;
    }
}
