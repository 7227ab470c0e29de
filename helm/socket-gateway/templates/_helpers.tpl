{{/*
Chart name, cut to 63 characters (DNS label limit).
*/}}
{{- define "socket-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: release name plus chart name, unless the release name already contains it.
*/}}
{{- define "socket-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "socket-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "socket-gateway.labels" -}}
helm.sh/chart: {{ include "socket-gateway.chart" . }}
{{ include "socket-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Labels that select the gateway pods (never change them after the first install).
*/}}
{{- define "socket-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "socket-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
ServiceAccount name.
*/}}
{{- define "socket-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "socket-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: repository plus digest, or tag (default: appVersion).
*/}}
{{- define "socket-gateway.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the API keys; empty when the API stays open.
*/}}
{{- define "socket-gateway.apiKeysSecretName" -}}
{{- if .Values.apiKeys.existingSecret }}
{{- .Values.apiKeys.existingSecret }}
{{- else if .Values.apiKeys.keys }}
{{- printf "%s-api-keys" (include "socket-gateway.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Key inside the API-key Secret.
*/}}
{{- define "socket-gateway.apiKeysSecretKey" -}}
{{- if .Values.apiKeys.existingSecret }}
{{- .Values.apiKeys.existingSecretKey }}
{{- else }}
{{- "api-keys" }}
{{- end }}
{{- end }}

{{/*
application.yaml rendered from .Values.gateway and .Values.extraConfig.
*/}}
{{- define "socket-gateway.applicationYaml" -}}
{{- $gateway := dict }}
{{- with .Values.gateway.targets }}{{ $_ := set $gateway "targets" . }}{{ end }}
{{- $_ := set $gateway "policy" .Values.gateway.policy }}
{{- with .Values.gateway.limits }}{{ $_ := set $gateway "limits" . }}{{ end }}
{{- with .Values.gateway.timeouts }}{{ $_ := set $gateway "timeouts" . }}{{ end }}
{{- with .Values.gateway.pool }}{{ $_ := set $gateway "pool" . }}{{ end }}
{{- $_ := set $gateway "listeners" .Values.gateway.listeners }}
{{- $config := deepCopy .Values.extraConfig }}
{{- $_ := set $config "gateway" $gateway }}
{{- toYaml $config }}
{{- end }}
