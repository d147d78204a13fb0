# One configuration, three ways in: this folder (HCL), and the plan and state JSON beside it
# (make_fixtures.py), which must import to the same plan.
locals {
  people = {
    ada     = { name = "Ada Quist", email = "ada@example.com", tz = "Europe/London" }
    grace   = { name = "Grace Holm", email = "grace@example.com", tz = "Europe/London" }
    alan    = { name = "Alan Brook", email = "alan@example.com", tz = "Europe/Dublin" }
    barbara = { name = "Barbara Lind", email = "barbara@example.com", tz = "Europe/Dublin" }
  }
  rotas = {
    payments = ["ada", "grace"]
    search   = ["alan", "barbara"]
  }
}

resource "pagerduty_user" "people" {
  for_each  = local.people
  name      = each.value.name
  email     = each.value.email
  time_zone = each.value.tz
}

resource "pagerduty_team" "ops" {
  name        = "Ops"
  description = "Operations"
}

resource "pagerduty_team_membership" "ops" {
  for_each = pagerduty_user.people
  team_id  = pagerduty_team.ops.id
  user_id  = each.value.id
}

module "rota" {
  source   = "./modules/rota"
  for_each = local.rotas
  team     = each.key
  user_ids = [for k in each.value : pagerduty_user.people[k].id]
  team_id  = pagerduty_team.ops.id
}

resource "pagerduty_escalation_policy" "main" {
  name        = "Main"
  description = "Pages each rota in turn"
  num_loops   = 1
  teams       = [pagerduty_team.ops.id]

  dynamic "rule" {
    for_each = module.rota
    content {
      escalation_delay_in_minutes = 15
      target {
        type = "schedule_reference"
        id   = rule.value.schedule_id
      }
    }
  }
}
