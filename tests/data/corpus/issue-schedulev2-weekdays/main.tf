# The configuration of the provider issue about event IDs: Berlin, weekday shifts handed over
# weekly (shifts_per_member 5 over five BYDAY days, the web editor's "weekly handoff"), users
# given as variables. The issue's end_time has a typo (T017); this one does not.
variable "engineers" {
  type    = list(string)
  default = ["karl@example.de", "lena@example.de", "mira@example.de"]
}

data "pagerduty_user" "engineer" {
  for_each = toset(var.engineers)
  email    = each.value
}

resource "pagerduty_schedulev2" "weekdays" {
  name        = "Berlin Weekdays"
  time_zone   = "Europe/Berlin"
  description = "weekdays"

  rotation {
    event {
      name            = "Weekdays"
      start_time      = "2026-04-27T09:00:00Z" # A Monday
      end_time        = "2026-04-27T17:00:00Z"
      effective_since = "2026-04-27T09:00:00Z"
      recurrence      = ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]

      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 5

        dynamic "member" {
          for_each = var.engineers
          content {
            type    = "user_member"
            user_id = data.pagerduty_user.engineer[member.value].id
          }
        }
      }
    }
  }
}
