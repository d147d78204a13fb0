data "pagerduty_schedule" "test" {
  name = "Weekend Engineering Rotation"
}

resource "pagerduty_escalation_policy" "foo" {
  name      = "Weekend Escalation Policy"
  num_loops = 2

  rule {
    escalation_delay_in_minutes = 10

    target {
      type = "schedule"
      id   = data.pagerduty_schedule.test.id
    }
  }
}
