# The shape of the updated configurations of the provider's acceptance tests: the zone moved to
# Los Angeles, a first event that ends (effective_until), a second rotation whose event turned
# daily, and offsets written on the times.
resource "pagerduty_user" "test" {
  name  = "Acc Test User"
  email = "acc-test@example.com"
}

resource "pagerduty_schedulev2" "test" {
  name        = "Acc Schedule V2 Updated"
  time_zone   = "America/Los_Angeles"
  description = "updated"

  rotation {
    event {
      name            = "Weekdays"
      start_time      = "2026-07-01T09:00:00-07:00"
      end_time        = "2026-07-01T17:00:00-07:00"
      effective_since = "2026-07-02T10:30:00Z"
      effective_until = "2026-09-01T00:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 1
        member {
          type    = "user_member"
          user_id = pagerduty_user.test.id
        }
      }
    }
  }

  rotation {
    event {
      name            = "Daily"
      start_time      = "2026-07-01T09:00:00Z"
      end_time        = "2026-07-01T17:00:00Z"
      effective_since = "2026-07-02T10:30:00Z"
      recurrence      = ["RRULE:FREQ=DAILY"]

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
