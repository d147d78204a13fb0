# Follow-the-sun for the platform team: users exist already (SSO), looked up by email.
locals {
  emails = {
    apac = ["kenji@platform.example", "mei@platform.example"]
    emea = ["lars@platform.example", "sofia@platform.example"]
    amer = ["jamal@platform.example", "rosa@platform.example"]
  }
  handoff_start = "2025-03-03T00:00:00Z"
}

data "pagerduty_user" "kenji" {
  email = local.emails.apac[0]
}
data "pagerduty_user" "mei" {
  email = local.emails.apac[1]
}
data "pagerduty_user" "lars" {
  email = local.emails.emea[0]
}
data "pagerduty_user" "sofia" {
  email = "sofia@platform.example"
}
data "pagerduty_user" "jamal" {
  email = "jamal@platform.example"
}
data "pagerduty_user" "rosa" {
  email = "rosa@platform.example"
}

data "pagerduty_team" "platform" {
  name = "Platform"
}

resource "pagerduty_schedule" "sun" {
  name      = "Platform follow-the-sun"
  time_zone = "Etc/UTC"
  teams     = [data.pagerduty_team.platform.id]

  # APAC 00:00-08:00 UTC
  layer {
    name                         = "APAC"
    start                        = local.handoff_start
    rotation_virtual_start       = local.handoff_start
    rotation_turn_length_seconds = 604800
    users                        = [data.pagerduty_user.kenji.id, data.pagerduty_user.mei.id]
    restriction {
      type              = "daily_restriction"
      start_time_of_day = "00:00:00"
      duration_seconds  = 28800
    }
  }

  # EMEA 08:00-16:00 UTC
  layer {
    name                         = "EMEA"
    start                        = local.handoff_start
    rotation_virtual_start       = "2025-03-03T08:00:00Z"
    rotation_turn_length_seconds = 604800
    users                        = [data.pagerduty_user.lars.id, data.pagerduty_user.sofia.id]
    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 28800
    }
  }

  # AMER 16:00-00:00 UTC, but weekends are left uncovered on purpose (a gap)
  layer {
    name                         = "AMER"
    start                        = local.handoff_start
    rotation_virtual_start       = "2025-03-03T16:00:00Z"
    rotation_turn_length_seconds = 604800
    users                        = [data.pagerduty_user.jamal.id, data.pagerduty_user.rosa.id]
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 1
      start_time_of_day = "16:00:00"
      duration_seconds  = 28800
    }
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 2
      start_time_of_day = "16:00:00"
      duration_seconds  = 28800
    }
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 3
      start_time_of_day = "16:00:00"
      duration_seconds  = 28800
    }
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 4
      start_time_of_day = "16:00:00"
      duration_seconds  = 28800
    }
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 5
      start_time_of_day = "16:00:00"
      duration_seconds  = 28800
    }
  }
}

resource "pagerduty_escalation_policy" "platform" {
  name      = "Platform"
  num_loops = 3
  teams     = [data.pagerduty_team.platform.id]

  rule {
    escalation_delay_in_minutes = 15
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.sun.id
    }
  }
}

resource "pagerduty_escalation_policy" "platform_db" {
  name = "Platform databases"

  rule {
    escalation_delay_in_minutes = 30
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.sun.id
    }
    target {
      type = "user_reference"
      id   = data.pagerduty_user.rosa.id
    }
  }
}
