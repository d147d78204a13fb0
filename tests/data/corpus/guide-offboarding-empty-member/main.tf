# PagerDuty's offboarding recipe in Terraform: the event that ran with the leaver ends, and a
# successor with the same window and recurrence keeps the leaver's slot as an empty member, so
# the others keep their weeks.
resource "pagerduty_user" "bo" {
  name  = "Bo Engel"
  email = "bo@example.org"
}

resource "pagerduty_user" "cy" {
  name  = "Cy Dorn"
  email = "cy@example.org"
}

resource "pagerduty_user" "al" {
  name  = "Al Berg"
  email = "al@example.org"
}

resource "pagerduty_schedulev2" "primary" {
  name        = "Primary On-Call"
  time_zone   = "America/Los_Angeles"
  description = "after Al left"

  rotation {
    event {
      name            = "Primary on-call"
      start_time      = "2026-01-05T09:00:00-08:00"
      end_time        = "2026-01-05T17:00:00-08:00"
      effective_since = "2026-01-05T17:00:00Z"
      effective_until = "2026-05-11T16:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 1
        member {
          type    = "user_member"
          user_id = pagerduty_user.al.id
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.bo.id
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.cy.id
        }
      }
    }

    event {
      name            = "Primary on-call"
      start_time      = "2026-01-05T09:00:00-08:00"
      end_time        = "2026-01-05T17:00:00-08:00"
      effective_since = "2026-05-11T16:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 1
        member {
          type = "empty_member"
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.bo.id
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.cy.id
        }
      }
    }
  }
}
