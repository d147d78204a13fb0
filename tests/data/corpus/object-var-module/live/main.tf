resource "pagerduty_user" "lisa" {
  name  = "Lisa Harte"
  email = "lisa@example.com"
}

resource "pagerduty_user" "bart" {
  name  = "Bart Osei"
  email = "bart@example.com"
}

resource "pagerduty_team" "checkout" {
  name = "Checkout"
}

module "checkout_night" {
  source = "../modules/schedules"
  name   = "Checkout Night Shift"
  layers = {
    name                         = "Night Shift"
    start                        = "2022-10-27T20:00:00-07:00"
    rotation_virtual_start       = "2022-10-27T17:00:00-07:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.lisa.id, pagerduty_user.bart.id]
    teams                        = [pagerduty_team.checkout.id]
    restriction = {
      type              = "daily_restriction"
      start_time_of_day = "07:00:00"
      duration_seconds  = 54000
      ignored_extra     = "dropped by the object type"
    }
  }
}
