package io.logpipe.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logpipe.json.JsonErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one component's YAML file into its typed config record, once, at start-up.
 *
 * <p>Keys are snake_case. Every string value may use {@code ${VAR}} or {@code ${VAR:-default}};
 * {@code $$} is a literal dollar. Unknown keys, bad values and unset variables fail with a
 * {@link ConfigException} whose message starts with the file and names the key.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Function<String, String> environment;
    private final ObjectMapper mapper;

    public ConfigLoader() {
        this(System::getenv);
    }

    /** A loader reading variables from the given function; tests pass a map. */
    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
        SimpleModule durations = new SimpleModule("logpipe-durations")
                .addDeserializer(Duration.class, new Durations.Deserializer());
        this.mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(durations)
                .build();
    }

    /** Loads {@code file}; a null file gives the type's defaults. */
    public <T> T load(Path file, Class<T> type) {
        if (file == null) {
            return bind(JsonNodeFactory.instance.objectNode(), type, "(defaults)");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(text, type, file.toString());
    }

    /** Parses YAML text; {@code origin} names it in messages. */
    public <T> T parse(String yaml, Class<T> type, String origin) {
        JsonNode tree;
        try {
            tree = yaml.isBlank() ? JsonNodeFactory.instance.objectNode() : mapper.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(origin + ": not valid YAML: " + JsonErrors.firstLine(e.getMessage()), e);
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            tree = JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(origin + ": the top level must be a mapping of keys");
        }
        return bind(expand(tree, "", origin), type, origin);
    }

    private <T> T bind(JsonNode tree, Class<T> type, String origin) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String allowed = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                    .collect(Collectors.joining(", "));
            throw new ConfigException(origin + ": unknown key '" + JsonErrors.keyPath(e) + "'"
                    + (allowed.isEmpty() ? "" : " (allowed here: " + allowed + ")"), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String key = JsonErrors.keyPath(e);
            if (cause instanceof ConfigException.InvalidValue invalid) {
                key = key.isEmpty() ? invalid.field() : key + "." + invalid.field();
            }
            throw new ConfigException(origin + ": " + (key.isEmpty() ? "" : "key '" + key + "': ") + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(origin + ": key '" + JsonErrors.keyPath(e) + "' has invalid value '" + e.getValue() + "': "
                    + describe(e), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(origin + ": key '" + JsonErrors.keyPath(e) + "': " + describe(e), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(origin + ": key '" + JsonErrors.keyPath(e) + "': " + JsonErrors.firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigException(origin + ": " + JsonErrors.firstLine(e.getMessage()), e);
        }
    }

    private JsonNode expand(JsonNode node, String key, String origin) {
        if (node.isTextual()) {
            return TextNode.valueOf(expand(node.textValue(), key, origin));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), expand(field.getValue(), key.isEmpty() ? field.getKey() : key + "." + field.getKey(), origin));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(expand(node.get(i), key + "[" + i + "]", origin));
            }
            return copy;
        }
        return node;
    }

    private String expand(String value, String key, String origin) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String variable = m.group(1);
                String fromEnv = environment.apply(variable);
                if (fromEnv != null && !fromEnv.isEmpty()) {
                    replacement = fromEnv;
                } else if (m.group(2) != null) {
                    replacement = m.group(3);
                } else {
                    throw new ConfigException(origin + ": key '" + key + "' uses ${" + variable
                            + "}, but that environment variable is not set (give a default with ${" + variable + ":-value})");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(MismatchedInputException e) {
        String message = JsonErrors.firstLine(e.getOriginalMessage());
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            Object[] constants = target.getEnumConstants();
            StringBuilder allowed = new StringBuilder();
            for (Object constant : constants) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant);
            }
            return "allowed values: " + allowed;
        }
        if (target == Duration.class) {
            return "expected a duration such as 500ms, 5s, 2m, 12h, 7d";
        }
        if (target != null && (target == int.class || target == Integer.class || target == long.class || target == Long.class)) {
            return "expected a whole number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "expected true or false";
        }
        return message;
    }
}
