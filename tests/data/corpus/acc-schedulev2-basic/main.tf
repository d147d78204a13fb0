# The shape of the provider's basic acceptance test: one rotation, one event of one user, a
# rotating strategy without shifts_per_member (the provider sends 1), effective a day after the
# event's own start. The test computes its dates when it runs; here they are fixed.
resource "pagerduty_user" "test" {
  name  = "Acc Test User"
  email = "acc-test@example.com"
}

resource "pagerduty_schedulev2" "test" {
  name        = "Acc Schedule V2"
  time_zone   = "America/New_York"
  description = "acceptance test"

  rotation {
    event {
      name            = "On-call"
      start_time      = "2026-07-01T09:00:00Z"
      end_time        = "2026-07-01T17:00:00Z"
      effective_since = "2026-07-02T10:30:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type = "rotating_member_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.test.id
        }
      }
    }
  }
}
