locals {
  roles = {
    admin     = "admin"
    user      = "user"
    read_only = "read_only_user"
  }

  zones = {
    asia   = "Asia/Singapore"
    europe = "Europe/Berlin"
  }

  team_names = {
    for team in data.pagerduty_teams.every_team.teams :
    team.id => team.name
  }

  people = {
    "mei_tan" = {
      name      = "Mei Tan"
      email     = "Mei.Tan@Example.com"
      role      = local.roles.admin
      time_zone = local.zones.asia
      job_title = "Observability Engineer"
      teams     = [pagerduty_team.teams["obs_ops"].id, pagerduty_team.teams["sre"].id]
    }
    "jonas_ek" = {
      name      = "Jonas Ek"
      email     = "jonas.ek@example.com"
      role      = local.roles.read_only
      time_zone = local.zones.europe
    }
    "obs_mailbox" = {
      name      = "Observability Mailbox"
      email     = "observability@example.com"
      role      = local.roles.read_only
      time_zone = local.zones.europe
      job_title = ""
      teams     = [pagerduty_team.teams["obs_ops"].id]
    }
  }

  teams = {
    "obs_ops" = {
      name        = "Observability Operations"
      description = "Global observability operations"
    }
    "sre" = {
      name        = "SRE"
      description = "Site reliability"
    }
  }

  memberships = flatten([
    for key, person in local.people : [
      for team_id in lookup(person, "teams", []) : {
        person_key = key
        team_id    = team_id
      }
    ]
  ])
}
