locals {
  engineers = ["nia@example.com", "oren@example.com", "pia@example.com"]
  lead      = ["quinn@example.com"]
}

data "pagerduty_user" "engineers" {
  for_each = toset(concat(local.engineers, local.lead))
  email    = each.value
}

module "pagerduty_team" {
  source = "../module"

  team_name         = "Ledger"
  responder_members = [for e in local.engineers : data.pagerduty_user.engineers[e].id]
  manager_members   = [data.pagerduty_user.engineers[local.lead[0]].id]

  schedules = [
    {
      name                         = "ledger-primary"
      time_zone                    = "America/New_York"
      start                        = "2026-01-12T00:00:00-00:00"
      rotation_virtual_start       = "2026-01-12T00:00:00-00:00"
      rotation_turn_length_seconds = 604800 # a week
      users                        = [for e in local.engineers : data.pagerduty_user.engineers[e].id]
    },
    {
      name                         = "ledger-secondary"
      start                        = "2026-01-12T09:00:00-05:00"
      rotation_virtual_start       = "2026-01-12T09:00:00-05:00"
      rotation_turn_length_seconds = 604800
      # the same people, shifted by one, as a second line
      users = [
        for email in(
          concat(slice(local.engineers, 1, length(local.engineers)), [local.engineers[0]])
        ) : data.pagerduty_user.engineers[email].id
      ]
    },
  ]

  escalation_policies = [
    {
      name                             = "ledger-default"
      description                      = "both lines"
      num_loops                        = 2
      rule_escalation_delay_in_minutes = 15
      escalation_rule_schedules        = ["ledger-primary", "ledger-secondary", "not-a-schedule"]
    }
  ]
}
