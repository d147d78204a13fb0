resource "pagerduty_escalation_policy" "policy" {
  for_each = { for user in local.users : user.team_name => user }

  name = "${each.key} Escalation Policy"

  rule {
    escalation_delay_in_minutes = 30

    target {
      type = "user_reference"
      id   = pagerduty_user.user[each.value.email].id
    }
  }
}

resource "pagerduty_service" "service" {
  for_each = { for service in local.services : service.service_name => service }

  name              = each.value.service_name
  escalation_policy = pagerduty_escalation_policy.policy[each.value.team_name].id
}

output "escalation_policy_ids" {
  value = [for policy in pagerduty_escalation_policy.policy : policy.id]
}
