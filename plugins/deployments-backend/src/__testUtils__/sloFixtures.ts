/** deploy/slo.yaml as the Kotlin service template (v2) renders it. */
export const SLO_FILE = `# Service level objectives (OpenSLO v1). The portal shows them with their
# error budgets on the project page.
apiVersion: openslo/v1
kind: SLO
metadata:
  name: orders-kt-availability
  displayName: Availability
spec:
  description: Requests answered without a server error
  service: orders-kt
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: orders-kt-non-5xx
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_server_requests_seconds_count{application="orders-kt",status!~"5.."}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_server_requests_seconds_count{application="orders-kt"}[5m]))
  objectives:
    - displayName: 99.5 % of requests succeed
      target: 0.995
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: orders-kt-latency
  displayName: Latency
spec:
  description: Requests answered within 300 ms
  service: orders-kt
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: orders-kt-fast
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_server_requests_seconds_bucket{application="orders-kt",le="0.3"}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_server_requests_seconds_count{application="orders-kt"}[5m]))
  objectives:
    - displayName: 95 % of requests within 300 ms
      target: 0.95
`;

export const GOOD_AVAILABILITY_QUERY =
  'sum(rate(http_server_requests_seconds_count{application="orders-kt",status!~"5.."}[5m]))';
export const TOTAL_QUERY =
  'sum(rate(http_server_requests_seconds_count{application="orders-kt"}[5m]))';
