{{/*
Every object of one workload. A thin chart's only template is:
  {{ include "velaflows-lib.all" . }}
*/}}
{{- define "velaflows-lib.all" -}}
{{- if not (has .Values.role (list "service" "gateway")) -}}
{{- fail (printf "role must be service or gateway, not %q" .Values.role) -}}
{{- end -}}
{{ include "velaflows-lib.serviceAccount" . }}
---
{{ include "velaflows-lib.configMap" . }}
---
{{ include "velaflows-lib.service" . }}
---
{{ include "velaflows-lib.deployment" . }}
{{- if include "velaflows-lib.replicasAtLeastTwo" . }}
---
{{ include "velaflows-lib.pdb" . }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
---
{{ include "velaflows-lib.hpa" . }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
---
{{ include "velaflows-lib.networkPolicy" . }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") }}
---
{{ include "velaflows-lib.serviceMonitor" . }}
{{- end }}
{{- if eq .Values.role "gateway" }}
{{- if .Values.ingress.enabled }}
---
{{ include "velaflows-lib.ingress" . }}
{{- end }}
{{- if and .Values.httpRoute.enabled (.Capabilities.APIVersions.Has "gateway.networking.k8s.io/v1/HTTPRoute") }}
---
{{ include "velaflows-lib.httpRoute" . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "velaflows-lib.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}

{{/* Non-secret environment, one ConfigMap per workload; its checksum rolls the pods. */}}
{{- define "velaflows-lib.configMap" -}}
{{- $prefix := include "velaflows-lib.envPrefix" .Values.component -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "velaflows-lib.fullname" . }}-env
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
data:
  HOST: "0.0.0.0"
  LOG_LEVEL: {{ .Values.logLevel | quote }}
  NODE_ENV: "production"
  NODE_OPTIONS: {{ printf "--max-old-space-size=%s" (include "velaflows-lib.maxOldSpaceMiB" .) | quote }}
  SHUTDOWN_DRAIN_MS: {{ .Values.shutdown.drainMs | quote }}
  SHUTDOWN_TIMEOUT_MS: {{ .Values.shutdown.timeoutMs | quote }}
  {{- if .Values.global.otel.enabled }}
  OTEL_EXPORTER_OTLP_ENDPOINT: {{ .Values.global.otel.endpoint | quote }}
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf"
  OTEL_SEMCONV_STABILITY_OPT_IN: "rpc,http,database"
  {{- else }}
  OTEL_SDK_DISABLED: "true"
  {{- end }}
  {{- if eq .Values.role "service" }}
  {{ $prefix }}_GRPC_PORT: {{ .Values.ports.grpc | quote }}
  {{ $prefix }}_HTTP_PORT: {{ .Values.ports.http | quote }}
  {{- if .Values.database.enabled }}
  DATABASE_POOL_SIZE: {{ .Values.database.poolSize | quote }}
  {{- end }}
  {{- range $dep := .Values.dependsOn }}
  {{ include "velaflows-lib.envPrefix" $dep.name }}_ADDR: {{ include "velaflows-lib.grpcAddress" (dict "fullname" (include "velaflows-lib.fullnameFor" (dict "release" $.Release.Name "component" $dep.name "override" "")) "namespace" $.Release.Namespace "clusterDomain" $.Values.global.clusterDomain "port" $dep.port) | quote }}
  {{- end }}
  {{- else }}
  GATEWAY_PORT: {{ .Values.ports.http | quote }}
  GATEWAY_GRPC_PORT: {{ .Values.ports.grpc | quote }}
  TRUST_PROXY: {{ .Values.trustProxy | quote }}
  AUTH_ISSUER: {{ .Values.auth.issuer | quote }}
  AUTH_AUDIENCE: {{ .Values.auth.audience | quote }}
  {{- with .Values.auth.jwksUrl }}
  AUTH_JWKS_URL: {{ . | quote }}
  {{- end }}
  {{- with .Values.corsOrigins }}
  CORS_ORIGINS: {{ join "," . | quote }}
  {{- end }}
  {{- if and .Values.redis.enabled (not .Values.global.redis.existingUrlSecret.name) }}
  REDIS_URL: {{ .Values.global.redis.url | quote }}
  {{- end }}
  {{- if not .Values.upstreams.configMap }}
  {{- range $name, $upstream := .Values.upstreams.services }}
  {{ include "velaflows-lib.envPrefix" $name }}_ADDR: {{ include "velaflows-lib.grpcAddress" (dict "fullname" ($upstream.host | default (include "velaflows-lib.fullnameFor" (dict "release" $.Release.Name "component" $name "override" ""))) "namespace" $.Release.Namespace "clusterDomain" $.Values.global.clusterDomain "port" $upstream.port) | quote }}
  {{- end }}
  {{- end }}
  {{- end }}
  {{- range $name, $value := .Values.env }}
  {{ $name }}: {{ $value | quote }}
  {{- end }}
{{- end -}}

{{- define "velaflows-lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  {{- if eq .Values.role "service" }}
  # Headless: grpc-js resolves every ready pod (dns:///) and balances calls round-robin itself;
  # a ClusterIP would pin each long-lived HTTP/2 connection to one pod.
  clusterIP: None
  publishNotReadyAddresses: false
  {{- else }}
  type: ClusterIP
  {{- end }}
  selector:
    {{- include "velaflows-lib.selectorLabels" . | nindent 4 }}
  ports:
    {{- if eq .Values.role "service" }}
    - name: grpc
      port: {{ .Values.ports.grpc }}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    - name: metrics
      port: {{ .Values.ports.http }}
      targetPort: metrics
      protocol: TCP
      appProtocol: http
    {{- else }}
    - name: http
      port: {{ .Values.ports.http }}
      targetPort: http
      protocol: TCP
      appProtocol: http
    - name: grpc
      port: {{ .Values.ports.grpc }}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    {{- end }}
{{- end -}}

{{- define "velaflows-lib.probe" -}}
{{- $p := .probe -}}
{{- if eq $p.type "grpc" }}
grpc:
  port: {{ .ctx.Values.ports.grpc }}
  service: {{ $p.grpcService | default "" | quote }}
{{- else }}
httpGet:
  path: {{ $p.path }}
  port: {{ ternary "metrics" "http" (eq .ctx.Values.role "service") }}
{{- end }}
periodSeconds: {{ $p.periodSeconds }}
timeoutSeconds: {{ $p.timeoutSeconds }}
failureThreshold: {{ $p.failureThreshold }}
{{- end -}}

{{- define "velaflows-lib.deployment" -}}
{{- $fullname := include "velaflows-lib.fullname" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullname }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "velaflows-lib.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # A new pod serves only after its migrations ran (the kit holds a PostgreSQL advisory lock
      # while migrating, so replicas starting together migrate once); old pods keep serving.
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "velaflows-lib.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "velaflows-lib.configMap" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $fullname }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Values.component }}
          image: {{ include "velaflows-lib.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: grpc
              containerPort: {{ .Values.ports.grpc }}
              protocol: TCP
            - name: {{ ternary "metrics" "http" (eq .Values.role "service") }}
              containerPort: {{ .Values.ports.http }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $fullname }}-env
            {{- if and (eq .Values.role "gateway") .Values.upstreams.configMap }}
            - configMapRef:
                name: {{ tpl .Values.upstreams.configMap . }}
            {{- end }}
          env:
            - name: K8S_POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: OTEL_SERVICE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['app.kubernetes.io/name']
            {{- if and (eq .Values.role "service") .Values.database.enabled }}
            {{- if .Values.database.existingUrlSecret.name }}
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.database.existingUrlSecret.name }}
                  key: {{ .Values.database.existingUrlSecret.key }}
            {{- else }}
            - name: DATABASE_USER
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.database.secretName | default (printf "velaflows-db-%s" .Values.component) }}
                  key: username
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.database.secretName | default (printf "velaflows-db-%s" .Values.component) }}
                  key: password
            - name: DATABASE_URL
              value: {{ printf "postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@%s:%v/%s%s" .Values.global.postgres.host .Values.global.postgres.port .Values.database.name (ternary (printf "?%s" .Values.global.postgres.params) "" (ne .Values.global.postgres.params "")) | quote }}
            {{- end }}
            {{- end }}
            {{- if and (eq .Values.role "gateway") .Values.redis.enabled .Values.global.redis.existingUrlSecret.name }}
            - name: REDIS_URL
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.global.redis.existingUrlSecret.name }}
                  key: {{ .Values.global.redis.existingUrlSecret.key }}
            {{- end }}
            {{- range .Values.secretEnv }}
            - name: {{ .name }}
              valueFrom:
                secretKeyRef:
                  name: {{ .secretName }}
                  key: {{ .key }}
            {{- end }}
            # Last, so that $(K8S_POD_NAME) above is expanded.
            - name: OTEL_RESOURCE_ATTRIBUTES
              value: {{ printf "service.namespace=velaflows,service.version=%s,deployment.environment.name=%s,k8s.pod.name=$(K8S_POD_NAME)" (include "velaflows-lib.version" .) .Values.global.environment | quote }}
          startupProbe:
            {{- include "velaflows-lib.probe" (dict "probe" .Values.probes.startup "ctx" .) | trim | nindent 12 }}
          readinessProbe:
            {{- include "velaflows-lib.probe" (dict "probe" .Values.probes.readiness "ctx" .) | trim | nindent 12 }}
          livenessProbe:
            {{- include "velaflows-lib.probe" (dict "probe" .Values.probes.liveness "ctx" .) | trim | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            privileged: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .Values.tmpSizeLimit }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if .Values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- range .Values.topologySpreadConstraints }}
        - maxSkew: {{ .maxSkew | default 1 }}
          topologyKey: {{ .topologyKey }}
          whenUnsatisfiable: {{ .whenUnsatisfiable | default "ScheduleAnyway" }}
          labelSelector:
            matchLabels:
              {{- include "velaflows-lib.selectorLabels" $ | nindent 14 }}
        {{- end }}
      {{- end }}
{{- end -}}

