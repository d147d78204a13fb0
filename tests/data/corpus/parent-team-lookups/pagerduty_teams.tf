locals {
  team_names = toset(keys(var.teams))
}

data "pagerduty_team" "parents" {
  # teams that name no parent are left out
  for_each = { for k, v in var.teams : k => v if try(v.parent_name, "") != "" }

  name = each.value.parent_name
}

resource "pagerduty_team" "teams" {
  for_each = local.team_names

  name   = each.value
  parent = try(data.pagerduty_team.parents[each.value].id, null)
}

data "pagerduty_user" "users" {
  # [["a", "b"], "m1", ["c"], "m2"] -> ["a", "b", "c", "m1", "m2"]
  for_each = toset(flatten([for v in values(var.teams) : [v.responders, v.manager]]))

  email = each.value
}

resource "pagerduty_team_membership" "responders" {
  for_each = {
    for membership in flatten(
      [for k, v in var.teams : [
        for email in v.responders : { team_name = k, email = email }
      ]]
    ) : "${membership.team_name}/${membership.email}" => membership
  }

  user_id = data.pagerduty_user.users[each.value.email].id
  team_id = pagerduty_team.teams[each.value.team_name].id
  role    = "responder"
}

resource "pagerduty_team_membership" "managers" {
  for_each = var.teams

  user_id = data.pagerduty_user.users[each.value.manager].id
  team_id = pagerduty_team.teams[each.key].id
  role    = "manager"
}
