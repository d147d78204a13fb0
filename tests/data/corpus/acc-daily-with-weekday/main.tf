# The provider refuses a start_day_of_week on a daily restriction (its acceptance test expects
# the error): so does the import, naming the line.
resource "pagerduty_user" "foo" {
  name  = "tf-acc-daily"
  email = "tf-acc-daily@example.org"
}

resource "pagerduty_schedule" "foo" {
  name = "tf-acc-daily-schedule"

  time_zone   = "Europe/Paris"
  description = "foo"

  layer {
    name                         = "foo"
    start                        = "2030-01-07T08:00:00+01:00"
    rotation_virtual_start       = "2030-01-07T08:00:00+01:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.foo.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 32101
	  start_day_of_week = 5
    }
  }
}
