/**
 * The {@code logpipe} command. Each sub-command is one thin class: it parses its options, loads
 * a component's config with the component's own config record, and runs the component (which
 * lives in its module) until SIGTERM with {@link io.logpipe.launcher.Foreground}. No pipeline
 * logic lives here.
 */
package io.logpipe.launcher;
