# written out, the dynamic way below would read:
# resource "pagerduty_schedule" "checkout" {
#   name = "Checkout Schedule"
# }

resource "pagerduty_schedule" "generic_schedule" {
  name      = var.name
  time_zone = var.time_zone

  layer {
    name                         = var.layers.name
    start                        = var.layers.start
    rotation_virtual_start       = var.layers.rotation_virtual_start
    rotation_turn_length_seconds = var.layers.rotation_turn_length_seconds

    users = var.layers.users
    restriction {
    type                =  var.layers.restriction.type
    start_time_of_day   =  var.layers.restriction.start_time_of_day
    duration_seconds    =  var.layers.restriction.duration_seconds
        }
  }

  teams = var.layers.teams
}

output "id" {
  value = pagerduty_schedule.generic_schedule.id
}
