#team escalation policies
resource "pagerduty_escalation_policy" "desk" {
  name      = "Page the Desk"
  num_loops = 1

  rule {
    escalation_delay_in_minutes = 30
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.Desk_Day_Shift.id
    }
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.Desk_Night_Shift.id
    }
  }
  #if the desk does not answer, Fred is paged
  rule {
    escalation_delay_in_minutes = 1 #a machine answers fast
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.fred_always.id
    }
  }
}
