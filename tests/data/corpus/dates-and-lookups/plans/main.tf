provider "aws" {
  region = "us-east-1"
}

data "aws_secretsmanager_secret_version" "pd" {
  secret_id = "pagerduty-token"
}

locals {
  pd_token       = jsondecode(data.aws_secretsmanager_secret_version.pd.secret_string)["token"]
  rotation_start = formatdate("YYYY-MM-DD'T'hh:mm:ssZ", "2024-03-25T12:00:00Z")
}

module "common" {
  source                 = "../common"
  rotation_start         = local.rotation_start
  rotation_end           = timeadd(local.rotation_start, "336h")
  rotation_virtual_start = formatdate("YYYY-MM-DD'T'hh:mm:ssZ", "2024-03-25T12:00:00Z")
  support_team           = "Tech Ops"
  oncall_devops          = ["vera.lund@example.com", "amos.kade@example.com"]
  oncall_db              = ["amos.kade@example.com"]
  pd_token               = local.pd_token
}

module "ledger_prod" {
  source          = "../app"
  environment     = "prod"
  manager_email   = "ivy.march@example.com"
  manager2_email  = "vera.lund@example.com"
  pd_token        = local.pd_token
  team_id         = module.common.team_id
  devops_schedule = module.common.devops_schedule_id
  db_schedule     = module.common.db_schedule_id
}
