package io.logpipe.collector.kubernetes;

import java.time.Duration;

/**
 * The {@code kubernetes:} block: how the pod metadata and the events sources reach the API.
 *
 * @param apiUrl the API server; null = in-cluster service account, else ~/.kube/config
 * @param trustCertificates accept any server certificate (tests, self-signed homelab clusters)
 * @param requestTimeout connect and request timeout
 */
public record KubernetesConfig(String apiUrl, Boolean trustCertificates, Duration requestTimeout) {

    public static final KubernetesConfig DEFAULTS = new KubernetesConfig(null, null, null);

    public KubernetesConfig {
        trustCertificates = trustCertificates != null && trustCertificates;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
    }
}
