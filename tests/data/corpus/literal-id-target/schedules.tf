resource "pagerduty_schedule" "north-schedule" {
  name      = "On-call - North"
  time_zone = "America/Chicago"
  layer {
    name                         = "Layer 1"
    rotation_turn_length_seconds = 604800
    start                        = "2022-09-05T12:00:00-05:00"
    rotation_virtual_start       = "2022-09-05T12:00:00-05:00"
    users                        = [pagerduty_user.wren.id, pagerduty_user.suki.id]
  }
}
