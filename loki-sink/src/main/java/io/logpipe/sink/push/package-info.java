/**
 * Loki's push API: {@code logproto.PushRequest} (src/main/proto/push.proto, same field numbers as
 * grafana/loki pkg/push/push.proto), snappy block compression, OkHttp.
 *
 * <p>{@link io.logpipe.sink.push.LokiPusher} is the one place that talks to Loki, for the sink
 * and for {@code logpipe replay}: it retries what is worth retrying forever, and turns a 400
 * into the exact list of refused entries. Loki 2.8 stores the valid entries of a push it
 * answers 400 and names only the last refusal, so the pusher pushes parts again (the named
 * stream apart, then halves) until every refused entry stands alone; Loki's rule that an
 * identical stream + timestamp + line is stored once makes the repeated valid entries harmless.
 */
package io.logpipe.sink.push;
