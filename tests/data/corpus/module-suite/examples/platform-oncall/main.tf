terraform {
  required_version = ">= 1.0"

  required_providers {
    pagerduty = {
      source  = "PagerDuty/pagerduty"
      version = "~> 3.0"
    }
  }
}

provider "pagerduty" {}

variable "users" {
  type = list(object({
    name     = string
    email    = string
    existing = optional(bool)
  }))
}

variable "team_name" {
  type    = string
  default = null
}

variable "schedule_name" {
  type    = string
  default = "core-platform-oncall"
}

module "users" {
  source = "../../modules/users"

  users = var.users
}

module "team" {
  count  = var.team_name == null ? 0 : 1
  source = "../../modules/team"

  name = var.team_name
}

module "team_membership" {
  count  = var.team_name == null ? 0 : 1
  source = "../../modules/team-membership"

  memberships = {
    for user in var.users : user.email => {
      team_id = module.team[0].team_id
      user_id = module.users.user_ids[user.email]
    }
  }
}

module "oncall" {
  source = "../../modules/schedule"

  name      = var.schedule_name
  time_zone = "Australia/Sydney"
  team_id   = var.team_name == null ? null : module.team[0].team_id
  layers = [{
    name                         = "Weekly rotation"
    start                        = "2026-06-08T09:00:00+10:00"
    rotation_virtual_start       = "2026-06-08T09:00:00+10:00"
    rotation_turn_length_seconds = 604800
    users                        = module.users.user_ids_ordered
    restrictions = [{
      type              = "weekly_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 468000
      start_day_of_week = 1
    }]
  }]
}

module "escalation" {
  source = "../../modules/escalation-policy"

  name    = "core-platform"
  team_id = var.team_name == null ? null : module.team[0].team_id
  rules = [{
    escalation_delay_in_minutes = 15
    targets = [{
      type = "schedule_reference"
      id   = module.oncall.schedule_id
    }]
  }]
}
