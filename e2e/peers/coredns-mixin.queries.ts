/**
 * The PromQL of CoreDNS's monitoring mixin, as data: povilasv/coredns-mixin dashboards/coredns.libsonnet (the CoreDNS
 * dashboard's panels) and alerts/coredns.libsonnet, alerts/forward.libsonnet, with its config.libsonnet's defaults
 * filled in (`corednsSelector` job="kube-dns" here, `instanceLabel` pod). Labels a Prometheus scrape adds (job, pod,
 * instance) are not the server's to serve.
 */

/** TARGET_LABELS are added by Prometheus to every scraped series. */
export const TARGET_LABELS: readonly string[] = ["job", "pod", "instance", "k8s_app"];

const S = 'job="kube-dns",pod=~"$instance"';

/** QUERIES are the dashboard's and the alerts' expressions, each with the panel or alert it comes from. */
export const QUERIES: readonly (readonly [from: string, expr: string])[] = [
  ["panel Panics", 'sum(coredns_panics_total{job="kube-dns"})'],
  ["panel RPC Rate", `sum(rate(coredns_dns_responses_total{${S}}[$__rate_interval])) by (rcode)`],
  ["panel RPC Rate", `sum(rate(coredns_forward_responses_total{${S}}[$__rate_interval])) by (rcode)`],
  ["panel Request duration 99th quantile", `histogram_quantile(0.99, sum(rate(coredns_dns_request_duration_seconds_bucket{${S}}[$__rate_interval])) by (server, zone, le))`],
  ["panel Request duration 99th quantile", `histogram_quantile(0.99, sum(rate(coredns_forward_request_duration_seconds_bucket{${S}}[$__rate_interval])) by (to, le))`],
  ["panel Requests (by qtype)", `sum(rate(coredns_dns_requests_total{${S}}[$__rate_interval])) by (type)`],
  ["panel Requests (by zone)", `sum(rate(coredns_dns_requests_total{${S}}[$__rate_interval])) by (zone)`],
  ["panel Forward Requests (by to)", `sum(rate(coredns_forward_requests_total{${S}}[$__rate_interval])) by (to)`],
  ["panel Plugins Enabled", `count(sum(coredns_plugin_enabled{${S}}) by (name))`],
  ["panel Request size", `histogram_quantile(0.99, sum(rate(coredns_dns_request_size_bytes_bucket{${S}}[$__rate_interval])) by (server, zone, proto, le))`],
  ["panel Response size", `histogram_quantile(0.99, sum(rate(coredns_dns_response_size_bytes_bucket{${S}}[$__rate_interval])) by (server, zone, proto, le))`],
  ["panel Cached", `sum(coredns_cache_hits_total{${S}}) / (sum(coredns_cache_misses_total{${S}}) + sum(coredns_cache_hits_total{${S}}))`],
  ["panel Cache hit Rate", `sum(rate(coredns_cache_hits_total{${S}}[$__rate_interval])) by (type)`],
  ["panel Cache hit Rate", `sum(rate(coredns_cache_misses_total{${S}}[$__rate_interval]))`],
  ["panel Cache Size", `sum(coredns_cache_entries{${S}}) by (type)`],
  ["panel Memory", `process_resident_memory_bytes{${S}}`],
  ["panel CPU usage", `rate(process_cpu_seconds_total{${S}}[$__rate_interval])`],
  ["variable instance", 'label_values(coredns_build_info{job="kube-dns"}, pod)'],
  ["alert CoreDNSLatencyHigh", 'histogram_quantile(0.99, sum(rate(coredns_dns_request_duration_seconds_bucket{job="kube-dns"}[5m])) by(server, zone, le)) > 4'],
  ["alert CoreDNSErrorsHigh", 'sum(rate(coredns_dns_responses_total{job="kube-dns",rcode="SERVFAIL"}[5m])) / sum(rate(coredns_dns_responses_total{job="kube-dns"}[5m])) > 0.03'],
  ["alert CoreDNSForwardLatencyHigh", 'histogram_quantile(0.99, sum(rate(coredns_forward_request_duration_seconds_bucket{job="kube-dns"}[5m])) by(to, le)) > 4'],
  ["alert CoreDNSForwardErrorsHigh", 'sum(rate(coredns_forward_responses_total{job="kube-dns",rcode="SERVFAIL"}[5m])) / sum(rate(coredns_forward_responses_total{job="kube-dns"}[5m])) > 0.03'],
];

/**
 * NOT_SERVED are the mixin's series skydns has no counterpart of: Go's goroutines (panel Goroutines), the kubernetes
 * plugin's programming duration (only with the mixin's kubernetesPlugin on), and the forwarder's health checks
 * (skydns tries each upstream in turn instead; kubedns_skydns_forward_failures_total counts what fails).
 */
export const NOT_SERVED: readonly string[] = ["go_goroutines", "coredns_kubernetes_dns_programming_duration_seconds", "coredns_forward_healthcheck_failures_total", "coredns_forward_healthcheck_broken_total"];
