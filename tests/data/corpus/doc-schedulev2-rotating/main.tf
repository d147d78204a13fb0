# Two people hand a weekday on-call over every working week, for one team. The anchor is written
# in UTC as the provider's docs write theirs: 09:00Z is 05:00 in New York in June.
resource "pagerduty_team" "platform" {
  name = "Platform"
}

resource "pagerduty_user" "ines" {
  name  = "Ines Varga"
  email = "ines@example.net"
}

resource "pagerduty_user" "otto" {
  name  = "Otto Lind"
  email = "otto@example.net"
}

resource "pagerduty_schedulev2" "platform" {
  name        = "Platform Rotation"
  time_zone   = "America/New_York"
  description = "Weekday shifts, handed over weekly"
  teams       = [pagerduty_team.platform.id]

  rotation {
    event {
      name            = "Weekday Shift"
      start_time      = "2026-06-01T09:00:00Z"
      end_time        = "2026-06-01T17:00:00Z"
      effective_since = "2026-06-01T09:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 5

        member {
          type    = "user_member"
          user_id = pagerduty_user.ines.id
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.otto.id
        }
      }
    }
  }
}
