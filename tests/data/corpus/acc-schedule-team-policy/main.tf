resource "pagerduty_user" "foo" {
  name  = "tf-acc-dep"
  email = "tf-acc-dep@example.org"
}

resource "pagerduty_team" "foo" {
	name = "tf-acc-team"
	description = "fighters"
}

resource "pagerduty_schedule" "foo" {
  name = "tf-acc-dep-schedule"

  time_zone   = "Asia/Tokyo"
  description = "foo"

  teams = [pagerduty_team.foo.id]

  layer {
    name                         = "foo"
    start                        = "2030-05-06T09:00:00+09:00"
    rotation_virtual_start       = "2030-05-06T09:00:00+09:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.foo.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 32101
    }
  }
}

resource "pagerduty_escalation_policy" "foo" {
  name      = "tf-acc-dep-policy"
  num_loops = 2
  teams     = [pagerduty_team.foo.id]

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = pagerduty_user.foo.id
    }
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.foo.id
    }
  }
  
  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.foo.id
    }
  }
}
