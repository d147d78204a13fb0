resource "pagerduty_user" "foo" {
  name        = "tf-acc-rr"
  email       = "tf-acc-rr@example.org"
  color       = "green"
  role        = "user"
  job_title   = "foo"
  description = "foo"
}

resource "pagerduty_escalation_policy" "foo" {
  name        = "tf-acc-rr-policy"
  description = "foo"
  num_loops   = 1

  rule {
    escalation_delay_in_minutes = 10
    escalation_rule_assignment_strategy {
      type = "round_robin"
    }

    target {
      type = "user_reference"
      id   = pagerduty_user.foo.id
    }
  }
}
