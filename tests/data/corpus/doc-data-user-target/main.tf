data "pagerduty_user" "me" {
  email = "me@example.org"
}

resource "pagerduty_escalation_policy" "foo" {
  name      = "Just Me"
  num_loops = 2

  rule {
    escalation_delay_in_minutes = 10

    target {
      type = "user_reference"
      id   = data.pagerduty_user.me.id
    }
  }
}
