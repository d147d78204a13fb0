variable "name" {
  type = string
}

variable "description" {
  type    = string
  default = null
}

variable "num_loops" {
  type    = number
  default = 0
}

variable "team_id" {
  type    = string
  default = null
}

variable "rules" {
  type = list(object({
    escalation_delay_in_minutes = number
    targets = list(object({
      type = string
      id   = string
    }))
  }))
}

resource "pagerduty_escalation_policy" "this" {
  name        = var.name
  description = var.description
  num_loops   = var.num_loops
  teams       = var.team_id == null ? [] : [var.team_id]

  dynamic "rule" {
    for_each = var.rules
    content {
      escalation_delay_in_minutes = rule.value.escalation_delay_in_minutes

      dynamic "target" {
        for_each = rule.value.targets
        content {
          type = target.value.type
          id   = target.value.id
        }
      }
    }
  }
}

output "escalation_policy_id" {
  value = pagerduty_escalation_policy.this.id
}
