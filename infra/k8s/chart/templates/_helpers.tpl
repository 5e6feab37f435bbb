{{/* Labels every object of the chart carries. */}}
{{- define "thoras.labels" -}}
app.kubernetes.io/name: thoras-functions
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The control-plane namespace. */}}
{{- define "thoras.namespace" -}}
{{- required "controlPlane.namespace must be set" .Values.controlPlane.namespace -}}
{{- end -}}

{{/* The subjects the app's roles are bound to. */}}
{{- define "thoras.subjects" -}}
{{- if .Values.serviceAccount.create }}
- kind: ServiceAccount
  name: {{ .Values.serviceAccount.name }}
  namespace: {{ include "thoras.namespace" . }}
{{- end }}
{{- with .Values.rbac.extraSubjects }}
{{ toYaml . }}
{{- end }}
{{- end -}}
