variable "team" {
  type = string
}

variable "user_ids" {
  type = list(string)
}

variable "team_id" {
  type = string
}

resource "pagerduty_schedule" "primary" {
  name        = "${title(var.team)} Primary"
  time_zone   = "Europe/London"
  description = "Weekly, weekdays"
  teams       = [var.team_id]

  layer {
    name                         = "Weekly"
    start                        = "2025-01-06T09:00:00Z"
    rotation_virtual_start       = "2025-01-06T09:00:00Z"
    rotation_turn_length_seconds = 604800
    users                        = var.user_ids

    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 1
      start_time_of_day = "09:00:00"
      duration_seconds  = 388800
    }
  }
}

output "schedule_id" {
  value = pagerduty_schedule.primary.id
}
