resource "pagerduty_team" "example" {
  name = "Night Ops"
}

resource "pagerduty_user" "example" {
  name  = "Hedda Brun"
  email = "hedda.brun@example.org"
  teams = [pagerduty_team.example.id]
}

resource "pagerduty_schedule" "foo" {
  name      = "Nightly Rotation"
  time_zone = "America/New_York"

  layer {
    name                         = "Night Shift"
    start                        = "2015-11-06T20:00:00-05:00"
    rotation_virtual_start       = "2015-11-06T20:00:00-05:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.example.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 32400
    }
  }

  teams = [pagerduty_team.example.id]
}
