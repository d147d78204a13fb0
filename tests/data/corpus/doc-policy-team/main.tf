resource "pagerduty_team" "example" {
  name        = "Support"
  description = "Everyone in support"
}

resource "pagerduty_user" "example" {
  name  = "Ola Strand"
  email = "ola.strand@example.org"
  teams = [pagerduty_team.example.id]
}

resource "pagerduty_escalation_policy" "example" {
  name      = "Support Escalation Policy"
  num_loops = 2
  teams     = [pagerduty_team.example.id]

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = pagerduty_user.example.id
    }
    target {
      type = "user_reference"
      id   = pagerduty_user.example2.id
    }
  }
}
