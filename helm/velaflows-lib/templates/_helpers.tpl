{{/*
Names and labels. The selector uses only the immutable pair (name, instance); NetworkPolicies
select peers by name and part-of so that per-service releases and the umbrella behave alike.
*/}}

{{- define "velaflows-lib.name" -}}
{{- .Values.component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* fullname for a component: (dict "release" "rel" "component" "tags" "override" "") */}}
{{- define "velaflows-lib.fullnameFor" -}}
{{- if .override -}}
{{- .override | trunc 63 | trimSuffix "-" -}}
{{- else if eq .release .component -}}
{{- .component | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .release .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "velaflows-lib.fullname" -}}
{{- include "velaflows-lib.fullnameFor" (dict "release" .Release.Name "component" .Values.component "override" .Values.fullnameOverride) -}}
{{- end -}}

{{- define "velaflows-lib.version" -}}
{{- .Values.image.tag | default .Values.global.imageTag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "velaflows-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "velaflows-lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "velaflows-lib.labels" -}}
{{ include "velaflows-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ include "velaflows-lib.version" . | quote }}
app.kubernetes.io/component: {{ .Values.role }}
app.kubernetes.io/part-of: velaflows
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "velaflows-lib.image" -}}
{{- $registry := .Values.image.registry | default .Values.global.imageRegistry -}}
{{- $repository := .Values.image.repository -}}
{{- if .Values.image.digest -}}
{{- printf "%s%s@%s" (ternary (printf "%s/" $registry) "" (ne $registry "")) $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s%s:%s" (ternary (printf "%s/" $registry) "" (ne $registry "")) $repository (include "velaflows-lib.version" .) -}}
{{- end -}}
{{- end -}}

{{/* A Kubernetes memory quantity in whole MiB ("256Mi", "1Gi", "512M", "1G"). */}}
{{- define "velaflows-lib.memoryMiB" -}}
{{- $m := toString . -}}
{{- if hasSuffix "Gi" $m -}}{{- mul (trimSuffix "Gi" $m | atoi) 1024 -}}
{{- else if hasSuffix "Mi" $m -}}{{- trimSuffix "Mi" $m | atoi -}}
{{- else if hasSuffix "G" $m -}}{{- div (mul (trimSuffix "G" $m | atoi) 1000000000) 1048576 -}}
{{- else if hasSuffix "M" $m -}}{{- div (mul (trimSuffix "M" $m | atoi) 1000000) 1048576 -}}
{{- else -}}{{- fail (printf "resources.limits.memory %q: use Mi, Gi, M or G" $m) -}}
{{- end -}}
{{- end -}}

{{/* --max-old-space-size: heapPercentOfLimit (75 by default) of the memory limit, in MiB. */}}
{{- define "velaflows-lib.maxOldSpaceMiB" -}}
{{- $limit := required "resources.limits.memory is required: the heap size is derived from it" .Values.resources.limits.memory -}}
{{- div (mul (include "velaflows-lib.memoryMiB" $limit | atoi) (int .Values.heapPercentOfLimit)) 100 -}}
{{- end -}}

{{- define "velaflows-lib.replicasAtLeastTwo" -}}
{{- if or (and .Values.autoscaling.enabled (ge (int .Values.autoscaling.minReplicas) 2)) (and (not .Values.autoscaling.enabled) (ge (int .Values.replicaCount) 2)) -}}true{{- end -}}
{{- end -}}

{{/* A one-element list of NetworkPolicy peers from {podSelector, namespaceSelector} values. */}}
{{- define "velaflows-lib.peerList" -}}
{{- $p := dict -}}
{{- if .podSelector }}{{- $_ := set $p "podSelector" .podSelector -}}{{- end -}}
{{- if .namespaceSelector }}{{- $_ := set $p "namespaceSelector" .namespaceSelector -}}{{- end -}}
{{- if not $p }}{{- fail "a NetworkPolicy peer needs a podSelector or a namespaceSelector" -}}{{- end -}}
{{- list $p | toYaml -}}
{{- end -}}

{{/* The environment variable name prefix of a component: "api-tokens" -> "API_TOKENS". */}}
{{- define "velaflows-lib.envPrefix" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{/* dns:/// address of a component's gRPC port inside the cluster. */}}
{{- define "velaflows-lib.grpcAddress" -}}
{{- printf "dns:///%s.%s.svc.%s:%v" .fullname .namespace .clusterDomain .port -}}
{{- end -}}
