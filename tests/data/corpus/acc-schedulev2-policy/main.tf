# A policy whose first level targets a shift-based schedule with schedule_reference, the form the
# provider's WithEscalationPolicy test and the data source's docs use; the second level a user.
resource "pagerduty_user" "lead" {
  name  = "Team Lead"
  email = "lead@example.com"
}

resource "pagerduty_user" "oncall" {
  name  = "On Caller"
  email = "oncall@example.com"
}

resource "pagerduty_schedulev2" "test" {
  name        = "Primary V2"
  time_zone   = "America/New_York"
  description = "targeted by a policy"

  rotation {
    event {
      name            = "Business hours"
      start_time      = "2026-07-01T09:00:00Z"
      end_time        = "2026-07-01T17:00:00Z"
      effective_since = "2026-07-02T10:30:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type = "rotating_member_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.oncall.id
        }
      }
    }
  }
}

resource "pagerduty_escalation_policy" "test" {
  name      = "Primary V2 Policy"
  num_loops = 2

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = pagerduty_schedulev2.test.id
    }
  }

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = pagerduty_user.lead.id
    }
  }
}
