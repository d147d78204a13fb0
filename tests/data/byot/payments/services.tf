resource "pagerduty_service" "api" {
  name                    = "Payments API"
  escalation_policy       = pagerduty_escalation_policy.payments.id
  acknowledgement_timeout = "600"
  auto_resolve_timeout    = "null"
  alert_creation          = "create_alerts_and_incidents"
}

data "pagerduty_vendor" "datadog" {
  name = "Datadog"
}

resource "pagerduty_service_integration" "datadog" {
  name    = data.pagerduty_vendor.datadog.name
  service = pagerduty_service.api.id
  vendor  = data.pagerduty_vendor.datadog.id
}

output "escalation_policy_id" {
  value = pagerduty_escalation_policy.payments.id
}
