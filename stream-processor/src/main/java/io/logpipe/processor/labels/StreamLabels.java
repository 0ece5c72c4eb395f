package io.logpipe.processor.labels;

import io.logpipe.labels.LabelSet;
import java.util.Map;

/**
 * What {@link StreamLabeler} made of one record.
 *
 * @param labels the Loki stream labels, {@code level} included
 * @param metadata the structured metadata
 * @param cut how many labels the cap removed (0 normally)
 */
public record StreamLabels(LabelSet labels, Map<String, String> metadata, int cut) {
}
