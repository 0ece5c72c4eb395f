package io.logpipe.launcher.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logpipe.config.ConfigException;
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

    /** The config for this machine: its journald when journalctl works, and its readable /var/log files. */
    static ObjectNode machineDefaults(String host) {
        ObjectNode root = YAML.createObjectNode();
        ObjectNode sources = root.putObject("collector").putObject("sources");
        if (journalctlWorks()) {
            ObjectNode journal = sources.putArray("journald").addObject();
            journal.put("name", "journal");
            journal.put("max_age", "12h");
            journal.putObject("labels").put("job", "systemd-journal").put("host", host);
        }
        List<String> varLog = readableVarLogFiles();
        if (!varLog.isEmpty()) {
            ObjectNode logs = sources.putArray("files").addObject();
            logs.put("name", "var-log");
            var paths = logs.putArray("paths");
            varLog.forEach(paths::add);
            logs.putObject("labels").put("job", "varlogs").put("host", host);
        }
        return root;
    }

    /** The user's file as a tree; the component config records check it after {@link #complete}. */
    static ObjectNode fromFile(Path file) {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                return YAML.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new ConfigException(file + ": the top level must be a mapping with collector, processor and sink");
            }
            return (ObjectNode) tree;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file");
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
    }

    /** Adds sources for the demo's pods (as on the plan's service node) and files (as on its compute node). */
    static void addDemoSources(ObjectNode root, DemoLogs demo) {
        ObjectNode sources = object(object(root, "collector"), "sources");
        ObjectNode pods = array(sources, "pods").addObject();
        pods.put("name", "demo-pods");
        pods.putArray("paths").add(demo.podsDir() + "/*/*/*.log");
        pods.put("node_name", "asuna");
        pods.put("kubernetes_metadata", false);
        ArrayNode files = array(sources, "files");
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

    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node != null && !node.isObject()) {
            throw new ConfigException("key '" + name + "' must be a mapping");
        }
        return node == null ? parent.putObject(name) : (ObjectNode) node;
    }

    private static ArrayNode array(ObjectNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node != null && !node.isArray()) {
            throw new ConfigException("key 'collector.sources." + name + "' must be a list");
        }
        return node == null ? parent.putArray(name) : (ArrayNode) node;
    }

    /**
     * What only {@code local} knows, where the config says nothing: the embedded broker, the
     * data directory, the Loki URL, and metrics off in each component (the process serves one
     * {@code /metrics} for all). Returns the YAML for the config loader.
     */
    static String complete(ObjectNode root, Path dataDir, String lokiUrl) {
        for (String component : List.of("collector", "processor", "sink")) {
            ObjectNode section = object(root, component);
            if (!section.has("kafka")) {
                section.putObject("kafka").put("bootstrap_servers", "${" + BOOTSTRAP_VARIABLE + "}");
            }
            if (!section.has("metrics")) {
                section.putObject("metrics").put("enabled", false);
            }
        }
        ObjectNode collector = object(root, "collector");
        if (!collector.has("checkpoint_dir")) {
            collector.put("checkpoint_dir", dataDir.resolve("collector").toString());
        }
        ObjectNode processor = object(root, "processor");
        if (!processor.has("state_dir")) {
            processor.put("state_dir", dataDir.resolve("processor").toString());
        }
        ObjectNode loki = object(object(root, "sink"), "loki");
        if (!loki.has("url")) {
            loki.put("url", lokiUrl);
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
