resource "pagerduty_schedule" "schedule" {
  name        = var.name
  description = var.description
  time_zone   = var.time_zone

  layer {
    # named as the PagerDuty UI names layers
    name                         = "Layer 1"
    start                        = var.start_datetime
    rotation_virtual_start       = var.start_datetime
    rotation_turn_length_seconds = var.rotation_turn_length_seconds
    users                        = var.user_ids
  }

  teams = var.team_ids
}

output "id" {
  value = pagerduty_schedule.schedule.id
}
