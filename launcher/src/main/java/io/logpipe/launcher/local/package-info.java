/**
 * {@code logpipe local}: the production components, unchanged, in one process on the embedded
 * broker. Its config is the three components' own configs under {@code collector:},
 * {@code processor:} and {@code sink:}, completed with what only {@code local} knows (the
 * broker's address, the data directory, the Loki URL) and then validated by the components'
 * config records. The demo writes log files where the real collector reads them, so the demo
 * exercises the production code paths.
 */
package io.logpipe.launcher.local;
