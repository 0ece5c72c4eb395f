package io.logpipe.collector.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Builds the one fabric8 client the collector shares between its pod metadata and event sources. */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    public static KubernetesClient create(KubernetesConfig config) {
        ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null));
        if (config.apiUrl() != null) {
            builder.withMasterUrl(config.apiUrl());
        }
        int timeoutMillis = (int) config.requestTimeout().toMillis();
        builder.withTrustCerts(config.trustCertificates())
                .withConnectionTimeout(timeoutMillis)
                .withRequestTimeout(timeoutMillis)
                // the informers retry for ever; the client's own retries would only delay them
                .withRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(builder.build()).build();
    }
}
