provider "pagerduty" {
  token = var.pd_token
}

resource "pagerduty_team" "support" {
  name = var.support_team
}

resource "pagerduty_schedule" "devops" {
  name      = "LEDGER DEVOPS SEV1"
  time_zone = "America/New_York"
  teams     = [pagerduty_team.support.id]
  layer {
    name                         = "DevOps"
    rotation_turn_length_seconds = 604800
    start                        = var.rotation_start
    end                          = var.rotation_end
    rotation_virtual_start       = var.rotation_virtual_start
    # users = [data.pagerduty_user.manager.id]
    users = [for user in data.pagerduty_user.devops : user.id]
  }
}

resource "pagerduty_schedule" "db" {
  name      = "LEDGER DB SEV1"
  time_zone = "America/New_York"
  teams     = [pagerduty_team.support.id]
  layer {
    name                         = "DB"
    rotation_turn_length_seconds = 604800
    start                        = var.rotation_start
    end                          = var.rotation_end
    rotation_virtual_start       = var.rotation_virtual_start
    users                        = [for user in data.pagerduty_user.db : user.id]
  }
}

output "team_id" {
  value = pagerduty_team.support.id
}

output "devops_schedule_id" {
  value = pagerduty_schedule.devops.id
}

output "db_schedule_id" {
  value = pagerduty_schedule.db.id
}
