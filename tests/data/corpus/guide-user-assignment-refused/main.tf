# The provider's migration guide writes its events with the assignment type it has since
# removed (a breaking change): the provider's validator refuses it, and so does the import.
resource "pagerduty_user" "oncall" {
  name  = "On Call"
  email = "oncall@example.com"
}

resource "pagerduty_schedulev2" "business_hours" {
  name        = "Business Hours On-Call"
  time_zone   = "Etc/UTC"
  description = "from the guide"

  rotation {
    event {
      name            = "Weekday Business Hours"
      start_time      = "2026-02-23T09:00:00Z"
      end_time        = "2026-02-23T17:00:00Z"
      effective_since = "2026-02-23T09:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type = "user_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.oncall.id
        }
      }
    }
  }
}
