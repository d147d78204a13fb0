variable "pd_token" {}
variable "environment" {}
variable "manager_email" {}
variable "manager2_email" {}
variable "team_id" {}
variable "devops_schedule" {}
variable "db_schedule" {}

provider "pagerduty" {
  token = var.pd_token
}

data "pagerduty_vendor" "datadog" {
  name = "Datadog"
}

data "pagerduty_user" "manager" {
  email = var.manager_email
}

data "pagerduty_user" "manager2" {
  email = var.manager2_email
}

resource "pagerduty_escalation_policy" "ledger" {
  name      = "${var.environment}-ledger-escalation-policy"
  num_loops = 3
  teams     = [var.team_id]
  rule {
    escalation_delay_in_minutes = 15
    target {
      id   = data.pagerduty_user.manager.id
      type = "user_reference"
    }
    target {
      id   = var.devops_schedule
      type = "schedule_reference"
    }
    target {
      id   = var.db_schedule
      type = "schedule_reference"
    }
  }
  rule {
    escalation_delay_in_minutes = 15
    target {
      id   = data.pagerduty_user.manager2.id
      type = "user_reference"
    }
  }
  lifecycle {
    ignore_changes = all
  }
}
