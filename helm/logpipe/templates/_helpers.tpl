{{/* Names, labels and the values every component shares. */}}

{{- define "logpipe.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "logpipe.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "collector") */}}
{{- define "logpipe.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "logpipe.componentLabels" -}}
{{ include "logpipe.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "logpipe.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "logpipe.kafkaBootstrap" -}}
{{- .Values.kafka.bootstrapServers | default (printf "%s-kafka-bootstrap.%s.svc:9093" .Values.kafka.cluster .Release.Namespace) -}}
{{- end -}}

{{- define "logpipe.kafkaCaSecret" -}}
{{- .Values.kafka.caSecret | default (printf "%s-cluster-ca-cert" .Values.kafka.cluster) -}}
{{- end -}}

{{- define "logpipe.lokiUrl" -}}
{{- if .Values.loki.enabled -}}
{{- printf "http://%s-loki.%s.svc:3100" (include "logpipe.fullname" .) .Release.Namespace -}}
{{- else -}}
{{- required "loki.url is required when loki.enabled=false" .Values.loki.url -}}
{{- end -}}
{{- end -}}

{{/*
The `kafka:` block of a component config. Secrets stay out of it: the password is ${KAFKA_PASSWORD}
and the CA is a file, both supplied by "logpipe.kafkaEnv" and "logpipe.kafkaVolume".
*/}}
{{- define "logpipe.kafkaConfig" -}}
kafka:
  bootstrap_servers: ${KAFKA_BOOTSTRAP_SERVERS}
  security_protocol: SASL_SSL
  sasl:
    mechanism: SCRAM-SHA-512
    username: ${KAFKA_USERNAME}
    password: ${KAFKA_PASSWORD}
  tls:
    ca_file: ${KAFKA_CA_FILE}
topics:
  raw: {{ .Values.kafka.topics.raw }}
  enriched: {{ .Values.kafka.topics.enriched }}
  dlq: {{ .Values.kafka.topics.dlq }}
  error_rates: {{ .Values.kafka.topics.errorRates }}
{{- end -}}

{{/* Environment of a Kafka client: (dict "root" $ "user" "logpipe-collector") */}}
{{- define "logpipe.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "logpipe.kafkaBootstrap" .root | quote }}
- name: KAFKA_USERNAME
  value: {{ .user | quote }}
- name: KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .user }}
      key: password
- name: KAFKA_CA_FILE
  value: /etc/logpipe/kafka-ca/ca.crt
{{- end -}}

{{- define "logpipe.kafkaVolumeMount" -}}
- name: kafka-ca
  mountPath: /etc/logpipe/kafka-ca
  readOnly: true
{{- end -}}

{{- define "logpipe.kafkaVolume" -}}
- name: kafka-ca
  secret:
    secretName: {{ include "logpipe.kafkaCaSecret" . }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end -}}

{{/* Security context of every logpipe container: non-root, nothing writable but its volumes. */}}
{{- define "logpipe.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "logpipe.javaEnv" -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ .javaOptions | quote }}
{{- end -}}
