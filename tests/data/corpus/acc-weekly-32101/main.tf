resource "pagerduty_user" "foo" {
  name  = "tf-acc-user"
  email = "tf-acc-user@example.org"
}

resource "pagerduty_schedule" "foo" {
  name = "tf-acc-schedule"

  time_zone   = "Europe/Berlin"
  description = "foo"

  layer {
    name                         = "foo"
    start                        = "2030-01-07T08:00:00+01:00"
    rotation_virtual_start       = "2030-01-07T08:00:00+01:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.foo.id]

    restriction {
      type              = "weekly_restriction"
      start_time_of_day = "08:00:00"
			start_day_of_week = 1
      duration_seconds  = 32101
    }
  }
}
