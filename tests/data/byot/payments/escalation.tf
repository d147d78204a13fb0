resource "pagerduty_escalation_policy" "payments" {
  name      = "Payments Escalation"
  num_loops = 1
  teams     = [pagerduty_team.payments.id]

  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.payments_primary.id
    }
  }

  rule {
    escalation_delay_in_minutes = 10
    escalation_rule_assignment_strategy {
      type = "round_robin"
    }
    target {
      type = "user_reference"
      id   = pagerduty_user.amara.id
    }
    target {
      type = "user_reference"
      id   = pagerduty_user.bjorn.id
    }
    target {
      id = pagerduty_user.chen.id
    }
  }

  rule {
    escalation_delay_in_minutes = 15
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.payments_secondary.id
    }
    target {
      type = "user_reference"
      id   = pagerduty_user.lead.id
    }
  }
}
