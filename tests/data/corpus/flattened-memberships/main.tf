resource "pagerduty_team" "teams" {
  for_each    = local.teams
  name        = each.value.name
  description = each.value.description
}

resource "pagerduty_user" "people" {
  for_each = local.people

  name      = each.value.name
  email     = lower(each.value.email)
  role      = each.value.role
  time_zone = each.value.time_zone
  job_title = lookup(each.value, "job_title", "")

  lifecycle {
    ignore_changes = [role, job_title]
  }
}

resource "pagerduty_team_membership" "memberships" {
  for_each = {
    for i, m in local.memberships :
    "${m.person_key}-${m.team_id}" => m
  }

  user_id = pagerduty_user.people[each.value.person_key].id
  team_id = each.value.team_id
}

output "everyone" {
  value = {
    for user in data.pagerduty_users.everyone.users : user.name => user.email
  }
}
