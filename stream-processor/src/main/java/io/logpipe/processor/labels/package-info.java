/**
 * Loki stream labels. A record's attributes (what the collector knows) and static labels (what
 * its source was configured with) are the candidates; {@link io.logpipe.processor.labels.LabelRule}s
 * applied in order shape them (first value set wins, a {@code keep} rule is the allow-list), then
 * {@link io.logpipe.processor.labels.StreamLabeler} sanitises names, adds {@code level} and caps
 * the set. The defaults ({@link io.logpipe.processor.labels.LabelConfig#DEFAULT_RULES}) reproduce
 * the plan's Promtail relabel_configs, so its LogQL queries work unchanged.
 */
package io.logpipe.processor.labels;
