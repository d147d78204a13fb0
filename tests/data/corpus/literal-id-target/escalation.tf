resource "pagerduty_escalation_policy" "ops" {
  name = "ops-first"
  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.north-schedule.id
    }
  }
  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = "PQ7RX2B"
    }
  }
}
