resource "pagerduty_user" "primary" {
  name  = "Runa Falk"
  email = "runa@example.org"
}

resource "pagerduty_user" "secondary" {
  name  = "Sten Falk"
  email = "sten@example.org"
}

resource "pagerduty_schedulev2" "all_hands" {
  name      = "Weekend All-Hands"
  time_zone = "Etc/UTC"

  rotation {
    event {
      name            = "Weekend Coverage"
      start_time      = "2026-06-06T00:00:00Z"
      end_time        = "2026-06-07T23:59:00Z"
      effective_since = "2026-06-06T00:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=SA,SU"]

      assignment_strategy {
        type = "every_member_assignment_strategy"

        member {
          type    = "user_member"
          user_id = pagerduty_user.primary.id
        }

        member {
          type    = "user_member"
          user_id = pagerduty_user.secondary.id
        }
      }
    }
  }
}

resource "pagerduty_escalation_policy" "weekend" {
  name = "Weekend"

  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = pagerduty_schedulev2.all_hands.id
    }
  }
}