{{- define "velaflows-lib.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "velaflows-lib.selectorLabels" . | nindent 6 }}
{{- end -}}

{{- define "velaflows-lib.hpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "velaflows-lib.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  {{- with .Values.autoscaling.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/*
Default deny for this workload (both directions), then only: its callers (and the gateway's
ingress controller) on the serving port, the monitoring namespace on the metrics port; egress to
DNS, declared dependencies, PostgreSQL, RabbitMQ, Redis and the OpenTelemetry collector.
*/}}
{{- define "velaflows-lib.networkPolicy" -}}
{{- $g := .Values.global -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "velaflows-lib.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    {{- if eq .Values.role "service" }}
    {{- if .Values.callers }}
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/part-of: velaflows
            matchExpressions:
              - key: app.kubernetes.io/name
                operator: In
                values:
                  {{- toYaml .Values.callers | nindent 18 }}
      ports:
        - port: grpc
          protocol: TCP
    {{- end }}
    {{- else }}
    - from:
        {{- include "velaflows-lib.peerList" $g.networkPolicy.ingressController | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
        - port: grpc
          protocol: TCP
    {{- end }}
    - from:
        {{- include "velaflows-lib.peerList" $g.networkPolicy.monitoring | nindent 8 }}
      ports:
        - port: {{ ternary "metrics" "http" (eq .Values.role "service") }}
          protocol: TCP
    {{- with .Values.networkPolicy.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    - to:
        {{- include "velaflows-lib.peerList" $g.networkPolicy.dns | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- $deps := list -}}
    {{- if eq .Values.role "service" -}}
    {{- range .Values.dependsOn }}{{ $deps = append $deps (dict "name" .name "port" .port) }}{{ end -}}
    {{- else -}}
    {{- range $name, $u := .Values.upstreams.services }}{{ $deps = append $deps (dict "name" $name "port" $u.port) }}{{ end -}}
    {{- end }}
    {{- range $deps }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ .name }}
              app.kubernetes.io/part-of: velaflows
      ports:
        - port: {{ .port }}
          protocol: TCP
    {{- end }}
    {{- if and (eq .Values.role "service") .Values.database.enabled }}
    - to:
        {{- include "velaflows-lib.peerList" $g.postgres.peer | nindent 8 }}
      ports:
        - port: {{ $g.postgres.port }}
          protocol: TCP
    {{- end }}
    {{- if and (eq .Values.role "service") .Values.rabbitmq.enabled }}
    - to:
        {{- include "velaflows-lib.peerList" $g.rabbitmq.peer | nindent 8 }}
      ports:
        - port: {{ $g.rabbitmq.port }}
          protocol: TCP
    {{- end }}
    {{- if and (eq .Values.role "gateway") .Values.redis.enabled }}
    - to:
        {{- include "velaflows-lib.peerList" $g.redis.peer | nindent 8 }}
      ports:
        - port: {{ $g.redis.port }}
          protocol: TCP
    {{- end }}
    {{- if $g.otel.enabled }}
    - to:
        {{- include "velaflows-lib.peerList" $g.otel.peer | nindent 8 }}
      ports:
        {{- range $g.otel.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- with .Values.networkPolicy.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{- define "velaflows-lib.serviceMonitor" -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "velaflows-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
    {{- with .Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "velaflows-lib.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: {{ ternary "metrics" "http" (eq .Values.role "service") }}
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
      # The metrics carry their own `service` label (the component); keep it rather than
      # renaming it exported_service in favour of the Kubernetes Service's name.
      honorLabels: true
  {{- with .Values.serviceMonitor.sampleLimit }}
  sampleLimit: {{ . }}
  {{- end }}
{{- end -}}

{{- define "velaflows-lib.ingress" -}}
{{- $fullname := include "velaflows-lib.fullname" . -}}
{{- $ing := .Values.ingress -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullname }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
  {{- with $ing.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $ing.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with $ing.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- range $ing.hosts }}
    - host: {{ . | quote }}
      http:
        paths:
          {{- range $.Values.publicPaths }}
          - path: {{ . }}
            pathType: Prefix
            backend:
              service:
                name: {{ $fullname }}
                port:
                  name: http
          {{- end }}
    {{- end }}
{{- end -}}

{{- define "velaflows-lib.httpRoute" -}}
{{- $fullname := include "velaflows-lib.fullname" . -}}
{{- $route := .Values.httpRoute -}}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{ $fullname }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "velaflows-lib.labels" . | nindent 4 }}
spec:
  parentRefs:
    {{- toYaml $route.parentRefs | nindent 4 }}
  {{- with $route.hostnames }}
  hostnames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    - matches:
        {{- range .Values.publicPaths }}
        - path:
            type: PathPrefix
            value: {{ . }}
        {{- end }}
      backendRefs:
        - name: {{ $fullname }}
          port: {{ .Values.ports.http }}
{{- end -}}
