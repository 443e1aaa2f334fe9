{{- define "switchyard.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "switchyard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "switchyard.labels" -}}
app.kubernetes.io/name: {{ include "switchyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "switchyard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: console
{{- end -}}

{{- define "switchyard.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Non-root, read-only root filesystem, no privilege escalation, no capabilities. */}}
{{- define "switchyard.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "switchyard.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* A secret key as an environment variable. */}}
{{- define "switchyard.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* Environment shared by the console and the migration Job: the ConfigMap, then the secrets the console needs. */}}
{{- define "switchyard.commonEnv" -}}
{{ include "switchyard.secretEnv" (dict "name" "SWITCHYARD_SECRET" "secret" .Values.existingSecret "key" .Values.secretKeys.sessionSecret) }}
{{ include "switchyard.secretEnv" (dict "name" "SWITCHYARD_ENCRYPTION_KEY" "secret" .Values.existingSecret "key" .Values.secretKeys.encryptionKey) }}
{{ include "switchyard.secretEnv" (dict "name" "DATABASE_URL" "secret" .Values.existingSecret "key" .Values.secretKeys.databaseUrl) }}
{{ include "switchyard.secretEnv" (dict "name" "SWITCHYARD_LDAP_BIND_PASSWORD" "secret" .Values.existingSecret "key" .Values.secretKeys.ldapBindPassword "optional" true) }}
- name: SWITCHYARD_DATA_DIR
  value: /var/lib/switchyard
{{- end -}}
