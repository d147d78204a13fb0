resource "pagerduty_team" "pd_team" {
  for_each = toset(local.teams)
  name     = each.key
}

resource "pagerduty_user" "pd_user" {
  for_each = local.users
  name     = title(each.value.name)
  email    = each.key
  role     = each.value.role
}

module "pd_team_association" {
  source   = "./module/team_association"
  for_each = local.users
  team_map = { for team_name in each.value.teams : team_name => pagerduty_team.pd_team[team_name].id }
  user_id  = pagerduty_user.pd_user[each.key].id

  depends_on = [pagerduty_team.pd_team]
}

data "pagerduty_users" "pd_users" {
  for_each = local.services
  team_ids = [pagerduty_team.pd_team[each.value.associated_team].id]

  depends_on = [module.pd_team_association]
}

resource "pagerduty_escalation_policy" "pd_esp" {
  for_each  = local.services
  name      = "escalation-policy-${each.key}"
  num_loops = 3
  teams     = [pagerduty_team.pd_team[each.value.associated_team].id]
  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = data.pagerduty_users.pd_users[each.key].users[0].id
    }
  }
  lifecycle {
    ignore_changes = [
      rule
    ]
  }
}
