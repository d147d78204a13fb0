/* schedules.tf */

resource "pagerduty_schedule" "harbour-schedule" {
  name = "Harbour on-call"
  time_zone = "Europe/Amsterdam"
  layer {
    name = "Layer 1"
    rotation_turn_length_seconds = 604800
    start = "2021-02-01T10:00:00+01:00"
    rotation_virtual_start = "2021-02-01T10:00:00+01:00"
    users = ["${pagerduty_user.maren_ost.id}", "${pagerduty_user.teo_vale.id}", "${pagerduty_user.ines_roa.id}"]
  }
}
resource "pagerduty_schedule" "fleet-schedule" {
  name = "Fleet on-call"
  time_zone = "Europe/Amsterdam"
  layer {
    name = "Layer 1"
    rotation_turn_length_seconds = 1209600
    start = "2021-02-08T10:00:00+01:00"
    rotation_virtual_start = "2021-02-08T10:00:00+01:00"
    users = ["${pagerduty_user.teo_vale.id}", "${pagerduty_user.maren_ost.id}"]
  }
}
