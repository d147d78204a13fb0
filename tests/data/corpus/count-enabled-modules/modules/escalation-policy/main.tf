resource "pagerduty_escalation_policy" "this" {
  count     = var.enabled ? 1 : 0
  name      = var.name
  num_loops = var.repeat_loops

  rule {
    escalation_delay_in_minutes = var.escalation_delay_in_minutes

    dynamic "target" {
      for_each = var.user_targets
      content {
        type = "user"
        id   = target.value
      }
    }

    dynamic "target" {
      for_each = var.schedule_targets
      content {
        type = "schedule"
        id   = target.value
      }
    }
  }
}

output "id" {
  value = var.enabled ? pagerduty_escalation_policy.this[0].id : ""
}
