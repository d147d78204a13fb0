/* escalation-policies.tf */

resource "pagerduty_escalation_policy" "harbour-esc-policy" {
  name = "Harbour Policy"
  num_loops = 5

  rule {
    escalation_delay_in_minutes = 15
    target {
      type = "schedule_reference"
      id = "${pagerduty_schedule.harbour-schedule.id}"
    }
  }
  rule {
    escalation_delay_in_minutes = 15
    target {
      type = "user_reference"
      id = "${pagerduty_user.ines_roa.id}"
    }
  }
}

resource "pagerduty_escalation_policy" "fleet-esc-policy" {
  name = "Fleet Policy"
  num_loops = 5
  teams = ["${pagerduty_team.fleet.id}"]

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id = "${pagerduty_schedule.fleet-schedule.id}"
    }
    target {
      type = "schedule_reference"
      id = "${pagerduty_schedule.harbour-schedule.id}"
    }
  }
}
