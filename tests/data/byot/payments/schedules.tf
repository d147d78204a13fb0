resource "pagerduty_schedule" "payments_primary" {
  name        = "Payments Primary"
  time_zone   = var.time_zone
  description = "24/7 weekly rotation, business-hours cover on weekdays"
  teams       = [pagerduty_team.payments.id]

  layer {
    name                         = "Weekly"
    start                        = var.rotation_start
    rotation_virtual_start       = var.rotation_start
    rotation_turn_length_seconds = var.turn_seconds
    users = [
      pagerduty_user.amara.id,
      pagerduty_user.bjorn.id,
      pagerduty_user.chen.id,
    ]
  }

  layer {
    name                         = "Weekday days"
    start                        = "2025-02-03T09:00:00Z"
    rotation_virtual_start       = "2025-02-03T09:00:00Z"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.dolores.id, pagerduty_user.amara.id]

    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 1
      start_time_of_day = local.business_hours.start
      duration_seconds  = local.business_hours.duration
    }
  }

  layer {
    name                         = "Old nights"
    start                        = "2024-06-01T00:00:00Z"
    end                          = "2024-12-31T00:00:00Z"
    rotation_virtual_start       = "2024-06-01T00:00:00Z"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.chen.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "22:00:00"
      duration_seconds  = 36000
    }
  }
}

resource "pagerduty_schedule" "payments_secondary" {
  name      = "Payments Secondary"
  time_zone = "Europe/London"

  layer {
    name                         = "Secondary weekly"
    start                        = "2025-02-03T09:00:00Z"
    rotation_virtual_start       = "2025-02-10T09:00:00Z"
    rotation_turn_length_seconds = 604800
    users = [
      pagerduty_user.amara.id,
      pagerduty_user.bjorn.id,
      pagerduty_user.chen.id,
    ]
  }
}
