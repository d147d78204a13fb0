locals {
  users_file = "users.yaml"

  users               = yamldecode(file("${path.module}/config/${local.users_file}"))["users"]
  parent_teams        = yamldecode(file("${path.module}/config/teams.yaml"))["parent_teams"]
  sub_teams           = yamldecode(file("${path.module}/config/teams.yaml"))["sub_teams"]
  tags                = yamldecode(file("${path.module}/config/tags.yaml"))["tags"]
  schedules           = yamldecode(file("${path.module}/config/schedules.yaml"))["schedules"]
  escalation_policies = yamldecode(file("${path.module}/config/escalation_policies.yaml"))["escalation_policies"]
}
