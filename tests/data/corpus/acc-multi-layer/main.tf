resource "pagerduty_user" "foo" {
  name        = "tf-acc-multi"
  email       = "tf-acc-multi@example.org"
}

resource "pagerduty_schedule" "foo" {
  name = "tf-acc-multi-schedule"

  time_zone   = "America/Denver"
  description = "foo"

  layer {
    name                         = "foo"
	start                        = "2030-03-04T09:00:00-07:00"
	end = null
    rotation_virtual_start       = "2030-03-04T09:00:00-07:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.foo.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 32101
    }
  }

  layer {
    name                         = "bar"
	start                        = "2030-03-04T09:00:00-07:00"
	end							 = "2030-04-01T09:00:00-06:00"
    rotation_virtual_start       = "2030-03-04T09:00:00-07:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.foo.id]

    restriction {
      type              = "weekly_restriction"
      start_time_of_day = "08:00:00"
			start_day_of_week = 5
      duration_seconds  = 32101
    }
  }

  layer {
    name                         = "foobar"
	start                        = "2030-03-04T09:00:00-07:00"
	end = null
    rotation_virtual_start       = "2030-03-04T09:00:00-07:00"
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
