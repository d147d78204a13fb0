# The every-member acceptance test's shape: all listed members on call together, no
# shifts_per_member, every day.
resource "pagerduty_user" "first" {
  name  = "First Responder"
  email = "first@example.com"
}

resource "pagerduty_user" "second" {
  name  = "Second Responder"
  email = "second@example.com"
}

resource "pagerduty_schedulev2" "all" {
  name        = "Everyone Daily"
  time_zone   = "America/New_York"
  description = "every member at once"

  rotation {
    event {
      name            = "All hands"
      start_time      = "2026-07-01T09:00:00Z"
      end_time        = "2026-07-01T17:00:00Z"
      effective_since = "2026-07-02T10:30:00Z"
      recurrence      = ["RRULE:FREQ=DAILY"]

      assignment_strategy {
        type = "every_member_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.first.id
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.second.id
        }
      }
    }
  }
}
