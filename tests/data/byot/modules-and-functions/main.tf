module "oncall_defaults" {
  source  = "app.terraform.io/acme/oncall/pagerduty"
  version = "1.2.0"
  team    = "search"
}

locals {
  people = ["ana", "ben", "cleo"]
  week   = 7 * 24 * 3600
}

resource "pagerduty_user" "ana" {
  name  = "Ana"
  email = "ana@search.example"
}
resource "pagerduty_user" "ben" {
  name  = "Ben"
  email = lower("Ben@Search.example")
}
resource "pagerduty_user" "cleo" {
  name  = "Cleo"
  email = "cleo@search.example"
}

resource "pagerduty_schedule" "search" {
  name      = "Search"
  time_zone = module.oncall_defaults.time_zone

  layer {
    start                        = "2025-01-06T09:00:00-08:00"
    rotation_virtual_start       = "2025-01-06T09:00:00-08:00"
    rotation_turn_length_seconds = local.week
    users                        = [pagerduty_user.ana.id, pagerduty_user.ben.id, pagerduty_user.cleo.id]
  }
}

resource "pagerduty_schedule" "search_shadow" {
  name      = "Search shadow"
  time_zone = "America/Los_Angeles"

  layer {
    start                        = timeadd("2025-01-06T09:00:00-08:00", "168h")
    rotation_virtual_start       = "2025-01-06T09:00:00-08:00"
    rotation_turn_length_seconds = 604800
    users                        = [for p in local.people : pagerduty_user.ana.id]
  }
}

resource "pagerduty_schedule" "search_ok" {
  name      = "Search weekdays"
  time_zone = "America/Los_Angeles"

  layer {
    start                        = "2025-01-06T09:00:00-08:00"
    rotation_virtual_start       = "2025-01-06T09:00:00-08:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.ana.id, pagerduty_user.cleo.id]
  }
}

resource "pagerduty_escalation_policy" "search" {
  name = "Search"
  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.search_ok.id
    }
  }
}
